"""Scoring of a whole transcript: annotations, conversation figures, criteria grid, French summary."""

from __future__ import annotations

from pydantic import BaseModel, Field

from scoring import __version__
from scoring.annotate import TurnAnnotation
from scoring.conversation import ConversationAnalyzer, ConversationConfig, ConversationFigures
from scoring.engine_record import NegotiationRecord, negotiation_record
from scoring.grid import Grid, evaluate_grid
from scoring.rubric import Rubric, load_rubric
from scoring.schema import READER_VERSION
from scoring.transcript import Transcript


class ScoreReport(BaseModel):
    """The report (JSON-able): what the API stores and the renderers display."""

    scorer_version: str
    bloc: int | None
    language: str
    persona_id: str | None
    turns: list[TurnAnnotation]
    conversation: ConversationFigures
    grid: Grid | None
    summary_fr: str
    # Bloc 4, ended sessions played in the product: the engine's own record of the negotiation (offers,
    # each concession with its counterpart, agreed price against the floor and the buyer's thresholds).
    negotiation_record: NegotiationRecord | None = None
    # The report uses the reading stored with each turn during the session; turns listed here were
    # read at scoring time (no stored reading, or one made by an older reader).
    reader_version: str = READER_VERSION
    reused_readings: int = 0
    reread_turns: list[str] = Field(default_factory=list)
    reading_note_fr: str = ""


def _n(count: int, singular: str, plural: str) -> str:
    """French agreement: 0 and 1 take the singular."""
    return f"{count} {singular if count <= 1 else plural}"


def _summary_fr(f: ConversationFigures, grid: Grid | None) -> str:
    # Inclusive writing as on the site (« candidat·e »), real plurals, decimal comma.
    parts = [
        f"Prises de parole du candidat·e : {f.candidate_turns} ({round(100 * f.talk_share_words)} % des mots).",
        f"{_n(f.questions, 'question posée', 'questions posées')}, dont {_n(f.open_questions, 'ouverte', 'ouvertes')}"
        f" et {_n(f.closed_questions, 'fermée', 'fermées')} ;"
        f" {_n(f.reformulations, 'reformulation', 'reformulations')}.",
    ]
    c = f.closing_summary
    if c.present:
        cov = f", couvrant {round(100 * c.coverage)} % des sujets abordés" if c.coverage is not None else ""
        parts.append(f"L'échange se termine par une synthèse{cov}"
                     + (" avec des suites datées." if c.has_deadline else "."))
    else:
        parts.append("L'échange ne se termine pas par une synthèse.")
    if grid is not None:
        if grid.overall is not None:
            average = f"{grid.overall:.2f}".replace(".", ",")
            parts.append(f"Grille du bloc {grid.bloc} : niveau moyen {average}/3 sur "
                         f"{_n(grid.evaluated, 'critère mesuré', 'critères mesurés')}, "
                         f"{_n(grid.for_jury, 'critère', 'critères')} à évaluer par le jury.")
        else:
            parts.append(f"Grille du bloc {grid.bloc} : aucun critère mesurable, évaluation par le jury.")
    else:
        parts.append("Bloc non précisé : pas de grille de critères.")
    return " ".join(parts)


def score_transcript(transcript: Transcript, rubric: Rubric | None = None,
                     config: ConversationConfig | None = None) -> ScoreReport:
    """Score a transcript. ``rubric`` defaults to the packaged rubric of ``transcript.bloc``.

    Raises :class:`scoring.errors.ScoringInputError` for empty transcripts or no candidate turn.
    """
    analysis = ConversationAnalyzer(config).transform(transcript)
    if rubric is None and transcript.bloc is not None:
        rubric = load_rubric(transcript.bloc)
    grid = evaluate_grid(rubric, transcript, analysis.annotations, analysis.figures) if rubric else None
    record = negotiation_record(transcript)
    return ScoreReport(
        negotiation_record=record if record is not None and record.ended else None,
        scorer_version=__version__,
        bloc=rubric.bloc if rubric else transcript.bloc,
        language=transcript.language,
        persona_id=transcript.persona_id,
        turns=analysis.annotations,
        conversation=analysis.figures,
        grid=grid,
        summary_fr=_summary_fr(analysis.figures, grid),
        reused_readings=analysis.reused_readings,
        reread_turns=analysis.reread_turns,
        reading_note_fr=_reading_note(analysis.reused_readings, len(analysis.reread_turns)),
    )


def _turns(n: int) -> str:
    return f"{n} tour{'s' if n > 1 else ''}"


def _reading_note(reused: int, reread: int) -> str:
    """Say where each turn's reading comes from, so a juror knows the persona and the grid agree."""
    if reread == 0:
        return f"Lecture des tours : celle faite pendant la session ({_turns(reused)}), sans relecture."
    if reused == 0:
        return (f"Lecture des tours faite à la notation ({_turns(reread)}) : "
                "aucune lecture enregistrée pendant la session.")
    return (f"Lecture des tours : {_turns(reused)} lus pendant la session ; {_turns(reread)} relus à la notation "
            "(lecture absente ou faite par une version antérieure).")
