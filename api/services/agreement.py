"""Inter-rater agreement: raw agreement and Cohen's kappa (plain and weighted), pure functions.

A certification body must show that two jurors marking the same performance agree beyond chance:
raw agreement is inflated when most candidates get the same level, Cohen's kappa corrects for
that. Levels are ordinal (0–3), so the weighted kappa (a disagreement of two levels counts more
than one) is reported too. No I/O here, so the figures can be checked against textbook examples.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Literal

Pair = tuple[Hashable, Hashable]
Weights = Literal["linear", "quadratic"] | None


def percent_agreement(pairs: Sequence[Pair]) -> float | None:
    """Share of items both raters put in the same category (None without items)."""
    if not pairs:
        return None
    return sum(1 for a, b in pairs if a == b) / len(pairs)


def _categories(pairs: Sequence[Pair], categories: Sequence[Hashable] | None) -> list[Hashable]:
    if categories is not None:
        return list(categories)
    seen = {a for a, _ in pairs} | {b for _, b in pairs}
    try:
        return sorted(seen)  # type: ignore[type-var]
    except TypeError:
        return list(seen)


def cohen_kappa(pairs: Sequence[Pair], categories: Sequence[Hashable] | None = None,
                weights: Weights = None) -> float | None:
    """Cohen's kappa of two raters over the same items.

    `pairs` holds (rater A, rater B) per item. `categories` gives the order of ordinal levels (needed
    for weights; defaults to the sorted values seen). With `weights` "linear" or "quadratic" the
    disagreement between categories i and j weighs |i-j|/(k-1) or ((i-j)/(k-1))².

    Returns None when kappa is undefined: no items, or chance agreement is total (both raters always
    gave one and the same category), where 0/0 has no meaning.
    """
    if not pairs:
        return None
    cats = _categories(pairs, categories)
    index = {c: i for i, c in enumerate(cats)}
    k, n = len(cats), len(pairs)
    observed = [[0.0] * k for _ in range(k)]
    for a, b in pairs:
        if a not in index or b not in index:
            raise ValueError(f"catégorie inconnue : {a!r} ou {b!r}")
        observed[index[a]][index[b]] += 1 / n
    row = [sum(observed[i]) for i in range(k)]
    col = [sum(observed[i][j] for i in range(k)) for j in range(k)]

    def weight(i: int, j: int) -> float:
        if weights is None:
            return 0.0 if i == j else 1.0
        distance = abs(i - j) / (k - 1) if k > 1 else 0.0
        return distance if weights == "linear" else distance**2

    disagreement_observed = sum(weight(i, j) * observed[i][j] for i in range(k) for j in range(k))
    disagreement_expected = sum(weight(i, j) * row[i] * col[j] for i in range(k) for j in range(k))
    if disagreement_expected == 0:
        return None
    return 1 - disagreement_observed / disagreement_expected


def interpret_kappa(kappa: float | None) -> str:
    """Landis and Koch's (1977) reading of a kappa, in French."""
    if kappa is None:
        return "non calculable"
    if kappa < 0:
        return "désaccord"
    for bound, label in ((0.2, "accord faible"), (0.4, "accord passable"), (0.6, "accord modéré"),
                         (0.8, "accord important")):
        if kappa <= bound:
            return label
    return "accord presque parfait"
