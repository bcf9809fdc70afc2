"""What each candidate turn achieves, for the grid: language, relevance, questions answered, true
restatements, insults and blame.

The turn reading says what a turn *looks like* (a question, a reformulation marker); the grid must
credit what it *does*. A question in English about last night's match is still a question; a
restatement that gets the figures wrong is still marked as one. This module reads, per candidate turn,
the few facts the evaluators need, from the stored reading, the persona's answer and — when the
transcript carries it — the engine's events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scoring.engine_record import events_of
from scoring.lexicon import load_lexicon
from scoring.rubric import ContentSettings
from scoring.schema import TurnAnnotation
from scoring.topics import fold
from scoring.transcript import Transcript, Turn

# Engine events that mean the persona gave something away in answer to the turn.
INFO_EVENTS = frozenset({"need_revealed", "fact_given", "grievance"})
# Engine events that mean the persona held back.
GUARD_EVENTS = frozenset({"need_guarded", "fact_refused"})
# Engine events where the persona reacted to how the candidate behaved (tone, language, pressure, sides).
POSTURE_EVENTS = frozenset({"aggressive", "harsh_tone", "english", "closed_interrogation", "monologue",
                            "taking_sides", "side_taken", "trigger"})
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@dataclass(frozen=True)
class TurnContent:
    """The facts of one candidate turn that the grid credits or holds against the candidate."""

    turn_id: str
    number: int  # 1-based rank among the candidate's turns (the engine's turn counter)
    english: bool
    small_talk: bool
    minimal: bool
    insults: tuple[str, ...] = ()
    blames: tuple[str, ...] = ()
    imposes: tuple[str, ...] = ()
    question: bool = False  # a question that is not small talk (« comment allez-vous ? »)
    informative: bool | None = None  # the question obtained information (None: not a question)
    reformulation: str | None = None  # accurate | partial | inaccurate (None: no reformulation)

    @property
    def engaged(self) -> bool:
        """Written in French, about the meeting's business, with content of its own."""
        return not (self.english or self.small_talk or self.minimal)


@dataclass
class ContentReading:
    """Every candidate turn's content, in order, with the answers that followed."""

    turns: list[TurnContent] = field(default_factory=list)
    # Persona turns that push back on the candidate's behaviour, and the engine's posture events: how
    # the interlocutor received the candidate (the larger of the two counts is used).
    pushback_turns: list[str] = field(default_factory=list)
    posture_events: int = 0

    @property
    def pushbacks(self) -> int:
        return max(len(self.pushback_turns), self.posture_events)

    def share(self, attr: str) -> float:
        return sum(1 for t in self.turns if getattr(t, attr)) / max(1, len(self.turns))

    @property
    def engaged_share(self) -> float:
        return sum(1 for t in self.turns if t.engaged) / max(1, len(self.turns))

    def with_(self, attr: str) -> list[TurnContent]:
        return [t for t in self.turns if getattr(t, attr)]


def written_in_english(text: str, settings: ContentSettings) -> bool:
    """English function words make a large share of the turn (the engine's own test and word list)."""
    folded = fold(text)
    words = _WORD.findall(folded)
    hits = sum(1 for _ in load_lexicon("fr").cue("engine_english").finditer(folded))
    return hits >= settings.english_min_words and hits >= settings.english_share * len(words)


def _cues(text: str, family: str) -> tuple[str, ...]:
    return tuple(m.text for m in load_lexicon("fr").find_cues(text, (family,)))


def _answers(turns: list[Turn]) -> dict[str, list[Turn]]:
    """For each candidate turn id, the persona turns that follow it before the candidate speaks again."""
    out: dict[str, list[Turn]] = {}
    current: str | None = None
    for t in turns:
        if t.speaker_role == "candidate":
            current = t.id
            out[current] = []
        elif current is not None:
            out[current].append(t)
    return out


def _answer_gives(answer: list[Turn], settings: ContentSettings) -> bool:
    """The persona's answer carries information: long enough, not a deflection or a refusal."""
    text = " ".join(t.text for t in answer)
    if not text.strip() or written_in_english(text, settings):
        return False
    if _cues(text, "grid_deflection") and len(_WORD.findall(text)) < 3 * settings.answer_min_words:
        return False
    return len(_WORD.findall(text)) >= settings.answer_min_words


def _small_talk(turn: Turn, ann: TurnAnnotation) -> bool:
    """Small talk that is only small talk: a sport, weather or outing word and nothing of the business."""
    if not _cues(turn.text, "grid_small_talk"):
        return False
    business = (ann.topics or ann.amounts or ann.negotiation or ann.is_summary or ann.stakeholder_question
                or (ann.is_reformulation and ann.reformulation_accuracy == "accurate"))
    return not business


def read_content(transcript: Transcript, annotations: list[TurnAnnotation],
                 settings: ContentSettings) -> ContentReading:
    """The content of every candidate turn (annotations in candidate-turn order)."""
    candidate = transcript.candidate_turns()
    answers = _answers(transcript.turns)
    events = events_of(transcript)
    info = {e.turn for e in events if e.name in INFO_EVENTS}
    guarded = {e.turn for e in events if e.name in GUARD_EVENTS}
    out = ContentReading()
    out.pushback_turns = [t.id for t in transcript.turns if t.speaker_role != "candidate"
                          and _cues(t.text, "grid_pushback")]
    out.posture_events = sum(1 for e in events if e.name in POSTURE_EVENTS)
    for number, (turn, ann) in enumerate(zip(candidate, annotations, strict=True), start=1):
        english = written_in_english(turn.text, settings)
        small = _small_talk(turn, ann)
        minimal = bool(_cues(turn.text, "grid_minimal_reply"))
        question = ann.is_question and not ann.phatic and not small and not english
        informative: bool | None = None
        if question:
            if number in info:
                informative = True
            elif number in guarded:
                informative = False
            else:
                informative = _answer_gives(answers.get(turn.id, []), settings)
        reformulation = None
        if ann.is_reformulation and not english:
            reformulation = ann.reformulation_accuracy or "partial"
        blames = _cues(turn.text, "grid_blame")
        if ann.stance is not None and ann.stance.blames:
            blames = (*blames, *ann.stance.evidence[:1]) if ann.stance.evidence else (*blames, ann.stance.blames)
        out.turns.append(TurnContent(
            turn_id=turn.id, number=number, english=english, small_talk=small, minimal=minimal,
            insults=_cues(turn.text, "grid_insult"), blames=blames, imposes=_cues(turn.text, "grid_impose"),
            question=question, informative=informative, reformulation=reformulation))
    return out
