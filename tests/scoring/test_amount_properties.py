"""Property tests: every way a candidate may write a price is read as the same offer.

Generated phrasings (digits with spaces or dots, k/K€, M€, HT/TTC, per year, French number words,
percentages) must give one own offer of the right value; the French words come from a small speller
written here for the test (the reader itself uses text2num).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.amount_roles import offer_of, read_amounts

_UNITS = ["", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze",
          "treize", "quatorze", "quinze", "seize"]
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_100(n: int) -> str:
    if n <= 16:
        return _UNITS[n]
    if n < 20:
        return "dix-" + _UNITS[n - 10]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):
        base = "soixante" if tens == 7 else "quatre-vingt"
        rest = _below_100(10 + unit)
        joiner = " et " if tens == 7 and unit == 1 else "-"
        return base + joiner + rest
    if tens == 8:
        return "quatre-vingt" + ("-" + _UNITS[unit] if unit else "")
    if unit == 0:
        return _TENS[tens]
    return _TENS[tens] + (" et un" if unit == 1 else "-" + _UNITS[unit])


def spell_thousands(k: int) -> str:
    """French words for ``k`` (1–999) followed by « mille » (cent and vingt stay invariable)."""
    hundreds, rest = divmod(k, 100)
    parts = []
    if hundreds:
        parts.append("cent" if hundreds == 1 else f"{_UNITS[hundreds]} cent")
    if rest:
        parts.append(_below_100(rest))
    return (" ".join(parts) + " mille") if k > 1 else "mille"


@settings(max_examples=150, deadline=None)
@given(k=st.integers(min_value=20, max_value=999),
       form=st.sampled_from(["{k} 000 €", "{k}.000 €", "{k}k€", "{k} K€", "{k} 000 euros HT", "{k} 000 € TTC par an",
                             "{k}000 € HT/an", "{words} euros"]),
       lead=st.sampled_from(["Je vous propose ", "Je peux descendre à ", "Si vous signez trois ans, je peux faire ",
                             "Notre proposition : "]))
def test_every_phrasing_of_a_price_is_one_own_offer(k, form, lead):
    text = lead + form.format(k=k, words=spell_thousands(k)) + "."
    amounts = read_amounts(text)
    assert offer_of(amounts).price == k * 1000, (text, amounts)
    assert [a.role for a in amounts] == ["own_offer"], (text, amounts)


@settings(max_examples=60, deadline=None)
@given(p=st.integers(min_value=1, max_value=40), form=st.sampled_from(["{p} %", "{p}%", "{p} pour cent"]))
def test_a_discount_granted_now_is_read_in_percent(p, form):
    amounts = read_amounts("Je vous fais " + form.format(p=p) + " de remise.")
    assert offer_of(amounts).discount_percent == p


@settings(max_examples=60, deadline=None)
@given(price=st.integers(min_value=100, max_value=900), p=st.integers(min_value=1, max_value=30))
def test_a_percentage_off_a_price_gives_the_computed_offer(price, p):
    amounts = read_amounts(f"Je vous propose {price} 000 € moins {p} %.")
    assert offer_of(amounts).price == round(price * 1000 * (1 - p / 100), 2)


@settings(max_examples=60, deadline=None)
@given(k=st.integers(min_value=20, max_value=999))
def test_the_partners_figure_quoted_back_is_never_the_offer(k):
    amounts = read_amounts(f"Vous êtes à {k} 000 €, c'est loin de nos coûts.")
    assert offer_of(amounts).price is None
