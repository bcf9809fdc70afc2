"""Is a reformulation true? Its figures, negations and key terms checked against what the partner said.

A trainer's persona confirms an accurate restatement and corrects a wrong one; the grid counts only
accurate ones. « Si je comprends bien, vos fourgons font 300 km par jour… » after « nos camions font
120 kilomètres par jour » is inaccurate, whatever its markers say.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from spacy.tokens import Doc

from scoring.amount_roles import as_money
from scoring.lexicon import load_lexicon
from scoring.numbers import Quantity, extract_quantities
from scoring.schema import ReformulationAccuracy

_NEGATORS = {"pas", "jamais", "aucun", "aucune", "rien", "sans", "ni", "nullement", "guère"}
_CLAUSE = re.compile(r"[^,;:.!?…\n]+")
# Thresholds calibrated on the development conversations (docs/scoring.md, « Lecture du tour »).
SUPPORTED_SHARE = 0.2  # below this share of key terms found in the partner's words: partly invented
NEGATION_OVERLAP = 2  # content words a clause must share with a partner clause to compare polarity
SAME_SCALE = 3.0  # a figure is compared with the partner's figures within this ratio
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
INACCURATE_MISMATCHES = 2  # this many wrong elements: the restatement is wrong, not partly right
NEAR_SYNONYM = 0.62  # cosine of static vectors above which two words count as the same term


@dataclass
class AccuracyCheck:
    """The verdict and the evidence: figures confirmed, mismatches with the partner's words."""

    verdict: ReformulationAccuracy
    mismatches: list[str] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)
    support: float = 0.0


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def _singular(word: str) -> str:
    w = _fold(word)
    return w[:-1] if len(w) > 3 and w.endswith(("s", "x")) else w


def _same_unit(a: str | None, b: str | None) -> bool:
    """« km » and « kilomètres », « bornes » and « borne »: an abbreviation's letters in order."""
    if a is None or b is None:
        return False
    x, y = sorted((_singular(a), _singular(b)), key=len)
    if x == y:
        return True
    if not x or x[0] != y[0] or len(x) > 4:
        return False
    pos = 0
    for ch in x:
        pos = y.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    return True


def _years(text: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(text)}


_DAYS = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "year": 365.25}


def _comparable(q: Quantity) -> tuple[str, str | None, float]:
    """Kind, unit and value on one scale: days, weeks, months and years are all days (« un an »
    restates no « neuf mois »); hours stay apart (a delay is not a period)."""
    if q.kind == "duration" and q.unit in _DAYS:
        return "duration", "day", q.value * _DAYS[q.unit]
    return q.kind, q.unit, q.value


