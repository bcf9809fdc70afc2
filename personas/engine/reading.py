"""How the engine reads one candidate turn: what they did (intent) and how (signals).

When the scoring analysis is missing, the intent alone decides (e.g. every ``ask_*`` intent is
taken as an open question); the analysis, when present, refines it (an ``ask_needs`` phrased as a
yes/no question is a closed question and reveals nothing).
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from dataclasses import dataclass

from personas.engine.cues import count_cues, has_cue
from personas.engine.models import CandidateTurn
from personas.intents import QUESTION_INTENTS
from scoring.numbers import Quantity, extract_quantities, first_amount

LOW_CONFIDENCE = 0.3
# Below this the NLU's intent is weak evidence: the text and the signals may overrule it.
WEAK_CONFIDENCE = 0.6
# Only in these intents is a bare « 210 000 » read as a price (elsewhere it may be « EN 9100 »).
PRICE_INTENTS = frozenset({"propose_price", "concede", "ask_counterpart"})
_AGGRESSIVE_LABELS = {"aggressive", "agressif", "agressive", "hostile"}
# Information questions (« Quel est votre calendrier ? »): the scoring may call them closed, yet a
# person asked one answers the fact. The engine treats them as semi-open: they reveal, with less trust.
# Intents whose turn carries content of its own (an offer, an argument, a price, a closing).
_CONTENT_INTENTS = frozenset(
    {"present_offer", "propose_solution", "handle_objection", "propose_price", "concede", "ask_counterpart",
     "request_commitment", "propose_next_step", "ask_agreement", "summarize", "set_ground_rules", "reframe"}
)  # fmt: skip
_ASSERTIVE_LABELS = {"assertive", "assertif", "assertif·ve", "affirmé"}
# A turn is written in English when English function words (lexicon family ``engine_english``) make
# at least this share of its words, and at least ENGLISH_MIN_WORDS of them (« Merci, thanks ! » is French).
ENGLISH_SHARE = 0.35
ENGLISH_MIN_WORDS = 2
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower-case and strip accents, so « délai » matches « delai » in keyword tests.

    Cached: the persona's keywords and lines are folded again on every turn (about twenty calls a turn)."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").replace("’", "'")


_NEVER = re.compile(r"(?!)")


def is_function_word(keyword: str) -> bool:
    """A keyword that is one French function word (« qui », « que », « vous ») names no topic.

    Why: « qui » as a keyword of the decision need sent « Qu'est-ce qui vous pose souci ? » to the
    decision process. The lexicon's ``engine_function_word`` decides (the engine keeps no list of its
    own); interrogative adverbs such as « quand » name a topic (the calendar) and stay.
    """
    return has_cue(fold(keyword).strip(), "engine_function_word")


@functools.lru_cache(maxsize=4096)
def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    """The compiled, folded pattern of one keyword (persona keywords are few and reused every turn).

    A lone function word never matches (``is_function_word``); « qui d'autre » still does."""
    if is_function_word(keyword):
        return _NEVER
    return re.compile(r"(?<!\w)" + re.escape(fold(keyword)))


def mentions(text_folded: str, keywords: list[str]) -> bool:
    """True if any keyword (accent-insensitive, matched at a word start) occurs in the text."""
    return any(_keyword_pattern(k).search(text_folded) for k in keywords)


@functools.lru_cache(maxsize=2048)
def quantities_in(text: str) -> tuple[Quantity, ...]:
    """The figures of a turn (``scoring.numbers``), read once per text: the reading and the fact
    checks of the same turn ask for them several times, and the extraction is the engine's costliest step."""
    return tuple(extract_quantities(text))


