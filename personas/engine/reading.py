"""How the engine reads one candidate turn: what they did (intent) and how (signals).

When the scoring analysis is missing, the intent alone decides (e.g. every ``ask_*`` intent is
taken as an open question); the analysis, when present, refines it (an ``ask_needs`` phrased as a
yes/no question is a closed question and reveals nothing).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from personas.engine.models import CandidateTurn
from personas.intents import QUESTION_INTENTS
from scoring.numbers import extract_quantities, first_amount

LOW_CONFIDENCE = 0.3
# Only in these intents is a bare « 210 000 » read as a price (elsewhere it may be « EN 9100 »).
PRICE_INTENTS = frozenset({"propose_price", "concede", "ask_counterpart"})
_AGGRESSIVE_LABELS = {"aggressive", "agressif", "agressive", "hostile"}
# Information questions (« Quel est votre calendrier ? »): the scoring may call them closed, yet a
# person asked one answers the fact. The engine treats them as semi-open: they reveal, with less trust.
_WH_WORDS = re.compile(
    r"(?<!\w)(quel|quelle|quels|quelles|combien|qui|où|quand|comment|pourquoi|quoi|qu['’]est-ce)(?!\w)|^\s*que\s",
    re.IGNORECASE,
)
_ASSERTIVE_LABELS = {"assertive", "assertif", "assertif·ve", "affirmé"}


def fold(text: str) -> str:
    """Lower-case and strip accents, so « délai » matches « delai » in keyword tests."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").replace("’", "'")


def mentions(text_folded: str, keywords: list[str]) -> bool:
    """True if any keyword (accent-insensitive, matched at a word start) occurs in the text."""
    return any(re.search(r"(?<!\w)" + re.escape(fold(k)), text_folded) for k in keywords)


_AGREEMENT_WORDS = ["d'accord", "ok pour", "ca vous va", "ca vous convient", "on valide", "validons", "on signe"]
_NEXT_STEP_WORDS = [
    "rendez-vous", "demonstration", "demo ", "prochaine etape", "se revoir", "nous revoir", "rencontrer",
    "point le", "bilan le", "comite du", "bon de commande",
]  # fmt: skip


@dataclass(frozen=True)
class Reading:
    """The engine's interpretation of one turn."""

    intent: str
    text: str
    folded: str
    low_confidence: bool
    open_question: bool
    closed_question: bool
    reformulation: bool
    summary: bool
    aggressive: bool  # the NLU says the turn is aggressive: the persona reacts to nothing else
    harsh: bool  # only the tone analysis says so: tension rises, the turn is still answered
    semi_open: bool  # an information question the analysis calls closed, asked with a discovery intent
    assertive: bool
    words: int
    has_date: bool
    amount: float | None  # an explicit amount (« 12 000 € », « 12k€ »)
    price: float | None  # the price proposed in a price turn, currency optional

    @property
    def is_question(self) -> bool:
        return self.open_question or self.closed_question or "?" in self.text

    @property
    def asks_agreement(self) -> bool:
        """« Êtes-vous d'accord pour… ? » labelled a mere closed question by the NLU."""
        return self.closed_question and mentions(self.folded, _AGREEMENT_WORDS)

    @property
    def proposes_next_step(self) -> bool:
        """A dated meeting or next step, whatever intent the NLU gave it."""
        return self.has_date or mentions(self.folded, _NEXT_STEP_WORDS)


def read_turn(turn: CandidateTurn) -> Reading:
    """Combine intent, confidence and optional per-turn signals into a ``Reading``."""
    intent = turn.intent or "nlu_fallback"
    signals = turn.analysis
    low = intent == "nlu_fallback" or turn.confidence < LOW_CONFIDENCE
    aggressive = intent == "aggressive_statement"
    harsh = semi_open = False
    if signals is not None:
        closed = signals.question_type == "closed" or (intent == "closed_question" and signals.question_type != "open")
        open_q = not closed and (signals.question_type == "open" or intent in QUESTION_INTENTS)
        if closed and intent in QUESTION_INTENTS and _WH_WORDS.search(turn.text):
            closed, open_q, semi_open = False, True, True
        reformulation = intent == "reformulate" or signals.is_reformulation
        summary = intent == "summarize" or signals.is_summary
        label = signals.assertiveness.lower() if isinstance(signals.assertiveness, str) else ""
        harsh = not aggressive and label in _AGGRESSIVE_LABELS
        assertive = intent == "assertive_statement" or label in _ASSERTIVE_LABELS
    else:
        closed = intent == "closed_question"
        open_q = intent in QUESTION_INTENTS
        reformulation = intent == "reformulate"
        summary = intent == "summarize"
        assertive = intent == "assertive_statement"
    quantities = extract_quantities(turn.text)
    explicit = next((q.value for q in quantities if q.kind == "amount"), None)
    return Reading(
        intent=intent,
        text=turn.text,
        folded=fold(turn.text),
        low_confidence=low,
        open_question=open_q,
        closed_question=closed,
        reformulation=reformulation,
        summary=summary,
        aggressive=aggressive,
        harsh=harsh,
        semi_open=semi_open,
        assertive=assertive,
        words=len(turn.text.split()),
        has_date=any(q.kind == "date" for q in quantities),
        amount=explicit,
        price=first_amount(turn.text) if intent in PRICE_INTENTS else explicit,
    )