def _same_digits(a: float, b: float) -> bool:
    """A slip of the pen on the partner's figure, whatever the ratio: digits swapped (« 168 000 »
    for « 186 000 », « 17 » for « 71 »), or one digit dropped or added (« 48 000 » for « 148 000 »,
    « 15 000 » for « 1 500 »)."""
    x, y = f"{a:.0f}", f"{b:.0f}"
    if a == b or min(len(x), len(y)) < 2:
        return False
    if len(x) == len(y):
        return sorted(x) == sorted(y)
    short, long = sorted((x, y), key=len)
    return len(long) == len(short) + 1 and any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _figures(reform: str, partner: list[str], own: set[tuple[int, int]],
             own_texts: list[str] | None = None, recap: bool = False) -> tuple[list[str], list[str]]:
    """(confirmed, mismatched) figures: same kind and unit in the partner's words, same value or not.

    The candidate's own offer, figures they compute (« soit 3 400 € ») and figures they said
    themselves earlier restate nothing; a money figure is compared only with the partner's figures
    of the same scale (a monthly fee is no annual budget), a count of the same thing (« arrêts »)
    or a period with any other of its kind. In a closing recap (``recap``), times, periods and years
    are the plan being agreed (« lundi 9 h », « sur deux ans », « dès 2026 »), not the partner's
    facts restated, and are not compared.
    """
    lex = load_lexicon("fr")
    theirs = [_money(q) for t in partner for q in extract_quantities(t) if q.kind != "date"]
    their_values = [_comparable(p)[2] for p in theirs] + [p.value for p in theirs]
    mine = [q.value for t in own_texts or [] for q in extract_quantities(t) if q.kind != "date"]
    confirmed: list[str] = []
    mismatched: list[str] = []
    for q in map(_money, extract_quantities(reform)):
        if q.kind == "date" or (q.kind == "quantity" and q.unit is None) or (recap and q.kind == "duration"):
            continue
        if (q.start, q.end) in own and not any(_same_digits(q.value, p.value) for p in theirs):
            continue
        if lex.find_cues(reform[max(0, q.start - 14) : q.start], ("amount_computed",)):
            continue
        kind, unit, value = _comparable(q)
        if _close(value, their_values) or _close(q.value, their_values):
            confirmed.append(q.text.strip())
            continue
        if _close(q.value, mine):
            continue  # the candidate's own figure, said before: theirs to quote, not a restatement
        same_slot = [p for p in theirs if _comparable(p)[0] == kind
                     and (_comparable(p)[1] == unit or _same_unit(_comparable(p)[1], unit))]
        if not same_slot:
            continue
        # « 4 arrêts » restates « 14 arrêts » wrongly, « 50 % » restates « 15 % » wrongly, whatever the ratio
        counted = kind in ("quantity", "percentage")
        near = [p for p in same_slot if _comparable(p)[2] and (counted or _same_digits(value, _comparable(p)[2])
                                                               or 1 / SAME_SCALE <= value / _comparable(p)[2]
                                                               <= SAME_SCALE)]
        if near:
            closest = min(near, key=lambda p: (not _same_digits(value, _comparable(p)[2]),
                                               abs(_comparable(p)[2] - value)))
            mismatched.append(f"« {q.text.strip()} » au lieu de « {closest.text.strip()} »")
    said_years = {y for t in partner for y in _years(t)}
    for year in sorted(_years(reform) - said_years) if not recap else []:
        if said_years:
            mismatched.append(f"« {year} » au lieu de « {max(said_years, key=lambda y: -abs(y - year))} »")
    return confirmed, mismatched


def _money(q: Quantity) -> Quantity:
    """A bare « 158 000 » is money in a sales talk (as the amount reading takes it)."""
    return (as_money(q) or q) if q.kind == "quantity" and q.unit is None else q


def _close(value: float, figures: list[float]) -> bool:
    return any(abs(f - value) <= 0.005 * max(abs(f), 1.0) for f in figures)


_NEGATION_SPAN = 3  # tokens after a negated verb where « pas / jamais / plus / rien » still bind to it


def _clauses(doc: Doc) -> list[tuple[set[str], set[str], str]]:
    """Clauses as (content lemmas, lemmas of the verbs that are negated, text). A verb is negated
    when « ne/n' » comes just before it and a negator just after (« ne regrette pas »), or « sans »
    right before it: « sans succès » or « qu'on ne mette pas en danger » negate no shared fact."""
    out = []
    for m in _CLAUSE.finditer(doc.text):
        toks = [t for t in doc if m.start() <= t.idx < m.end()]
        content = {t.lemma_.lower() for t in toks if t.pos_ in ("NOUN", "VERB", "ADJ", "PROPN")
                   and not t.is_stop and len(t.text) > 2}
        negated: set[str] = set()
        for k, t in enumerate(toks):
            if t.pos_ not in ("VERB", "AUX"):
                continue
            before = [x.lower_ for x in toks[max(0, k - 3) : k]]
            after = [x.lower_ for x in toks[k + 1 : k + 1 + _NEGATION_SPAN]]
            if (("ne" in before or "n'" in before) and any(w in _NEGATORS or w == "plus" for w in after)) \
                    or (before and before[-1] == "sans"):
                negated.add(t.lemma_.lower())
        if content:
            out.append((content, negated, m.group(0).strip()))
    return out


def _negations(reform: Doc, partner: list[Doc]) -> list[str]:
    """Clauses that deny what the partner clause they restate affirms, or the reverse: the same
    verb negated on one side only (« vous ne regrettez pas » after « je le regrette »)."""
    theirs = [c for d in partner for c in _clauses(d)]
    out: list[str] = []
    for content, negated, text in _clauses(reform):
        best = max(theirs, key=lambda c: len(content & c[0]), default=None)
        if best is None or len(content & best[0]) < NEGATION_OVERLAP:
            continue
        shared_verbs = {v for v in content & best[0]} & (negated ^ best[1])
        if shared_verbs:
            out.append(f"« {text} » contredit « {best[2]} »")
    return out


