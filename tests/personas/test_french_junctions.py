"""French elision and contraction where a filled slot meets the template (« de un délai » never shows)."""

from __future__ import annotations

import pytest

from personas.engine.french import join_french
from personas.engine.voice import render


@pytest.mark.parametrize(("template", "value", "expected"), [
    ("Et j'aurais besoin de {demande}.", "un délai", "Et j'aurais besoin d'un délai."),
    ("Nous parlions de {demande}.", "des pénalités", "Nous parlions des pénalités."),
    ("Il reste la question de {demande}.", "le transport", "Il reste la question du transport."),
    ("Le point de {demande} est clos.", "les pénalités", "Le point des pénalités est clos."),
    ("Je tiens à {demande}.", "le délai", "Je tiens au délai."),
    ("Je tiens à {demande}.", "les délais", "Je tiens aux délais."),
    ("De {demande}, rien de plus.", "une remise", "D'une remise, rien de plus."),
    ("J'attends que {demande} arrive.", "un accord", "J'attends qu'un accord arrive."),
    ("Il reste la question de {demande}.", "la garantie", "Il reste la question de la garantie."),
    ("Il reste la question de {demande}.", "l'entretien", "Il reste la question de l'entretien."),
    ("Il reste la question de {demande}.", "120 jours", "Il reste la question de 120 jours."),
    ("Ma proposition : {prix}.", "187 500 €", "Ma proposition : 187 500 €."),
])
def test_a_filled_slot_follows_french_elision_and_contraction(template, value, expected):
    assert render(template, {"demande": value, "prix": value}) == expected


def test_the_templates_own_words_are_never_rewritten():
    # « le » is a pronoun here: only the junction with the slot may change.
    said = render("Il est temps de le faire avec {x}.", {"x": "un pilote"})
    assert said == "Il est temps de le faire avec un pilote."
    assert render("Il est temps de le faire.", {}) == "Il est temps de le faire."


def test_the_junction_after_a_slot_is_french_too():
    assert render("{x} un délai", {"x": "Parlons de"}) == "Parlons d'un délai"


def test_an_unknown_slot_stays_visible():
    assert render("Bonjour {autre}.", {}) == "Bonjour {autre}."


@pytest.mark.parametrize(("left", "right", "expected"), [
    ("de ", "un", "d'un"), ("De ", "un", "D'un"), ("à ", "les", "aux"), ("À ", "le", "Au"), ("si ", "il", "s'il"),
    ("de ", "haute", "de haute"), ("", "un", "un"), ("de ", "", "de "),
])
def test_join_french(left, right, expected):
    assert join_french(left, right) == expected
