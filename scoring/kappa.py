"""Agreement between two sets of ordinal levels (0–3): exact, within one, quadratic-weighted kappa, bias.

Written with numpy here (no statistics package) because the validity table must be recomputable
anywhere the scorer runs. Quadratic weights because the grid's levels are ordered and a two-level
disagreement is worse than two one-level ones (Cohen 1968; Fleiss & Cohen 1973 showed it equals an
intraclass correlation), which is also how examination boards usually report rater agreement.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel

LEVELS = 4  # levels 0, 1, 2, 3 of every rubric (scoring.rubric.DEFAULT_LEVELS)


class Agreement(BaseModel):
    """Agreement of ``a`` (e.g. the automatic level) with ``b`` (e.g. the graders' consensus)."""

    n: int
    exact: float | None = None
    within_one: float | None = None
    kappa_w: float | None = None
    bias: float | None = None  # mean of a − b: positive when ``a`` is more generous
    a_high_where_b_zero: int = 0  # a ≥ 2 where b = 0 (automatic « Satisfaisant » where jurors saw nothing)


def weighted_kappa(a: Sequence[int], b: Sequence[int], levels: int = LEVELS) -> float | None:
    """Cohen's quadratic-weighted kappa; None when undefined (no pair, or expected disagreement 0:
    both raters always gave one and the same level)."""
    if len(a) != len(b):
        raise ValueError("weighted_kappa: a and b must have the same length")
    if not a:
        return None
    x = np.asarray(a, dtype=int)
    y = np.asarray(b, dtype=int)
    if x.min() < 0 or y.min() < 0 or x.max() >= levels or y.max() >= levels:
        raise ValueError(f"weighted_kappa: levels must lie in 0..{levels - 1}")
    observed = np.zeros((levels, levels))
    np.add.at(observed, (x, y), 1.0)
    observed /= observed.sum()
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    i, j = np.indices((levels, levels))
    weights = (i - j) ** 2 / (levels - 1) ** 2
    disagreement_expected = float((weights * expected).sum())
    if disagreement_expected == 0.0:
        return None
    return 1.0 - float((weights * observed).sum()) / disagreement_expected


def agreement(a: Sequence[int], b: Sequence[int], levels: int = LEVELS) -> Agreement:
    """Every figure of the validity table for one set of pairs."""
    if not a:
        return Agreement(n=0)
    x = np.asarray(a, dtype=int)
    y = np.asarray(b, dtype=int)
    kappa = weighted_kappa(a, b, levels)
    return Agreement(n=len(a), exact=round(float(np.mean(x == y)), 4),
                     within_one=round(float(np.mean(np.abs(x - y) <= 1)), 4),
                     kappa_w=None if kappa is None else round(kappa, 4),
                     bias=round(float(np.mean(x - y)), 4),
                     a_high_where_b_zero=int(np.sum((x >= 2) & (y == 0))))


def consensus(levels: Sequence[int | None]) -> int | None:
    """The graders' consensus: the median of the levels given (None ignored); with an even number of
    graders, the lower of the two middle levels (see docs/grid-validity.md for why)."""
    given = sorted(v for v in levels if v is not None)
    if not given:
        return None
    return given[(len(given) - 1) // 2]