_ROLE_FAMILIES = ("grid_role_finance", "grid_role_technical", "grid_role_purchasing", "grid_role_management",
                  "grid_role_legal", "person_role_hr", "person_role_family")


def _persons(reform: str, partner: list[str], own_texts: list[str]) -> list[str]:
    """Roles the restatement names that nobody in the talk named (« votre DG » after « la DRH »):
    a wrong person is a wrong fact."""
    lex = load_lexicon("fr")
    said = {c.family for t in [*partner, *own_texts] for c in lex.find_cues(t, _ROLE_FAMILIES)}
    out: list[str] = []
    for c in lex.find_cues(reform, _ROLE_FAMILIES):
        if c.family not in said and said & set(_ROLE_FAMILIES):
            out.append(f"« {c.text} » : personne que l'interlocuteur n'a pas citée")
    return list(dict.fromkeys(out))


def _absolutes(reform: str, partner: list[str]) -> list[str]:
    """Sweeping words the partner did not use (« tout seul », « toutes les demandes », « du tout »):
    a restatement that turns a limit into an absolute changes what was said."""
    lex = load_lexicon("fr")
    said = {_fold(c.text) for t in partner for c in lex.find_cues(t, ("absolute_claim",))}
    return [f"« {c.text} » : généralisation absente des propos" for c in lex.find_cues(reform, ("absolute_claim",))
            if _fold(c.text) not in said]


def _support(reform: Doc, partner: list[Doc]) -> float:
    """Share of the restatement's key terms (nouns, adjectives, verbs) that the partner used or
    near-synonyms of them (static vectors of fr_core_news_md)."""
    mine = [t for t in reform if t.pos_ in ("NOUN", "ADJ", "PROPN", "VERB")
            and not t.is_stop and len(t.text) > 2]
    if not mine:
        return 1.0
    theirs = [t for d in partner for t in d if t.pos_ in ("NOUN", "ADJ", "PROPN", "VERB") and not t.is_stop]
    lemmas = {t.lemma_.lower() for t in theirs} | {_fold(t.text) for t in theirs}
    found = 0
    for t in mine:
        said = t.lemma_.lower() in lemmas or _fold(t.text) in lemmas
        if said or (t.has_vector and any(o.has_vector and t.similarity(o) >= NEAR_SYNONYM for o in theirs)):
            found += 1
    return found / len(mine)


def check_reformulation(reform: Doc, partner: list[Doc], own_offers: set[tuple[int, int]] | None = None,
                        own_texts: list[str] | None = None, recap: bool = False) -> AccuracyCheck:
    """Compare a restatement with the partner's earlier turns (most recent last).

    ``own_offers``: character spans of the turn's figures that are the candidate's own offer (from
    the amount reading already made for the turn); they restate nothing and are not compared.
    ``own_texts``: the candidate's earlier turns (their own figures and the names they used).
    ``recap``: a closing summary checked against the whole exchange (its schedule is not compared).

    One wrong element beside a confirmed figure is « partial »; two or more, a limit turned into an
    absolute, or a wrong element with nothing confirmed (the main fact itself is wrong) is
    « inaccurate » (the labelling guide's three levels).
    """
    texts = [d.text for d in partner]
    confirmed, mismatched = _figures(reform.text, texts, own_offers or set(), own_texts, recap)
    contradictions = _negations(reform, partner)
    sweeping = _absolutes(reform.text, texts)
    mismatched += contradictions + _persons(reform.text, texts, own_texts or []) + sweeping
    support = _support(reform, partner)
    verdict: ReformulationAccuracy
    if not mismatched:
        verdict = "accurate" if support >= SUPPORTED_SHARE or confirmed else "partial"
    elif len(mismatched) >= INACCURATE_MISMATCHES or sweeping or not confirmed:
        verdict = "inaccurate"
    else:
        verdict = "partial"
    return AccuracyCheck(verdict, mismatched, confirmed, round(support, 3))


__all__ = ["AccuracyCheck", "check_reformulation"]
