"""scoring.numbers reads the figures candidates write in French sales talk."""

import pytest

from scoring.numbers import extract_quantities, first_amount, parse_number


def _one(text: str):
    found = extract_quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "kind", "value", "unit"),
    [
        ("Nous sommes à 12 000 € par an", "amount", 12000.0, "EUR"),
        ("12k€ maximum", "amount", 12000.0, "EUR"),
        ("un budget de 150k", "amount", 150000.0, "EUR"),
        ("1,2 M€ au total", "amount", 1_200_000.0, "EUR"),
        ("deux millions d'euros", "amount", 2_000_000.0, "EUR"),
        ("remise de 15 %", "percentage", 15.0, "%"),
        ("remise de 7,5%", "percentage", 7.5, "%"),
        ("livraison en 3 semaines", "duration", 3.0, "week"),
        ("intervention sous 48h", "duration", 48.0, "hour"),
        ("trois mois de test", "duration", 3.0, "month"),
        ("on se revoit le 15 mars", "date", 315.0, "--03-15"),
        ("signature le 1er avril 2027", "date", 20270401.0, "2027-04-01"),
        ("rappel le 15/03/2026", "date", 20260315.0, "2026-03-15"),
        ("il nous faut 200 licences", "quantity", 200.0, "licences"),
    ],
)
def test_kinds_and_values(text, kind, value, unit):
    q = _one(text)
    assert (q.kind, q.value, q.unit) == (kind, value, unit)
    assert text[q.start : q.end] == q.text


def test_tax_qualifier_and_span():
    q = _one("soit 12 000 euros HT la première année")
    assert q.value == 12000.0
    assert q.qualifier == "HT"
    assert q.text == "12 000 euros HT"


def test_several_figures_in_reading_order():
    found = extract_quantities("185 000 € HT sur 3 ans pour 200 licences, remise 5 %")
    assert [q.kind for q in found] == ["amount", "duration", "quantity", "percentage"]
    assert [q.value for q in found] == [185000.0, 3.0, 200.0, 5.0]


def test_articles_and_times_are_not_figures():
    assert extract_quantities("une solution pour un client") == []
    assert extract_quantities("à 14h30") == []


def test_year_does_not_swallow_next_number():
    found = extract_quantities("en 2026 200 licences")
    assert [(q.value, q.unit) for q in found] == [(2026.0, None), (200.0, "licences")]


def test_first_amount_falls_back_on_bare_large_number_not_year():
    assert first_amount("je vous propose 210 000.") == 210000.0
    assert first_amount("en 2026 on verra") is None
    assert first_amount("remise de 15 %") is None


@pytest.mark.parametrize(("raw", "value"), [("12 000", 12000.0), ("12.000", 12000.0), ("1,5", 1.5), ("trois", 3.0)])
def test_parse_number(raw, value):
    assert parse_number(raw) == value


@pytest.mark.parametrize(
    ("text", "kind", "value", "unit"),
    [
        ("a budget of $12,000 per year", "amount", 12000.0, "USD"),
        ("£5k upfront", "amount", 5000.0, "GBP"),
        ("12,000 euros", "amount", 12000.0, "EUR"),
        ("2 million dollars", "amount", 2_000_000.0, "USD"),
        ("a 7.5% discount", "percentage", 7.5, "%"),
        ("15 percent off", "percentage", 15.0, "%"),
        ("delivery in 3 weeks", "duration", 3.0, "week"),
        ("within 48 hours", "duration", 48.0, "hour"),
        ("let's meet on March 15", "date", 315.0, "--03-15"),
        ("signed on 1st April 2027", "date", 20270401.0, "2027-04-01"),
        ("we need 200 licences", "quantity", 200.0, "licences"),
    ],
)
def test_english_conventions(text, kind, value, unit):
    found = extract_quantities(text, "en")
    assert len(found) == 1, found
    q = found[0]
    assert (q.kind, q.value, q.unit) == (kind, value, unit)
    assert text[q.start : q.end] == q.text


def test_comma_means_decimal_in_french_and_thousands_in_english():
    assert extract_quantities("12,5 %", "fr")[0].value == 12.5
    assert extract_quantities("12,000 units", "en")[0].value == 12000.0
    assert first_amount("I can offer 210,000", "en") == 210000.0
    assert extract_quantities("a deal", "en") == []