def written_in_english(folded: str) -> bool:
    """Is the (folded) turn written in English? Share of English function words, never whole phrases."""
    words = _WORD.findall(folded)
    hits = count_cues(folded, "engine_english")
    return hits >= ENGLISH_MIN_WORDS and hits >= ENGLISH_SHARE * len(words)


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
    weak_intent: bool  # confidence below WEAK_CONFIDENCE: the intent is only a hint
    statement: bool  # neither a « ? » nor a question for the analysis
    greets: bool  # the turn opens with « Bonjour… »
    reformulation_cue: bool  # the text or the analysis (not the intent alone) says it is a reformulation
    summary_cue: bool  # the text or the analysis (not the intent alone) says it is a summary
    open_cue: bool  # a « ? » with a question word (« Quelles… ? ») or that the analysis calls open
    restates: bool  # opens like a reformulation (« Si je comprends bien… »): not an offer, not a price
    offers_price: bool  # words of a price offer (« je peux descendre à », « je vous propose »)
    words: int
    has_date: bool
    amount: float | None  # an explicit amount (« 12 000 € », « 12k€ »)
    price: float | None  # the price proposed in a price turn, currency optional
    # From the turn reading (scoring, reader 2+): None/empty when the engine runs on the intent alone.
    content: bool = False  # the reading knows whose figure each amount is
    offer_ambiguous: bool = False  # several different own prices: ask which one
    discount: float | None = None  # a discount in percent granted now, with no price
    partner_figures: tuple[float, ...] = ()  # the persona's own figures quoted back
    addressee: tuple[str, ...] = ()
    accuracy: str | None = None  # accurate | partial | inaccurate (reformulations)
    mismatches: tuple[str, ...] = ()
    summary_accuracy: str | None = None  # a closing recap checked against the whole exchange
    summary_mismatches: tuple[str, ...] = ()
    sides_with: str | None = None
    blames: str | None = None
    topics: tuple[str, ...] = ()
    dates: tuple[tuple[str, str], ...] = ()  # (text, ISO day or date-time) of the dates the turn names
    english: bool = False  # written in English: the persona asks, once, to go on in French
    # The turn's last question asks for information (ouverte, précise, alternative), not a check of
    # what was just said (« c'est bien ça ? »).
    asks_information: bool = False
    question_subtype: str | None = None  # the reading's: ouverte, precise, fermee, alternative…
    stakeholder_question: bool = False  # the reading's: the question is about who else decides or knows
    own_figures: tuple[float, ...] = ()  # every price the reading says is the candidate's own in this turn
    next_steps: int = 0  # commitments the reading found (who does what, when)
    # The negotiation moves the reading found (offer, concession, counterpart, firm, amount).
    moves: tuple[str, ...] = ()

    @property
    def is_question(self) -> bool:
        return self.open_question or self.closed_question or "?" in self.text

    @property
    def gives_ground(self) -> bool:
        """The reading found the seller moving in this turn (an offer, a concession, a condition
        traded): a percentage said in such a turn may be a discount; elsewhere it argues."""
        return bool({"offer", "concession", "counterpart"}.intersection(self.moves))

    @property
    def asks_agreement(self) -> bool:
        """« Êtes-vous d'accord pour… ? », « Pouvons-nous valider… ? », whatever intent the NLU gave it."""
        if self.closed_question and has_cue(self.folded, "engine_agreement"):
            return True
        return "?" in self.text and has_cue(self.folded, "engine_commitment")

    @property
    def proposes_next_step(self) -> bool:
        """A dated meeting or next step, whatever intent the NLU gave it."""
        return self.has_date or has_cue(self.folded, "engine_next_step")


_INFORMATION_SUBTYPES = frozenset({"ouverte", "precise", "alternative"})


