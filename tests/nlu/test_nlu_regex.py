"""The regexes of bot/data/regex.yml extract what candidates type for amounts, rates, delays, dates, volumes."""

from __future__ import annotations

import pytest

from tests.nlu import _nlu_data as d

POSITIVE = [
    ("amount", "Le tarif est de 12 000 € par an", "12 000 €"),
    ("amount", "on serait à 12k€ la première année", "12k€"),
    ("amount", "je peux descendre à 28k si vous signez", "28k"),
    ("amount", "le total fait 12 000 euros HT", "12 000 euros HT"),
    ("amount", "soit 12000€ TTC", "12000€ TTC"),
    ("amount", "un devis à 4,50 € l'unité", "4,50 €"),
    ("amount", "le projet est à 1,2 M€", "1,2 M€"),
    ("amount", "on part sur 950 euros par jour", "950 euros"),
    ("amount", "45.000 EUR pour le lot", "45.000 EUR"),
    ("amount", "ça fait 12 000 € HT", "12 000 € HT"),
    ("percentage", "une remise de 10 %", "10 %"),
    ("percentage", "je vous fais 5% de plus", "5%"),
    ("percentage", "on peut aller à 7,5 pour cent", "7,5 pour cent"),
    ("percentage", "je baisse de 3 points", "3 points"),
    ("duration", "livraison en 3 semaines", "3 semaines"),
    ("duration", "intervention sous 48h partout en France", "sous 48h"),
    ("duration", "paiement à 60 jours fin de mois", "60 jours"),
    ("duration", "un engagement de trois ans", "trois ans"),
    ("duration", "une période d'essai d'un mois", "un mois"),
    ("date", "je vous rappelle le 15 mars", "le 15 mars"),
    ("date", "signature avant le 1er septembre 2025", "le 1er septembre 2025"),
    ("date", "on vise fin juin", "fin juin"),
    ("date", "rendez-vous mardi prochain", "mardi prochain"),
    ("date", "livraison le 12/04", "12/04"),
    ("quantity", "pour 200 licences", "200 licences"),
    ("quantity", "on équipe 1 500 utilisateurs", "1 500 utilisateurs"),
    ("quantity", "une flotte de 40 véhicules", "40 véhicules"),
    ("quantity", "10 postes de travail", "10 postes"),
]

NEGATIVE = [
    ("amount", "livraison en 3 semaines"),
    ("amount", "pour 200 licences"),
    ("amount", "une remise de 10 %"),
    ("amount", "on se voit le 15 mars"),
    ("percentage", "le tarif est de 12 000 €"),
    ("duration", "le tarif est de 12 000 €"),
    ("duration", "pour 200 licences"),
    ("quantity", "une remise de 10 %"),
    ("quantity", "le tarif est de 12 000 €"),
    ("date", "livraison en 3 semaines"),
]


def test_every_entity_has_a_regex_and_other_regexes_are_cues() -> None:
    names = set(d.regexes())
    assert set(d.CONTRACT_ENTITIES) <= names
    # any other regex is a feature only (RegexFeaturizer): it must not look like an entity
    assert all(n.startswith("cue_") for n in names - set(d.CONTRACT_ENTITIES)), sorted(names)


@pytest.mark.parametrize(("entity", "text", "expected"), POSITIVE)
def test_regex_extracts(entity: str, text: str, expected: str) -> None:
    assert expected in d.regex_matches(entity, text)


@pytest.mark.parametrize(("entity", "text"), NEGATIVE)
def test_regex_does_not_extract(entity: str, text: str) -> None:
    assert d.regex_matches(entity, text) == []
