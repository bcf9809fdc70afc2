"""Is a restatement true: figures, negations, persons and sweeping words against the partner's words.

Every sentence here is written for the test; the checks behind them are general (digits, units,
lemmas, lexicon families), never these phrases.
"""

from __future__ import annotations

import pytest

from scoring.accuracy import check_reformulation
from scoring.pipeline import get_nlp, light_docs


def check(reform: str, partner: list[str], own_texts: list[str] | None = None):
    nlp = get_nlp("fr")
    return check_reformulation(nlp(reform), list(light_docs(nlp, partner)), set(), own_texts=own_texts)


@pytest.mark.parametrize(("reform", "said", "wrong", "right"), [
    # digits swapped, one digit dropped, one added: a slip whatever the ratio
    ("Donc vous avez réglé 147 000 € de loyers.", "Nous avons réglé 174 000 € de loyers.", "147 000", "174 000"),
    ("Donc vous avez réglé 35 000 € de loyers.", "Nous avons réglé 235 000 € de loyers.", "35 000", "235 000"),
    ("Donc 18 000 € par jour de retard.", "La pénalité est de 1 800 € par jour de retard.", "18 000", "1 800"),
    # a count of the same thing, whatever the ratio
    ("Donc 5 pannes cette année sur la presse.", "On a eu 23 pannes cette année sur la presse.", "5 pannes",
     "23 pannes"),
    # a bare number is money in a price talk
    ("Donc l'autre fournisseur vous fait 134 500 ?", "L'autre fournisseur me fait 143 500 € par an.", "134 500",
     "143 500"),
])
def test_a_wrong_figure_is_named_against_the_partners(reform, said, wrong, right):
    result = check(reform, [said])
    assert result.verdict != "accurate"
    assert any(wrong in m and right in m for m in result.mismatches), result.mismatches


def test_a_period_in_other_words_is_the_same_period():
    result = check("Si je comprends bien, personne n'est passé vous voir depuis douze mois.",
                   ["Personne n'est venu nous voir depuis un an."])
    assert result.verdict == "accurate" and not result.mismatches
    assert result.confirmed == ["douze mois"]


def test_the_candidates_own_earlier_figure_is_not_a_misquote():
    partner = ["Le prestataire actuel met 36 heures à intervenir."]
    own = ["Notre délai d'intervention est de 12 heures."]
    reform = "Donc aujourd'hui 36 heures pour une intervention, contre 12 heures avec nous."
    assert check(reform, partner, own).verdict == "accurate"
    assert check(reform, partner).mismatches  # without the candidate's turns, 12 h reads as a misquote


def test_the_same_verb_denied_is_a_contradiction():
    result = check("Si je comprends bien, vous ne regrettez pas d'avoir signé ce contrat.",
                   ["Je regrette d'avoir signé ce contrat si vite."])
    assert result.verdict != "accurate"
    assert any("contredit" in m for m in result.mismatches)


@pytest.mark.parametrize(("reform", "said"), [
    ("Vous avez accepté pour garder la commande.", "J'ai accepté pour ne pas perdre la commande."),
    ("Vous avez relancé le fournisseur trois fois sans réponse.", "J'ai relancé le fournisseur trois fois."),
])
def test_a_negation_on_another_word_is_no_contradiction(reform, said):
    result = check(reform, [said])
    assert not any("contredit" in m for m in result.mismatches), result.mismatches


def test_a_person_nobody_named_is_a_wrong_fact():
    result = check("Donc c'est votre DG qui valide les formations ?",
                   ["C'est notre DRH qui valide les formations, pas moi."])
    assert result.verdict != "accurate"
    assert any("DG" in m for m in result.mismatches)
    assert check("Donc c'est votre DRH qui valide les formations ?",
                 ["C'est notre DRH qui valide les formations, pas moi."]).verdict == "accurate"


def test_a_limit_turned_into_an_absolute_is_inaccurate():
    result = check("Donc en fait vous refusez toutes les urgences.",
                   ["Je ne peux pas absorber plus de deux urgences par semaine sans prévenir l'atelier."])
    assert result.verdict == "inaccurate"
    assert any("toutes les" in m for m in result.mismatches)


def test_one_wrong_figure_among_right_ones_is_partial():
    result = check("Donc 12 % de retards et 46 000 € de pénalités l'an dernier.",
                   ["L'an dernier : 12 % de livraisons en retard et 64 000 € de pénalités."])
    assert result.verdict == "partial"
    assert result.confirmed == ["12 %"]
