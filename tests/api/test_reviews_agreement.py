"""Cohen's kappa on textbook data computed by hand (pure functions, no database)."""

from __future__ import annotations

import pytest

from api.services.agreement import cohen_kappa, interpret_kappa, percent_agreement


def table(yes_yes: int, yes_no: int, no_yes: int, no_no: int) -> list[tuple[str, str]]:
    """Two raters' yes/no answers from a 2x2 contingency table (rows: rater A, columns: rater B)."""
    return ([("oui", "oui")] * yes_yes + [("oui", "non")] * yes_no + [("non", "oui")] * no_yes
            + [("non", "non")] * no_no)


def test_wikipedia_example_kappa_is_0_4() -> None:
    # 50 items: po = 35/50 = 0.7; A says yes 25/50, B 30/50: pe = 0.5*0.6 + 0.5*0.4 = 0.5; k = 0.2/0.5.
    pairs = table(20, 5, 10, 15)
    assert percent_agreement(pairs) == pytest.approx(0.7)
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert interpret_kappa(0.4) == "accord passable"


def test_same_raw_agreement_different_kappa() -> None:
    # po = 0.6 in both; pe = 0.6*0.7 + 0.4*0.3 = 0.54 → 0.06/0.46; pe = 0.6*0.3 + 0.4*0.7 = 0.46 → 0.14/0.54.
    assert cohen_kappa(table(45, 15, 25, 15)) == pytest.approx(0.06 / 0.46)
    assert cohen_kappa(table(25, 35, 5, 35)) == pytest.approx(0.14 / 0.54)


def test_perfect_and_chance_and_undefined() -> None:
    assert cohen_kappa([(0, 0), (1, 1), (2, 2), (3, 3)]) == pytest.approx(1.0)
    # Rater B always the opposite of A on a balanced yes/no set: po = 0, pe = 0.5 → k = -1.
    assert cohen_kappa(table(0, 5, 5, 0)) == pytest.approx(-1.0)
    assert cohen_kappa([]) is None and percent_agreement([]) is None
    assert cohen_kappa([(2, 2), (2, 2)]) is None  # both always "2": chance agreement is total, k undefined
    assert interpret_kappa(None) == "non calculable"


def test_weighted_kappa_on_ordinal_levels() -> None:
    # Items (0,0) (1,1) (2,2) (0,2), categories 0..2. Unweighted: po = 3/4, A = (1/2, 1/4, 1/4),
    # B = (1/4, 1/4, 1/2): pe = 1/8 + 1/16 + 1/8 = 5/16 → k = (3/4 - 5/16) / (11/16) = 7/11.
    # Linear weights |i-j|/2: observed disagreement 1/4, expected 1/2 → kw = 1 - (1/4)/(1/2) = 0.5.
    pairs = [(0, 0), (1, 1), (2, 2), (0, 2)]
    assert cohen_kappa(pairs, [0, 1, 2]) == pytest.approx(7 / 11)
    assert cohen_kappa(pairs, [0, 1, 2], weights="linear") == pytest.approx(0.5)
    # Quadratic weights ((i-j)/2)²: observed 1/4; expected Σ w·a_i·b_j = 0.28125 + 0.046875 + 0.078125 = 0.40625.
    assert cohen_kappa(pairs, [0, 1, 2], weights="quadratic") == pytest.approx(1 - 0.25 / 0.40625)
    with pytest.raises(ValueError):
        cohen_kappa([(0, 5)], [0, 1, 2, 3])
