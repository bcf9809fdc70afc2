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


def _slot(q: Quantity) -> tuple[str, str | None]:
    if q.kind in ("amount", "percentage", "duration"):
        return q.kind, q.unit
    return q.kind, q.unit


def _years(text: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(text)}


def _figures(reform: str, partner: list[str], own: set[tuple[int, int]]) -> tuple[list[str], list[str]]:
    """(confirmed, mismatched) figures: same kind and unit in the partner's words, same value or not.

    The candidate's own offer and figures they compute (« soit 3 400 € ») restate nothing; a figure is
    compared only with the partner's figures of the same scale (a monthly fee is no annual budget).
    """
    lex = load_lexicon("fr")
    theirs = [q for t in partner for q in extract_quantities(t) if q.kind != "date"]
    confirmed: list[str] = []
    mismatched: list[str] = []
    for q in extract_quantities(reform):
        if q.kind == "date" or (q.kind == "quantity" and q.unit is None) or (q.start, q.end) in own:
            continue
        if lex.find_cues(reform[max(0, q.start - 14) : q.start], ("amount_computed",)):
            continue
        kind, unit = _slot(q)
        same_slot = [p for p in theirs if p.kind == kind and (p.unit == unit or _same_unit(p.unit, unit))]
        if not same_slot:
            continue
        if any(abs(p.value - q.value) <= 0.005 * max(abs(p.value), 1.0) for p in same_slot):
            confirmed.append(q.text.strip())
            continue
        near = [p for p in same_slot if p.value and 1 / SAME_SCALE <= q.value / p.value <= SAME_SCALE]
        if near:
            closest = min(near, key=lambda p: abs(p.value - q.value))
            mismatched.append(f"« {q.text.strip()} » au lieu de « {closest.text.strip()} »")
    said_years = {y for t in partner for y in _years(t)}
    for year in sorted(_years(reform) - said_years):
        if said_years:
            mismatched.append(f"« {year} » au lieu de « {max(said_years, key=lambda y: -abs(y - year))} »")
    return confirmed, mismatched


def _clauses(doc: Doc) -> list[tuple[set[str], bool, str]]:
    """Clauses as (content lemmas, negated, text)."""
    out = []
    for m in _CLAUSE.finditer(doc.text):
        toks = [t for t in doc if m.start() <= t.idx < m.end()]
        content = {t.lemma_.lower() for t in toks if t.pos_ in ("NOUN", "VERB", "ADJ", "PROPN")
                   and not t.is_stop and len(t.text) > 2}
        negated = any(t.lower_ in _NEGATORS for t in toks) or any(t.lower_ in ("ne", "n'") for t in toks)
        if content:
            out.append((content, negated, m.group(0).strip()))
    return out


def _negations(reform: Doc, partner: list[Doc]) -> list[str]:
    """Clauses whose polarity differs from the partner clause they restate."""
    theirs = [c for d in partner for c in _clauses(d)]
    out: list[str] = []
    for content, negated, text in _clauses(reform):
        best = max(theirs, key=lambda c: len(content & c[0]), default=None)
        if best is None or len(content & best[0]) < NEGATION_OVERLAP:
            continue
        if best[1] != negated:
            out.append(f"« {text} » contredit « {best[2]} »")
    return out


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


def check_reformulation(reform: Doc, partner: list[Doc],
                        own_offers: set[tuple[int, int]] | None = None) -> AccuracyCheck:
    """Compare a restatement with the partner's earlier turns (most recent last).

    ``own_offers``: character spans of the turn's figures that are the candidate's own offer (from
    the amount reading already made for the turn); they restate nothing and are not compared.
    """
    texts = [d.text for d in partner]
    confirmed, mismatched = _figures(reform.text, texts, own_offers or set())
    mismatched += _negations(reform, partner)
    support = _support(reform, partner)
    verdict: ReformulationAccuracy
    if not mismatched:
        verdict = "accurate" if support >= SUPPORTED_SHARE or confirmed else "partial"
    elif len(mismatched) >= len(confirmed):
        verdict = "inaccurate"
    else:
        verdict = "partial"
    return AccuracyCheck(verdict, mismatched, confirmed, round(support, 3))


__all__ = ["AccuracyCheck", "check_reformulation"]