def read_turn(turn: CandidateTurn) -> Reading:
    """Combine intent, confidence, optional per-turn signals and the text itself into a ``Reading``.

    Text markers (« Si je comprends bien », « Pour récapituler ») are read whatever the intent: long
    natural turns are where the NLU errs most, and these openers are unambiguous.
    """
    intent = turn.intent or "nlu_fallback"
    signals = turn.analysis
    folded = fold(turn.text)
    low = intent == "nlu_fallback" or turn.confidence < LOW_CONFIDENCE
    statement = "?" not in turn.text and (signals is None or not signals.is_question)
    reformulation_marker = has_cue(folded, "engine_reformulation")
    summary_marker = has_cue(folded, "engine_summary")
    aggressive = intent == "aggressive_statement"
    harsh = semi_open = False
    if signals is not None:
        closed = signals.question_type == "closed" or (intent == "closed_question" and signals.question_type != "open")
        if closed and statement:
            closed = False  # « closed_question » on a turn that asks nothing (a restatement, an argument)
        # A discovery intent on a turn that asks nothing (« Je récapitule, … ») is not an open question.
        open_q = not closed and (signals.question_type == "open" or (intent in QUESTION_INTENTS and not statement))
        if closed and intent in QUESTION_INTENTS and has_cue(turn.text, "engine_wh"):
            closed, open_q, semi_open = False, True, True
        # The echo detector fires on offers that reuse the persona's words: a confident offer, argument,
        # price or closing stays what the NLU says unless the text opens like a reformulation.
        echo_only = signals.is_reformulation and (intent not in _CONTENT_INTENTS or turn.confidence < WEAK_CONFIDENCE)
        reformulation = intent == "reformulate" or echo_only or reformulation_marker
        summary = intent == "summarize" or signals.is_summary or summary_marker
        label = signals.assertiveness.lower() if isinstance(signals.assertiveness, str) else ""
        harsh = not aggressive and label in _AGGRESSIVE_LABELS
        assertive = intent == "assertive_statement" or label in _ASSERTIVE_LABELS
    else:
        closed = intent == "closed_question"
        open_q = intent in QUESTION_INTENTS
        reformulation = intent == "reformulate" or reformulation_marker
        summary = intent == "summarize" or summary_marker
        assertive = intent == "assertive_statement"
    quantities = quantities_in(turn.text)
    explicit = next((q.value for q in quantities if q.kind == "amount"), None)
    content = signals is not None and signals.has_content
    # The bare-number fallback re-extracts the figures: only when the reading does not give the offer.
    price = first_amount(turn.text) if intent in PRICE_INTENTS and not content else explicit
    if signals is not None and content:
        # Whose figure is whose comes from the reading: never the first number of the turn.
        price = signals.offer
        own = [a.get("value") for a in signals.amounts if a.get("role") == "own_offer" and a.get("unit") != "%"]
        explicit = signals.offer if signals.offer is not None else (own[-1] if own else None)
    stance = (signals.stance or {}) if signals is not None else {}
    return Reading(
        intent=intent,
        text=turn.text,
        folded=folded,
        low_confidence=low,
        open_question=open_q,
        closed_question=closed,
        reformulation=reformulation,
        summary=summary,
        aggressive=aggressive,
        harsh=harsh,
        semi_open=semi_open,
        assertive=assertive,
        weak_intent=turn.confidence < WEAK_CONFIDENCE,
        statement=statement,
        greets=has_cue(folded, "engine_greeting"),
        restates=reformulation_marker,
        reformulation_cue=reformulation_marker or (signals is not None and signals.is_reformulation),
        summary_cue=summary_marker or (signals is not None and signals.is_summary),
        open_cue="?" in turn.text
        and (has_cue(turn.text, "engine_wh") or (signals is not None and signals.question_type == "open")),
        offers_price=has_cue(folded, "engine_price_offer"),
        words=len(turn.text.split()),
        has_date=any(q.kind == "date" for q in quantities),
        amount=explicit,
        price=price,
        content=content,
        offer_ambiguous=bool(signals and content and signals.offer_ambiguous),
        discount=signals.offer_discount if signals is not None and content else None,
        partner_figures=tuple(float(a["value"]) for a in (signals.amounts if signals else [])
                              if a.get("role") == "partner_figure" and isinstance(a.get("value"), int | float)),
        addressee=tuple(signals.addressee) if signals is not None else (),
        accuracy=signals.reformulation_accuracy if signals is not None else None,
        mismatches=tuple(signals.reformulation_mismatches) if signals is not None else (),
        summary_accuracy=signals.summary_accuracy if signals is not None else None,
        summary_mismatches=tuple(signals.summary_mismatches) if signals is not None else (),
        sides_with=stance.get("sides_with") if isinstance(stance.get("sides_with"), str) else None,
        blames=stance.get("blames") if isinstance(stance.get("blames"), str) else None,
        topics=tuple(signals.topics) if signals is not None else (),
        dates=tuple((str(d.get("text", "")), str(d["iso"])) for d in (signals.dates if signals else [])
                    if d.get("kind") == "date" and isinstance(d.get("iso"), str)),
        english=written_in_english(folded),
        # From the reading only: on the intent alone « …, ce qui vous rend dépendante ? » would pass for one.
        asks_information=signals is not None and signals.question_subtype in _INFORMATION_SUBTYPES,
        question_subtype=signals.question_subtype if signals is not None else None,
        stakeholder_question=bool(signals is not None and signals.stakeholder_question),
        own_figures=tuple(float(a["value"]) for a in (signals.amounts if signals and content else [])
                          if a.get("role") == "own_offer" and a.get("unit") != "%"
                          and isinstance(a.get("value"), int | float)),
        next_steps=len(signals.next_steps) if signals is not None else 0,
        moves=tuple(str(m.get("move")) for m in (signals.negotiation if signals else []) if m.get("move")),
    )


_QUESTION_SENTENCE = re.compile(r"[^.!?…]*[?]")


def question_part(reading: Reading) -> Reading:
    """The reading of a restatement's closing question alone (« Si je reformule : … Et qui décide ? »):
    the persona answers the question on its own words, not on the restatement's."""
    found = _QUESTION_SENTENCE.findall(reading.text)
    asked = found[-1].strip() if found else reading.text
    return dataclasses.replace(reading, reformulation=False, open_question=True, closed_question=False,
                               semi_open=reading.semi_open or not reading.open_question, text=asked,
                               folded=fold(asked))
