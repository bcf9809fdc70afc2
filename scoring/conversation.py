"""Conversation-level figures, ConvoKit-style: configure in the constructor, call ``transform``.

Figures a juror reads first: who talked, how much and how long at a stretch, how the candidate
questioned and reformulated, whether the conversation closed with a recap and next steps, which
stages it went through, and how the price moved.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from pydantic import BaseModel, Field

from scoring.annotate import AnnotateInput, ContextTurn, TurnAnnotation, annotate_turns
from scoring.errors import ScoringInputError
from scoring.numbers import extract_quantities
from scoring.pipeline import get_nlp, light_docs
from scoring.schema import GENRE_OF_BLOC, READER_VERSION, READING_CONTEXT_TURNS
from scoring.similarity import content_bag
from scoring.transcript import Transcript, Turn

_PRICE_TALK = re.compile(
    r"\b(?:cher|chère|prix|tarif|budget|vis(?:e|ons|ez)|propos\w*|offre|remise|rabais|pa(?:yer|ierons|ierai)|"
    r"maximum|plafond|price|offer|pay|afford|expensive|cheap|discount|deal|accord)\b",
    re.IGNORECASE,
)
STAGE_LABELS = {
    "ouverture": "Ouverture (accueil, cadrage)",
    "decouverte": "Découverte (questionnement)",
    "proposition": "Proposition / argumentation",
    "negociation": "Négociation",
    "conclusion": "Conclusion (synthèse, suites)",
}


@dataclass(frozen=True)
class ConversationConfig:
    """Settings of the conversation analysis."""

    context_window: int = READING_CONTEXT_TURNS  # previous turns given to each candidate turn (as live)
    closing_window: int = 3  # last candidate turns searched for the closing summary
    monologue_words: int = 90  # a candidate stretch longer than this counts as a monologue
    topic_min_turns: int = 2  # a content word said in at least this many turns is a topic


class ClosingSummary(BaseModel):
    """The closing recap: where, how much of the discussion it covers, what comes next."""

    present: bool = False
    turn_id: str | None = None
    coverage: float | None = None
    topics_covered: list[str] = Field(default_factory=list)
    topics_missed: list[str] = Field(default_factory=list)
    next_steps: list[dict[str, object]] = Field(default_factory=list)
    has_deadline: bool = False


class NegotiationFigures(BaseModel):
    """Price path and concessions; thresholds come from the transcript when known."""

    candidate_opening: float | None = None
    candidate_prices: list[float] = Field(default_factory=list)
    other_prices: list[float] = Field(default_factory=list)
    final_price: float | None = None
    concessions_candidate: int = 0
    concessions_traded: int = 0  # lowered prices that came with a counterpart asked in the same turn
    concessions_free: int = 0  # lowered prices given for nothing
    concessions_other: int = 0
    counterparts_asked: int = 0
    firm_statements: int = 0
    discount_from_opening: float | None = None
    position: str | None = None  # "au-dessus du plancher", "sous le plancher", …
    unit_label: str = "€ HT"


class ConversationFigures(BaseModel):
    """Figures of the whole conversation (keys ``questions``, ``open_questions``, ``closed_questions``
    are part of the API contract)."""

    turns: int = 0
    candidate_turns: int = 0
    other_turns: int = 0
    candidate_words: int = 0
    other_words: int = 0
    talk_share_words: float = 0.0
    talk_share_turns: float = 0.0
    longest_monologue_words: int = 0
    longest_monologue_turn_id: str | None = None
    monologues: int = 0
    questions: int = 0
    open_questions: int = 0
    closed_questions: int = 0
    alternative_questions: int = 0
    leading_questions: int = 0
    question_rate: float = 0.0
    open_question_share: float | None = None
    spin: dict[str, int] = Field(default_factory=dict)
    reformulations: int = 0
    reformulations_per_question: float | None = None
    turns_before_first_question: int | None = None
    seconds_to_first_question: float | None = None
    closing_summary: ClosingSummary = Field(default_factory=ClosingSummary)
    stages: list[dict[str, str]] = Field(default_factory=list)
    assertiveness: dict[str, int] = Field(default_factory=dict)
    mean_sentiment: float = 0.0
    politeness_markers: int = 0
    hesitations: int = 0
    negotiation: NegotiationFigures = Field(default_factory=NegotiationFigures)


def _asks_counterpart(ann: TurnAnnotation) -> bool:
    """The turn asks something in exchange: a counterpart marker or a conditional offer (« si vous… »)."""
    return ann.asks_counterpart or any(m.move == "counterpart" for m in ann.negotiation)


class ConversationAnalysis(BaseModel):
    """Output of :meth:`ConversationAnalyzer.transform`."""

    annotations: list[TurnAnnotation]
    figures: ConversationFigures
    # Candidate turns read again here because their stored reading was missing or made by an older
    # reader (the report says so); the others use the reading made during the session.
    reread_turns: list[str] = Field(default_factory=list)
    reused_readings: int = 0


def _context_for(turns: list[Turn], pos: int, window: int) -> list[ContextTurn]:
    prev = turns[max(0, pos - window) : pos]
    return [ContextTurn(speaker="self" if t.speaker_role == "candidate" else "other", text=t.text,
                        speaker_id=None if t.speaker_role == "candidate" else t.speaker_id) for t in prev]


def stored_reading(turn: Turn) -> TurnAnnotation | None:
    """The reading stored with the turn, when the current reader made it."""
    data = turn.reading
    if not isinstance(data, dict) or data.get("reader_version") != READER_VERSION:
        return None
    try:
        return TurnAnnotation.model_validate({**data, "id": turn.id})
    except ValueError:
        return None


class ConversationAnalyzer:
    """Transformer: ``ConversationAnalyzer(config).transform(transcript)`` → ConversationAnalysis."""

    def __init__(self, config: ConversationConfig | None = None) -> None:
        self.config = config or ConversationConfig()

    def transform(self, transcript: Transcript) -> ConversationAnalysis:
        """Annotate the candidate turns and compute the conversation figures."""
        turns = transcript.turns
        if not turns:
            raise ScoringInputError("Transcription vide : aucun tour de parole.", "Empty transcript: no turns.")
        cand_pos = [i for i, t in enumerate(turns) if t.speaker_role == "candidate"]
        if not cand_pos:
            raise ScoringInputError(
                "Aucun tour du candidat dans la transcription (speaker_role « candidate »).",
                "No candidate turn in the transcript (speaker_role 'candidate').",
            )
        genre = GENRE_OF_BLOC.get(transcript.bloc) if transcript.bloc is not None else None
        stored = {i: stored_reading(turns[i]) for i in cand_pos}
        missing = [i for i in cand_pos if stored[i] is None]
        items = [AnnotateInput(id=turns[i].id, lang=transcript.language, text=turns[i].text, genre=genre,
                               context=_context_for(turns, i, self.config.context_window),
                               speakers=transcript.speakers, topics=transcript.topics,
                               when=turns[i].timestamp) for i in missing]
        fresh = dict(zip(missing, annotate_turns(items), strict=True)) if items else {}
        annotations = [stored[i] or fresh[i] for i in cand_pos]
        for pos, ann in zip(cand_pos, annotations, strict=True):
            ref = ann.reformulation
            if ref.target_index is not None:
                start = max(0, pos - self.config.context_window)
                ref.target_turn_id = turns[start + ref.target_index].id
        figures = self._figures(transcript, cand_pos, annotations)
        reread = [turns[i].id for i in missing]
        return ConversationAnalysis(annotations=annotations, figures=figures, reread_turns=reread,
                                    reused_readings=len(cand_pos) - len(missing))

    def _figures(self, tr: Transcript, cand_pos: list[int], anns: list[TurnAnnotation]) -> ConversationFigures:
        cfg = self.config
        turns = tr.turns
        f = ConversationFigures()
        f.turns = len(turns)
        f.candidate_turns = len(cand_pos)
        f.other_turns = f.turns - f.candidate_turns
        words = [len(t.text.split()) for t in turns]
        f.candidate_words = sum(words[i] for i in cand_pos)
        f.other_words = sum(words) - f.candidate_words
        f.talk_share_words = round(f.candidate_words / max(1, sum(words)), 3)
        f.talk_share_turns = round(f.candidate_turns / max(1, f.turns), 3)
        # Longest stretch of consecutive candidate turns.
        run, run_start = 0, None
        for i, t in enumerate(turns):
            if t.speaker_role == "candidate":
                if run == 0:
                    run_start = t.id
                run += words[i]
                if run > f.longest_monologue_words:
                    f.longest_monologue_words, f.longest_monologue_turn_id = run, run_start
            else:
                f.monologues += int(run > cfg.monologue_words)
                run = 0
        f.monologues += int(run > cfg.monologue_words)
        questions = [a for a in anns if a.is_question]
        f.questions = len(questions)
        f.open_questions = sum(a.question_type == "open" for a in questions)
        f.closed_questions = sum(a.question_type == "closed" for a in questions)
        f.alternative_questions = sum(a.question_form == "alternative" for a in questions)
        f.leading_questions = sum(a.question_form == "leading" for a in questions)
        f.question_rate = round(f.questions / len(anns), 3)
        f.open_question_share = round(f.open_questions / f.questions, 3) if questions else None
        for a in questions:
            if a.spin:
                f.spin[a.spin] = f.spin.get(a.spin, 0) + 1
        f.reformulations = sum(a.is_reformulation for a in anns)
        f.reformulations_per_question = round(f.reformulations / f.questions, 3) if questions else None
        first_q = next((k for k, a in enumerate(anns) if a.is_question and not a.phatic), None)
        f.turns_before_first_question = first_q
        if first_q is not None:
            t0, tq = turns[0].timestamp, turns[cand_pos[first_q]].timestamp
            if t0 is not None and tq is not None:
                f.seconds_to_first_question = round((tq - t0).total_seconds(), 1)
        for a in anns:
            f.assertiveness[a.assertiveness] = f.assertiveness.get(a.assertiveness, 0) + 1
        f.mean_sentiment = round(sum(a.sentiment for a in anns) / len(anns), 3)
        f.politeness_markers = sum(len(a.politeness) for a in anns)
        f.hesitations = sum(a.hesitations for a in anns)
        f.closing_summary = self._closing(tr, cand_pos, anns)
        f.stages = self._stages(tr, cand_pos, anns)
        f.negotiation = self._negotiation(tr, cand_pos, anns)
        return f

    def _closing(self, tr: Transcript, cand_pos: list[int], anns: list[TurnAnnotation]) -> ClosingSummary:
        out = ClosingSummary()
        tail = list(zip(cand_pos, anns, strict=True))[-self.config.closing_window :]
        hits = [(p, a) for p, a in tail if a.is_summary or (a.summary_markers and a.next_steps)]
        if not hits:
            steps = [s for _, a in tail for s in a.next_steps]
            out.next_steps = [s.model_dump() for s in steps]
            out.has_deadline = any(s.when for s in steps)
            return out
        pos, ann = hits[-1]
        out.present = True
        out.turn_id = str(ann.id)
        steps = [s for _, a in tail for s in a.next_steps]
        out.next_steps = [s.model_dump() for s in steps]
        out.has_deadline = any(s.when for s in steps)
        nlp = get_nlp(tr.language)
        texts = [t.text for t in tr.turns[:pos]]
        bags = [content_bag(d, tr.language) for d in light_docs(nlp, texts)]
        counts: dict[str, int] = {}
        for b in bags:
            for k in b.nouns:
                counts[k] = counts.get(k, 0) + 1
        topics = sorted(k for k, c in counts.items() if c >= self.config.topic_min_turns)
        summary_text = " ".join(tr.turns[p].text for p, a in hits)
        summary_bag = content_bag(next(iter(light_docs(nlp, [summary_text]))), tr.language)
        if topics:
            covered = [k for k in topics if k in summary_bag.keys]
            out.coverage = round(len(covered) / len(topics), 3)
            out.topics_covered = covered
            out.topics_missed = [k for k in topics if k not in summary_bag.keys][:15]
        return out

    @staticmethod
    def _stages(tr: Transcript, cand_pos: list[int], anns: list[TurnAnnotation]) -> list[dict[str, str]]:
        reached: dict[str, str] = {}
        last_third = max(0, len(anns) - max(2, len(anns) // 3))
        for k, a in enumerate(anns):
            fams = {m.family for m in a.markers}
            moves = {n.move for n in a.negotiation}
            if fams & {"greeting", "framing"} and "ouverture" not in reached:
                reached["ouverture"] = str(a.id)
            if a.is_question and not a.phatic and "decouverte" not in reached:
                reached["decouverte"] = str(a.id)
            if moves & {"offer", "amount"} or (not a.is_question and a.words >= 40):
                reached.setdefault("proposition", str(a.id))
            if moves & {"concession", "counterpart", "firm"}:
                reached.setdefault("negociation", str(a.id))
            if a.is_summary or (a.next_steps and k >= last_third):
                reached.setdefault("conclusion", str(a.id))
        order = list(STAGE_LABELS)
        return [{"stage": s, "label": STAGE_LABELS[s], "first_turn_id": reached[s]}
                for s in order if s in reached]

    @staticmethod
    def _negotiation(tr: Transcript, cand_pos: list[int], anns: list[TurnAnnotation]) -> NegotiationFigures:
        """Price path from the turn readings: the candidate's own offers only (never a figure they
        quote, recall or refuse), the interlocutor's prices in the same range, and each candidate
        concession with or without a counterpart asked in the same turn."""
        n = NegotiationFigures()
        if tr.negotiation is not None:
            n.unit_label = tr.negotiation.unit_label
        by_pos = dict(zip(cand_pos, anns, strict=True))
        price_path: list[tuple[str, float]] = []
        traded: list[bool] = []
        for i, t in enumerate(tr.turns):
            ann = by_pos.get(i)
            if ann is not None:
                own = ann.offer
                if own is None and not ann.offer_ambiguous:
                    prices = [a.value for a in ann.amounts if a.role == "own_offer" and a.unit != "%"]
                    own = prices[-1] if prices else None
                if own is None:
                    continue
                price_path.append(("candidate", own))
                traded.append(_asks_counterpart(ann))
                continue
            if not _PRICE_TALK.search(t.text):
                continue
            money = [q.value for q in extract_quantities(t.text, tr.language) if q.kind == "amount"]
            if money:
                price_path.append(("other", money[-1]))
        n.candidate_prices = [v for s, v in price_path if s == "candidate"]
        if n.candidate_prices:
            # Other amounts the interlocutor quotes (a budget line, the cost of a failure) are not
            # counter-offers: keep those in the range of the candidate's price.
            ref = n.candidate_prices[0]
            price_path = [(s, v) for s, v in price_path if s == "candidate" or 0.5 * ref <= v <= 1.5 * ref]
        n.other_prices = [v for s, v in price_path if s == "other"]
        n.candidate_opening = n.candidate_prices[0] if n.candidate_prices else None
        lowered = [k for k, (a, b) in enumerate(itertools.pairwise(n.candidate_prices), start=1) if b < a]
        n.concessions_candidate = len(lowered)
        n.concessions_traded = sum(1 for k in lowered if traded[k])
        n.concessions_free = n.concessions_candidate - n.concessions_traded
        n.concessions_other = sum(1 for a, b in itertools.pairwise(n.other_prices) if b != a)
        n.counterparts_asked = sum(1 for a in anns if _asks_counterpart(a))
        n.firm_statements = sum(1 for a in anns for m in a.negotiation if m.move == "firm")
        candidate_path = [(s, v) for s, v in price_path if s == "candidate"]
        price_path = candidate_path or price_path
        n.final_price = price_path[-1][1] if price_path else None
        if n.candidate_opening and n.final_price is not None:
            n.discount_from_opening = round(1 - n.final_price / n.candidate_opening, 3)
        th = tr.negotiation
        if th is not None and n.final_price is not None:
            if th.floor is not None and n.final_price < th.floor:
                n.position = "sous le prix plancher du candidat"
            elif th.list_price is not None and n.final_price >= th.list_price:
                n.position = "au prix catalogue ou au-dessus"
            elif th.floor is not None:
                n.position = "entre le plancher et le prix catalogue"
        return n
