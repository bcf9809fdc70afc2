"""Whose figure is each amount of a turn: the candidate's offer now, the partner's quoted back, or other.

A negotiation turn often holds several figures (« Vous êtes à 193 000 €, moi à 216 000 € : je peux
faire 209 000 € si… »); the persona must react to the candidate's offer, not to the first number.
Pure (regular expressions from ``lexicons/<lang>.yaml``, no spaCy) so the engine and the report can
call it cheaply. The cue nearest before a figure in its clause decides, then what follows it (a
refusal makes it « other »), then the partner's earlier figures (a figure they said is theirs).
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from scoring.lexicon import Lexicon, load_lexicon
from scoring.numbers import Quantity, extract_quantities

if TYPE_CHECKING:
    from scoring.amount_role_model import AmountRoleModel

AmountRole = Literal["own_offer", "partner_figure", "other"]
# Figures of context turns, each with the words just before it.
Spots = list[tuple[float, str]]
# The context turns in order as (speaker, text), speaker "self" (the candidate) or "other".
History = list[tuple[str, str]]
# Money and percentages only: counts, durations and dates are facts, not terms of a deal.
_MONEY_KINDS = ("amount", "percentage")
_CLAUSE_END = re.compile(r"[.!?;:…\n]|\s[-–—]\s")
_LEFT_WINDOW = 70
_RIGHT_WINDOW = 45
# A figure equal to one the partner said, within this relative tolerance, is taken to be theirs.
PARTNER_TOLERANCE = 0.005
# A turn this short that states one figure and nothing else is an offer (« 210 000 € HT, dernier mot »).
BARE_OFFER_MAX_WORDS = 9
_CAPITALISED_SUBJECT = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zà-ÿ]+(?:\s[A-Z][a-zà-ÿ]+)?\s+(?:vous\s+|nous\s+)?\w+")
BARE_MONEY_MIN = 1000
# « EN 9100 », « ISO 9001 », « n° 4512 »: a number right after a code or a number sign is a reference.
_REFERENCE_BEFORE = re.compile(r"(?:\b[A-Z]{2,}[-\s]?|\b(?:n°|no\.?|num(?:éro)?|réf\.?|version|v)\s?)$")
# Above this no figure is a price for a deal in this trainer: a typo or a joke, not an offer.
MAX_OFFER = 1e10
_YOU_SUBJECT = re.compile(r"(?<!\bje )(?<!\bj')(?<!\bnous )(?<!\bon )(?<!\bil )(?<!\belle )\b(?:vous|tu|t')\s*"
                          r"(?:\w+\s+){0,2}?\w+(?:\s+(?:de|à|d'|environ|presque|genre|déjà))?\s*$", re.I)
_YOUR_BEFORE = re.compile(r"\b(?:vos|votre|tes|ton|ta|leurs?)\s*(?:\w+\s+)?$", re.I)
_LINKED = re.compile(r"^\s*(?:,\s*)?(?:ou|voire|et|soit|puis|,)\s*(?:même\s+|bien\s+|alors\s+)?(?:à\s+)?$", re.I)


class AmountReading(BaseModel):
    """One money amount or percentage of a turn with its owner (the annotate contract's ``amounts``)."""

    value: float
    unit: str  # "EUR" (or another currency code) or "%"
    role: AmountRole
    text: str
    start: int = 0
    end: int = 0
    period: str | None = None  # "year", "month", "unit"… when written
    tax: str | None = None  # "HT" / "TTC" when written
    computed: bool = False  # a price with a percentage applied (« 240 000 € moins 15 % »)
    cue: str | None = None  # the words that decided the role (evidence for the juror)


@dataclass(frozen=True)
class OfferReading:
    """The candidate's offer in this turn: one price, or ambiguity to be asked about."""

    price: float | None
    discount_percent: float | None
    ambiguous: bool


def _clause_start(text: str, pos: int) -> int:
    start = max(0, pos - _LEFT_WINDOW)
    for m in _CLAUSE_END.finditer(text, start, pos):
        start = m.end()
    return start


def _clause_end(text: str, pos: int) -> int:
    m = _CLAUSE_END.search(text, pos, min(len(text), pos + _RIGHT_WINDOW))
    return m.start() if m else min(len(text), pos + _RIGHT_WINDOW)


def _nearest_cue(lex: Lexicon, left: str) -> tuple[str, str] | None:
    """The cue family whose match ends nearest to the figure (the rightmost one), and its text."""
    best: tuple[int, str, str] | None = None
    for m in lex.find_cues(left, ("amount_own", "amount_partner", "amount_recalled", "amount_third",
                                  "amount_limit_before", "amount_effect_before")):
        key = (m.end, m.family, m.text)
        if best is None or key[0] > best[0] or (key[0] == best[0] and m.family in ("amount_limit_before",
                                                                                    "amount_effect_before")):
            best = key
    return (best[1], best[2]) if best else None


def _close_to(value: float, figures: list[float]) -> bool:
    return any(abs(value - f) <= PARTNER_TOLERANCE * max(abs(f), 1.0) for f in figures)


def partner_figures(texts: list[str], lang: str = "fr") -> list[float]:
    """Every money amount and percentage the partner said (their earlier turns)."""
    return [v for t in texts for v in _money_values(t, lang)]


@functools.lru_cache(maxsize=4096)
def _money_values(text: str, lang: str) -> tuple[float, ...]:
    """One context turn's money figures, parsed once: the same turn comes back in the context of the
    next 24 turns (uncached, parsing the context took 8 of the 10 ms of a turn's amounts)."""
    return tuple(q.value for q in extract_quantities(text, lang) if q.kind in _MONEY_KINDS)


@functools.lru_cache(maxsize=4096)
def figure_spots(text: str, lang: str = "fr") -> tuple[tuple[float, str], ...]:
    """Every money figure of one turn, bare prices (« ma cible, c'est 190 000 ») included, with the
    words just before it; the model's context (a context turn is read once: it comes back in the
    context of the next turns)."""
    return tuple((m.value, text[max(0, m.start - 30) : m.start]) for m in
                 (_as_money(q) for q in extract_quantities(text, lang)) if m is not None)


@functools.lru_cache(maxsize=4096)
def figure_mentions(text: str, lang: str = "fr") -> tuple[tuple[float, str, str], ...]:
    """Like ``figure_spots`` with the words just after each figure too (« 181 000, c'est trop bas »):
    what a speaker said of a figure tells whose position it is."""
    return tuple((m.value, text[max(0, m.start - 40) : m.start], text[m.end : m.end + 40]) for m in
                 (_as_money(q) for q in extract_quantities(text, lang)) if m is not None)


def _role_of(lex: Lexicon, text: str, q: Quantity, partner: list[float], previous: AmountReading | None,
             own_anywhere: bool) -> tuple[AmountRole, str | None]:
    start = _clause_start(text, q.start)
    left = text[start : q.start]
    right = text[q.end : _clause_end(text, q.end)]
    if lex.find_cues(right[:30], ("amount_refused_after",)):
        return "other", "refus ou limite après le montant"
    theirs = q.kind in _MONEY_KINDS and _close_to(q.value, partner)
    effect = lex.find_cues(right[:40], ("amount_effect_after",))
    if effect:  # « 90 000 € récupérés », « 20 000 € d'économies »: what a figure measures, not a price
        return ("partner_figure" if theirs else "other"), effect[0].text
    accepted = lex.find_cues(right[:25], ("amount_accept",))
    if accepted:
        return "own_offer", accepted[0].text
    if previous is not None and previous.end >= start and _LINKED.match(text[previous.end : q.start]):
        return previous.role, previous.cue  # « 209 000 € ou 205 000 € sur trois ans »
    cue = _nearest_cue(lex, left)
    family = cue[0] if cue else None
    computed = lex.find_cues(left[-14:], ("amount_computed",))
    if computed and family != "amount_own":
        # « soit 3 400 € », « ça fait 3 230 € »: a result takes the role of the figure it comes from
        # when that figure is the candidate's own offer, else it is an intermediate computation.
        if previous is not None and previous.role == "own_offer" and previous.end >= start:
            return "own_offer", computed[-1].text
        return "other", computed[-1].text
    if family is None and _CAPITALISED_SUBJECT.search(left[-30:]):
        return "other", "montant d'un tiers"
    if family == "amount_effect_before":
        # « vous perdez 85 000 € », « une économie de 12 % »: a gain or a loss is the partner's figure
        # only when they said it; otherwise the candidate's estimate, never their offer.
        return ("partner_figure" if theirs else "other"), cue[1] if cue else None
    if family == "amount_own":
        return "own_offer", cue[1] if cue else None
    if family == "amount_partner" or (theirs and family is None):
        return "partner_figure", cue[1] if cue else "montant déjà cité par l'interlocuteur"
    if family in ("amount_recalled", "amount_third", "amount_limit_before"):
        return "other", cue[1] if cue else None
    near = left[-25:]
    yours = _YOUR_BEFORE.search(near)
    you = _second_person_subject(near) or (yours.group(0).strip() if yours else None)
    if you:
        return "partner_figure", you
    if not theirs and lex.find_cues(right, ("amount_measure_after",)):
        measure = " ".join(right.split()[:3])
        return "other", f"montant d'une grandeur : « {q.text} {measure} »"
    after = lex.find_cues(right[:30], ("amount_own",))
    if after and not theirs:
        return "own_offer", after[0].text  # « 210 000 € HT, dernier prix »
    if _CAPITALISED_SUBJECT.search(left):
        return "other", "montant d'un tiers"
    if q.kind == "amount":
        # No one else's figure: in a sales talk an amount stated flatly is the candidate's own terms
        # (their price list, their recap, their proposal).
        return "own_offer", None
    return ("own_offer" if own_anywhere else "other"), None


def _as_money(q: Quantity, said: list[float] | None = None) -> Quantity | None:
    """Money and percentages; a bare number of at least 1 000 that is not a year is money too:
    in a price talk candidates drop the currency (« 190 000 c'est trop bas »). So is a smaller bare
    number that repeats a figure of the talk, as such or in thousands (« 195 » after « 195 000 € »,
    « 640 » after « 640 € par mois »): the talk says what it counts."""
    if q.kind in _MONEY_KINDS:
        return q
    if q.kind != "quantity" or q.unit is not None or _looks_like_year(q):
        return None
    if q.value >= BARE_MONEY_MIN:
        return Quantity("amount", q.value, "EUR", q.start, q.end, q.text)
    if said and q.value >= 10:
        if _close_to(q.value * 1000, said):
            return Quantity("amount", q.value * 1000, "EUR", q.start, q.end, q.text)
        if _close_to(q.value, said):
            return Quantity("amount", q.value, "EUR", q.start, q.end, q.text)
    return None


def as_money(q: Quantity, said: list[float] | None = None) -> Quantity | None:
    """The public name of the reading above: a quantity as money when a price talk means money."""
    return _as_money(q, said)


def _looks_like_year(q: Quantity) -> bool:
    digits = q.text.strip()
    return digits.isdigit() and len(digits) == 4 and 1900 <= q.value <= 2100


def _second_person_subject(left: str) -> str | None:
    """« vous économisez 148 000 € », « tu touches 4 % »: the partner is the subject of the verb
    just before the figure (not « je vous propose », where « vous » is the object)."""
    m = _YOU_SUBJECT.search(left)
    return m.group(0).strip() if m else None


def _applied_percent(lex: Lexicon, text: str, found: list[AmountReading]) -> list[AmountReading]:
    """Add the price that results from « X € moins Y % » / « Y % de remise sur X € »."""
    out: list[AmountReading] = []
    for a, b in itertools.pairwise(found):
        between = text[a.end : b.start]
        if len(between) > 30:
            continue
        if a.unit != "%" and b.unit == "%" and lex.find_cues(between, ("percent_minus",)):
            price, pct, start, end = a, b, a.start, b.end
        elif a.unit == "%" and b.unit != "%" and lex.find_cues(between, ("percent_on",)):
            price, pct, start, end = b, a, a.start, b.end
        else:
            continue
        if not 0 < pct.value < 100:
            continue
        own = price.role == "own_offer" or pct.role == "own_offer"
        value = round(price.value * (1 - pct.value / 100), 2)
        out.append(AmountReading(value=value, unit=price.unit, role="own_offer" if own else "other",
                                 text=text[start:end], start=start, end=end, period=price.period, tax=price.tax,
                                 computed=True, cue=f"{price.text} − {pct.text}"))
        if own:
            price.role, price.cue = "other", "prix de référence du calcul"
    return out


def read_amounts(text: str, partner_texts: list[str] | None = None, lang: str = "fr",
                 own_texts: list[str] | None = None, use_model: bool = True,
                 history: History | None = None, genre: str | None = None) -> list[AmountReading]:
    """Money amounts and percentages of ``text`` with their owner, in reading order.

    The rules above read each figure; then the fitted model (``scoring.amount_role_model``, when its
    weights ship for ``lang``) decides the role with the rule decision as one of its features.
    ``own_texts`` are the candidate's earlier turns (a value said there before is a sign too);
    ``history`` the same context turns in conversation order, (speaker "self"/"other", text): who
    said a value first, whether it was refused, whether it lies between the two positions. Without
    it the partner's turns are taken as coming before the candidate's. ``genre`` ("sales",
    "negotiation", "mediation") is a sign too: a manager mediating between two members makes no offer."""
    lex = load_lexicon(lang)
    partner = partner_figures(partner_texts or [], lang)
    said = [v for t in [*(partner_texts or []), *(own_texts or [])] for v, _ in figure_spots(t, lang)]
    quantities = [m for m in (_as_money(q, said) for q in extract_quantities(text, lang)
                              if not _REFERENCE_BEFORE.search(text[max(0, q.start - 12) : q.start]))
                  if m is not None]
    own_anywhere = bool(lex.find_cues(text, ("amount_own",)))
    found: list[AmountReading] = []
    for q in quantities:
        previous = found[-1] if found else None
        role, cue = _role_of(lex, text, q, partner, previous, own_anywhere)
        found.append(AmountReading(value=q.value, unit="%" if q.kind == "percentage" else (q.unit or "EUR"),
                                   role=role, text=q.text, start=q.start, end=q.end, period=q.period,
                                   tax=q.qualifier, cue=cue))
    model = _role_model(lang) if use_model and found else None
    if model is not None:
        _apply_model(model, rule_context(text, found, partner_texts or [], own_texts or [], lang, history,
                                               genre))
    computed = _applied_percent(lex, text, found)
    return sorted([*found, *computed], key=lambda a: (a.start, a.computed))


RuleContext = tuple[Lexicon, str, list[AmountReading], Spots, Spots, Spots, list[tuple[str, int, float, str, str]],
                    str | None]


def rule_context(text: str, found: list[AmountReading], partner_texts: list[str], own_texts: list[str],
                 lang: str = "fr", history: History | None = None, genre: str | None = None) -> RuleContext:
    """The arguments of ``amount_role_model.amount_features`` for one turn read by the rules; the
    last but one lists every money figure of the context as (speaker, turns ago, value, before,
    after), the last is the kind of conversation."""
    spots = [s for t in partner_texts for s in figure_spots(t, lang)]
    last = list(figure_spots(partner_texts[-1], lang)) if partner_texts else []
    turns = history if history is not None else [*(("other", t) for t in partner_texts),
                                                  *(("self", t) for t in own_texts)]
    mentions = [(speaker, len(turns) - i, v, before, after) for i, (speaker, t) in enumerate(turns)
                for v, before, after in figure_mentions(t, lang)]
    return (load_lexicon(lang), text, found, spots, last, [s for t in own_texts for s in figure_spots(t, lang)],
            mentions, genre)


_MODELS: dict[str, AmountRoleModel | None] = {}


def _role_model(lang: str) -> AmountRoleModel | None:
    """The fitted role model for ``lang``, loaded once; None when no weights ship (rules only)."""
    if lang not in _MODELS:
        from scoring.amount_role_model import MODEL_PATH, AmountRoleModel

        _MODELS[lang] = AmountRoleModel.load() if lang == "fr" and MODEL_PATH.exists() else None
    return _MODELS[lang]


def _apply_model(model: AmountRoleModel, context: RuleContext) -> None:
    """Let the model decide each role; the cue stays the rule's words when both agree, else it
    names the signs that weighed most for the model's role."""
    from scoring.amount_role_model import amount_features, decide

    found = context[2]
    rows = amount_features(*context)
    for a, feats, (role, confidence) in zip(found, rows, decide(model.transform(rows), rows), strict=True):
        if role != a.role:
            signs = ", ".join(model.evidence(feats, role)) or "ensemble des indices"
            a.role, a.cue = role, f"modèle ({confidence:.2f}) : {signs}"  # type: ignore[assignment]


def offer_of(amounts: list[AmountReading]) -> OfferReading:
    """The one price the candidate offers now, a discount in percent, or ambiguity.

    A computed price (« 240 000 € moins 15 % ») is the offer; several different own prices in one
    turn (« 209 000 € ou 212 000 € selon la durée ») are ambiguous: the persona should ask.
    """
    own = [a for a in amounts if a.role == "own_offer"]
    prices = [a for a in own if a.unit != "%" and 0 < a.value <= MAX_OFFER]
    computed = [a for a in prices if a.computed]
    if computed:
        prices = computed
    values = sorted({round(a.value, 2) for a in prices})
    discounts = [a.value for a in own if a.unit == "%" and 0 < a.value < 100]
    if len(values) > 1:
        return OfferReading(price=None, discount_percent=None, ambiguous=True)
    discount = discounts[-1] if discounts and not values else None
    return OfferReading(price=values[0] if values else None, discount_percent=discount, ambiguous=False)
