"""Bloc 4 « planning des étapes clés »: jurors look first for a discovery before the first price and
a plan announced at the start; the same stages with the price said first score lower."""

from __future__ import annotations

from scoring.report import score_transcript
from tests.scoring.test_grid_content import THRESHOLDS, make

PRICE_FIRST = make(4, [
    ("P", "Bonjour. Vous êtes le dernier prestataire que je reçois. Je vous écoute."),
    ("C", "Bonjour, notre offre complète est à 90 000 € HT par an, c'est notre meilleur rapport qualité-prix."),
    ("P", "C'est cher. Pourquoi ce prix ?"),
    ("C", "Qu'est-ce qui compte le plus pour vous dans ce contrat ?"),
    ("P", "La disponibilité des lignes, surtout."),
    ("C", "Si vous signez sur trois ans, je peux aller à 84 000 €."),
    ("P", "On verra."),
    ("C", "Je récapitule : 84 000 € par an sur trois ans, démarrage en mars. On valide ?"),
])

DISCOVERY_FIRST = make(4, [
    ("P", "Bonjour. Vous êtes le dernier prestataire que je reçois. Je vous écoute."),
    ("C", "Bonjour, merci. Je vous propose qu'on commence par vos besoins, ensuite je vous présente notre "
          "proposition, puis on discute des conditions et on conclut."),
    ("P", "Allez-y."),
    ("C", "Comment s'organise la maintenance de vos lignes aujourd'hui ?"),
    ("P", "En interne, avec deux techniciens débordés."),
    ("C", "Quelles pannes vous ont coûté le plus cher cette année ?"),
    ("P", "Les arrêts du four, trois jours en juin."),
    ("C", "Qui d'autre participera à la décision ?"),
    ("P", "Le directeur d'usine et le contrôle de gestion."),
    ("C", "Qu'attendez-vous d'un prestataire pour ces arrêts ?"),
    ("P", "Une intervention en moins de huit heures."),
    ("C", "Notre offre répond à ces points : intervention sous huit heures, pour 90 000 € HT par an."),
    ("P", "C'est cher."),
    ("C", "Si vous signez sur trois ans, je peux aller à 84 000 €."),
    ("P", "D'accord."),
    ("C", "Je récapitule : 84 000 € par an sur trois ans, intervention sous huit heures, démarrage en mars."),
])


def _plan(transcript) -> tuple[float, int, str]:
    item = next(i for i in score_transcript(transcript).grid.items if i.id == "planning_negociation")
    assert item.measure is not None and item.level is not None
    return item.measure, item.level, item.rationale


def test_a_discovery_before_the_price_and_an_announced_plan_score_higher() -> None:
    first = PRICE_FIRST.model_copy(update={"negotiation": THRESHOLDS})
    discovered = DISCOVERY_FIRST.model_copy(update={"negotiation": THRESHOLDS})
    m_price, level_price, why_price = _plan(first)
    m_disc, level_disc, why_disc = _plan(discovered)
    assert m_disc > m_price + 0.3
    assert level_disc > level_price
    assert "0 question(s) de découverte avant le premier prix" in why_price
    assert "4 question(s) de découverte avant le premier prix" in why_disc
    assert "déroulé annoncé en ouverture" in why_disc
