"""The grid credits what turns achieve, not the presence of forms (issue: automatic vs juror grades).

Each situation of the issue is rebuilt here by hand, with new wording: small talk in English, a
candidate who only acknowledges, a seller who anchors below their own floor and closes there, a
seller who insults the buyer, a seller who explores the stakeholders the buyer named, a mediator who
forces a solution one member refused and recaps it as agreed. Each must stay at or below the level
both jurors gave, and the strong counterparts must still be credited (so the tests can fail both ways).
"""

from __future__ import annotations

from typing import Any

import pytest

from scoring.engine_record import negotiation_record
from scoring.grid import TO_CONFIRM
from scoring.report import score_transcript
from scoring.transcript import EngineRecord, NegotiationThresholds, Transcript, Turn

THRESHOLDS = NegotiationThresholds(unit_label="€ HT par an", list_price=90000, floor=76000, buyer_opening=62000,
                                   buyer_target=70000, walk_away=81000)


def make(bloc: int, lines: list[tuple[str, str]], negotiation: NegotiationThresholds | None = None,
         engine: dict[str, Any] | None = None, speakers: list[dict[str, str]] | None = None) -> Transcript:
    """A transcript from (speaker, text) pairs: "C" is the candidate, anything else a persona speaker id."""
    names = {s["id"]: s["name"] for s in speakers or []}
    turns = [Turn(id=f"t{k + 1}", speaker_role="candidate" if who == "C" else "persona",
                  speaker_name="Candidat" if who == "C" else names.get(who, "Interlocuteur"),
                  speaker_id=None if who == "C" else who, text=text) for k, (who, text) in enumerate(lines)]
    return Transcript.model_validate({"bloc": bloc, "language": "fr", "persona_id": "test", "turns": turns,
                                      "negotiation": negotiation, "speakers": speakers or [],
                                      "engine": EngineRecord.model_validate(engine) if engine else None})


# --- Bloc 2 --------------------------------------------------------------------------------------------

ENGLISH_SMALL_TALK = make(2, [
    ("C", "Hello there! How are you today? Did you watch the big game last night?"),
    ("P", "Bonjour. Je préférerais que nous parlions de nos livraisons, si vous le voulez bien."),
    ("C", "Sure, but what a match, the football was amazing, I think the referee was terrible."),
    ("P", "Je n'ai pas vu le match. Nos camions arrivent en retard dans les magasins, c'est ça mon sujet."),
    ("C", "And the weather is so nice, we should have lunch in a good restaurant after this, right?"),
    ("P", "Écoutez, je n'ai pas beaucoup de temps."),
    ("C", "Ok no problem. Do you like Italian food? There is a great place near the station."),
    ("P", "Bon. Je crois que nous allons nous arrêter là."),
    ("C", "Thanks, have a nice weekend!"),
])

ONLY_ACKNOWLEDGES = make(2, [
    ("P", "Bonjour, je vous écoute. Qu'est-ce que vous venez me proposer ?"),
    ("C", "Oui."),
    ("P", "Vous représentez bien la société de logistique dont on m'a parlé ?"),
    ("C", "D'accord."),
    ("P", "Nos magasins reçoivent la marchandise en retard, un jour sur trois environ."),
    ("C", "Ok."),
    ("P", "Et vous, vous avez une solution à ça ou pas ?"),
    ("C", "Oui oui."),
    ("P", "Bien. Je vois. Vous m'enverrez quelque chose par écrit alors."),
    ("C", "Ok, d'accord."),
])

ENGAGED_BLOC2 = make(2, [
    ("C", "Bonjour Madame Royer, merci de me recevoir. Je souhaite d'abord comprendre comment vos "
          "magasins sont approvisionnés aujourd'hui."),
    ("P", "Bonjour. Nos camions partent de l'entrepôt de Melun le soir et un magasin sur trois est livré "
          "avec une journée de retard, surtout en fin de semaine."),
    ("C", "Qu'est-ce que ces retards provoquent concrètement dans les magasins le samedi ?"),
    ("P", "Les rayons frais sont vides le samedi matin, les clients repartent et les chefs de rayon "
          "passent leur matinée au téléphone avec l'entrepôt pour comprendre où sont les camions."),
    ("C", "Si je comprends bien, un magasin sur trois est livré en retard et le samedi matin les rayons "
          "frais restent vides."),
    ("P", "C'est exactement ça, et la direction régionale commence à s'en inquiéter sérieusement."),
    ("C", "Comment la direction régionale mesure-t-elle aujourd'hui l'effet de ces ruptures ?"),
    ("P", "Elle suit le chiffre d'affaires du samedi matin, qui a baissé d'environ quatre pour cent "
          "depuis le début de l'année dans les magasins concernés."),
    ("C", "Notre suivi en temps réel prévient chaque magasin dès qu'un camion prend du retard et "
          "propose un nouveau créneau, ce qui évite les appels à l'entrepôt."),
    ("P", "Intéressant. Comment se passerait un essai ?"),
    ("C", "Pour résumer : un magasin sur trois est livré en retard, les rayons frais sont vides le "
          "samedi et vous perdez quatre pour cent du chiffre d'affaires du samedi matin. Nous convenons "
          "d'un essai sur dix magasins ; je vous envoie la proposition d'ici vendredi."),
    ("P", "Très bien, j'attends votre proposition."),
])


# --- Bloc 4 --------------------------------------------------------------------------------------------

BELOW_FLOOR_LINES = [
    ("P", "Bonjour. J'ai une enveloppe de 62 000 € par an pour ce contrat de maintenance, pas plus."),
    ("C", "Bonjour. Je comprends. Je vous propose 70 000 € par an pour le contrat complet."),
    ("P", "C'est encore trop. Le concurrent me fait bien moins cher."),
    ("C", "Bon, je peux descendre à 66 000 € par an."),
    ("P", "Toujours trop. Faites un vrai effort."),
    ("C", "D'accord, je vous fais 63 000 € par an, c'est mon dernier prix."),
    ("P", "Très bien, à 63 000 € nous avons un accord."),
    ("C", "Parfait, merci, je vous envoie le contrat à 63 000 € par an."),
]
BELOW_FLOOR_ENGINE = {
    "outcome": "deal_below_floor", "ended_reason": "persona", "seed": 7, "persona_version": "1.0",
    "state": {"turn": 4, "negotiation": {"candidate_offers": [70000, 66000, 63000], "persona_offers": [62000],
                                         "candidate_concessions": 2, "concessions_without_counterpart": 2,
                                         "counterparts_obtained": [], "agreed_price": 63000, "deal": True,
                                         "final_price": 63000},
              "events": ["2:concession_without_counterpart", "3:concession_without_counterpart",
                         "3:price_agreed"]},
}

HELD_FLOOR_LINES = [
    ("P", "Bonjour. J'ai une enveloppe de 62 000 € par an pour ce contrat de maintenance, pas plus."),
    ("C", "Bonjour. Avant de parler prix, qui d'autre intervient dans la décision chez vous ?"),
    ("P", "Le responsable de production a un droit de veto technique, et notre DAF signe au-delà de 80 000 €."),
    ("C", "Notre prix catalogue est de 90 000 € par an, intervention sous quatre heures comprise."),
    ("P", "C'est trop cher. Le concurrent me fait bien moins."),
    ("C", "Je peux aller à 84 000 € par an si vous vous engagez sur trois ans."),
    ("P", "Trois ans, c'est possible. Mais descendez encore."),
    ("C", "84 000 € par an sur trois ans, c'est ma limite, avec le rapport mensuel pour votre DAF."),
    ("P", "Entendu, 84 000 € sur trois ans, nous avons un accord."),
]

INSULT_LINES = [
    ("P", "Bonjour. Votre concurrent me propose la même prestation pour 25 % de moins."),
    ("C", "Je vous propose 88 000 € par an, intervention sous quatre heures."),
    ("P", "C'est trop cher, et votre délai de quatre heures, je n'y crois pas."),
    ("C", "Vous me mentez depuis le début sur ce concurrent, je le sais très bien."),
    ("P", "Je vous demande de rester correct."),
    ("C", "Taisez-vous et écoutez-moi : si vous signez trois ans, je descends à 84 000 € par an."),
    ("P", "Bon. 84 000 € sur trois ans, admettons."),
    ("C", "Voilà, 84 000 € sur trois ans, je vous envoie le contrat."),
]

STAKEHOLDER_LINES = [
    ("P", "Bonjour. Je m'occupe des achats, c'est moi qui mène la consultation."),
    ("C", "Bonjour Monsieur Garnier. Avant tout, qui d'autre participe à la décision chez vous ?"),
    ("P", "Il y a Mme Pélissier à la production, elle a un veto technique. Et le groupe s'en mêle "
          "au-delà de 150 k€, c'est la direction financière du groupe qui signe."),
    ("C", "Qu'est-ce qui compte le plus pour Mme Pélissier, avec son veto technique ?"),
    ("P", "Que les machines redémarrent vite. Les audits de Safran nous imposent aussi une traçabilité "
          "complète de la maintenance."),
    ("C", "Donc votre directeur financier du groupe signera au-delà de 150 k€ : que lui faut-il voir "
          "pour valider ?"),
    ("P", "Un retour sur investissement chiffré, sur trois ans."),
    ("C", "Et pour l'audit Safran, je vous propose un registre de traçabilité que Mme Pélissier pourra "
          "présenter aux auditeurs."),
    ("P", "Ça l'intéressera."),
]

NO_STAKEHOLDER_LINES = [
    ("P", "Bonjour. Je m'occupe des achats, c'est moi qui mène la consultation."),
    ("C", "Bonjour. Notre contrat de maintenance couvre toutes vos machines."),
    ("P", "Il y a Mme Pélissier à la production, elle a un veto technique, et le groupe signe au-delà "
          "de 150 k€."),
    ("C", "Notre offre comprend une intervention sous quatre heures."),
    ("P", "Hmm."),
    ("C", "Le prix est de 90 000 € par an."),
    ("P", "Je vais réfléchir."),
]


# --- Bloc 5 --------------------------------------------------------------------------------------------

MEMBERS = [{"id": "lea", "name": "Léa"}, {"id": "hugo", "name": "Hugo"}]
FORCED_LINES = [
    ("C", "Bonjour à tous les deux. Je vous ai réunis pour régler la question des permanences du samedi."),
    ("lea", "Je fais trois samedis sur quatre depuis janvier, ce n'est plus tenable pour moi."),
    ("hugo", "Moi je ne peux pas le samedi, je garde mes enfants, tout le monde le sait."),
    ("C", "Je vous propose qu'à partir de maintenant Hugo fasse les samedis pairs et Léa les impairs."),
    ("hugo", "Non, je refuse, je vous ai dit que je ne peux pas le samedi. C'est hors de question."),
    ("C", "C'est décidé, Hugo, vous n'avez pas le choix, ce sera comme ça."),
    ("hugo", "Je ne suis pas d'accord."),
    ("C", "Pour récapituler, nous sommes tous d'accord : Hugo les samedis pairs, Léa les impairs, "
          "à partir du mois prochain. Je fais le point avec vous dans un mois."),
    ("lea", "Bon."),
]
FORCED_ENGINE = {
    "outcome": "no_agreement", "ended_reason": "candidate", "seed": 3, "persona_version": "1.0",
    "state": {"turn": 4, "solution_agreed": False,
              "members": {"lea": {"tension": 0.4, "solution_accepted": True},
                          "hugo": {"tension": 0.8, "solution_accepted": False}},
              "events": ["2:solution_accepted:lea", "2:solution_rejected:hugo"]},
}

BUILT_LINES = [
    ("C", "Bonjour à tous les deux. Je vous ai réunis pour trouver ensemble une organisation des "
          "permanences du samedi. L'objectif est une solution qui convienne à chacun ; d'abord je vous "
          "écoute l'un après l'autre, ensuite nous cherchons ensemble."),
    ("lea", "Je fais trois samedis sur quatre depuis janvier, ce n'est plus tenable pour moi."),
    ("C", "Léa, si je comprends bien, vous faites trois samedis sur quatre depuis janvier et ce n'est "
          "plus tenable. Hugo, qu'est-ce qui rend le samedi difficile pour vous ?"),
    ("hugo", "Je garde mes enfants le samedi matin, mais l'après-midi je pourrais me libérer, ma mère "
             "peut les prendre."),
    ("C", "Je vous propose de partager : Hugo les samedis après-midi, Léa les samedis matin une semaine "
          "sur deux. Qu'en pensez-vous, l'un et l'autre ?"),
    ("lea", "Oui, ça me va."),
    ("hugo", "Ça me va aussi."),
    ("C", "Pour récapituler, nous sommes d'accord : Hugo assure les samedis après-midi, Léa un samedi "
          "matin sur deux, dès le mois prochain. Je vous envoie le planning d'ici vendredi et nous "
          "faisons le point dans un mois."),
    ("lea", "Merci."),
]
BUILT_ENGINE = {
    "outcome": "agreement", "ended_reason": "candidate", "seed": 3, "persona_version": "1.0",
    "state": {"turn": 4, "solution_agreed": True,
              "members": {"lea": {"tension": 0.2, "solution_accepted": True},
                          "hugo": {"tension": 0.2, "solution_accepted": True}},
              "events": ["3:solution_accepted:lea", "3:solution_accepted:hugo"]},
}

CASES: dict[str, Transcript] = {
    "english_small_talk": ENGLISH_SMALL_TALK,
    "only_acknowledges": ONLY_ACKNOWLEDGES,
    "engaged_bloc2": ENGAGED_BLOC2,
    "below_floor_text": make(4, BELOW_FLOOR_LINES, THRESHOLDS),
    "below_floor_engine": make(4, BELOW_FLOOR_LINES, THRESHOLDS, BELOW_FLOOR_ENGINE),
    "held_floor": make(4, HELD_FLOOR_LINES, THRESHOLDS),
    "insult": make(4, INSULT_LINES, THRESHOLDS),
    "stakeholders": make(4, STAKEHOLDER_LINES, THRESHOLDS, speakers=[{"id": "p", "name": "Paul Garnier"}]),
    "no_stakeholders": make(4, NO_STAKEHOLDER_LINES, THRESHOLDS),
    "forced_text": make(5, FORCED_LINES, speakers=MEMBERS),
    "forced_engine": make(5, FORCED_LINES, engine=FORCED_ENGINE, speakers=MEMBERS),
    "built_engine": make(5, BUILT_LINES, engine=BUILT_ENGINE, speakers=MEMBERS),
}


@pytest.fixture(scope="module")
def grids() -> dict[str, dict[str, Any]]:
    return {name: {i.id: i for i in score_transcript(t).grid.items} for name, t in CASES.items()}


def test_english_small_talk_gets_nothing_for_posture_and_listening(grids) -> None:
    g = grids["english_small_talk"]
    assert g["posture_adaptee"].level == 0, g["posture_adaptee"].rationale
    assert g["ecoute_questionnement"].level == 0, g["ecoute_questionnement"].rationale
    assert "anglais" in g["posture_adaptee"].rationale


def test_only_acknowledging_is_not_a_posture(grids) -> None:
    item = grids["only_acknowledges"]["posture_adaptee"]
    assert item.level is not None and item.level <= 1, item.rationale
    assert "sans contenu" in item.rationale


def test_engaged_candidate_is_still_credited(grids) -> None:
    g = grids["engaged_bloc2"]
    assert g["posture_adaptee"].level is not None and g["posture_adaptee"].level >= 2, g["posture_adaptee"].rationale
    listening = g["ecoute_questionnement"]
    assert listening.level is not None and listening.level >= 2, listening.rationale
    assert any(e.note == "question qui obtient une information" for e in listening.evidence)


@pytest.mark.parametrize("case", ["below_floor_text", "below_floor_engine"])
def test_anchoring_below_own_floor_and_closing_there_is_capped(grids, case) -> None:
    item = grids[case]["seuils_negociation"]
    assert item.level is not None and item.level <= 1, item.rationale
    assert "plancher" in item.capped_by


def test_engine_record_is_the_source_when_present(grids) -> None:
    engine_item = grids["below_floor_engine"]["seuils_negociation"]
    text_item = grids["below_floor_text"]["seuils_negociation"]
    assert "relevé du moteur" in engine_item.rationale
    assert "lecture des tours" in text_item.rationale
    assert "sans le relevé du moteur" in text_item.uncertainty_fr or text_item.capped_by


def test_floor_kept_with_counterpart_is_credited(grids) -> None:
    item = grids["held_floor"]["seuils_negociation"]
    assert item.level is not None and item.level >= 2, item.rationale
    assert not item.capped_by


def test_insulting_the_buyer_caps_the_negotiation(grids) -> None:
    item = grids["insult"]["seuils_negociation"]
    assert item.level is not None and item.level <= 1, item.rationale
    assert "insultant" in item.capped_by
    assert any(e.note == "propos insultant" for e in item.evidence)


def test_stakeholders_named_by_the_buyer_and_explored_count(grids) -> None:
    item = grids["stakeholders"]["parties_prenantes"]
    assert item.level is not None and item.level >= 2, item.rationale
    assert "nommé par l'interlocuteur" in item.rationale
    missed = grids["no_stakeholders"]["parties_prenantes"]
    assert missed.level == 0, missed.rationale
    assert "non repris" in missed.rationale


@pytest.mark.parametrize("case", ["forced_text", "forced_engine"])
def test_forcing_a_refused_solution_and_recapping_it_as_agreed(grids, case) -> None:
    g = grids[case]
    for cid in ("posture_appropriee", "compte_rendu"):
        assert g[cid].level is not None and g[cid].level <= 1, (cid, g[cid].rationale)
    assert "Hugo" in g["compte_rendu"].capped_by


def test_a_recap_of_a_real_agreement_is_credited(grids) -> None:
    g = grids["built_engine"]
    assert g["compte_rendu"].level is not None and g["compte_rendu"].level >= 2, g["compte_rendu"].rationale
    assert not g["compte_rendu"].capped_by
    assert g["posture_appropriee"].level is not None and g["posture_appropriee"].level >= 2


def test_thin_evidence_is_flagged_for_the_jury(grids) -> None:
    item = grids["below_floor_text"]["seuils_negociation"]
    flagged = [i for g in grids.values() for i in g.values() if i.uncertain]
    assert flagged, "some item of these transcripts rests on thin evidence"
    for i in flagged:
        assert i.uncertainty_fr.startswith(TO_CONFIRM + " : ") and i.uncertainty_fr.endswith(".")
    assert item.capped_by and not item.uncertain  # a capped level rests on decisive evidence


def test_grid_is_identical_on_every_run() -> None:
    t = CASES["forced_engine"]
    assert score_transcript(t).model_dump_json() == score_transcript(t).model_dump_json()


def test_negotiation_record_pairs_concessions_with_prices() -> None:
    rec = negotiation_record(CASES["below_floor_engine"])
    assert rec is not None
    assert rec.candidate_opening == 70000 and rec.agreed_price == 63000
    assert [(c.from_price, c.to_price, c.traded) for c in rec.concessions] == [(70000, 66000, False),
                                                                               (66000, 63000, False)]
    assert rec.offers_below_floor == [70000, 66000, 63000] and rec.floor_kept is False
    assert rec.outcome_fr.startswith("accord signé sous le plancher")
    assert negotiation_record(CASES["below_floor_text"]) is None


def test_report_shows_the_engine_record_of_an_ended_negotiation() -> None:
    from scoring.render import render_html, render_markdown

    report = score_transcript(CASES["below_floor_engine"])
    assert report.negotiation_record is not None
    text = render_markdown(report)
    assert "## Négociation (relevé du persona)" in text
    first = "| Concession 1 (intervention 2) | 70\u202f000 € HT par an → 66\u202f000 € HT par an, sans contrepartie |"
    assert first in text
    assert "sous le plancher du candidat" in text
    assert "Négociation (relevé du persona)" in render_html(report)
    running = {**BELOW_FLOOR_ENGINE, "ended_reason": None, "outcome": None}
    assert score_transcript(make(4, BELOW_FLOOR_LINES, THRESHOLDS, running)).negotiation_record is None


def test_interlocutor_pushback_lowers_posture_unless_the_candidate_changes_course() -> None:
    """The persona's own reading of the candidate's behaviour (« restez correct ») counts against posture
    when the candidate carries on as before; a candidate who then asks or restates has adapted."""
    calm = {i.id: i for i in score_transcript(ENGAGED_BLOC2).grid.items}["posture_adaptee"]
    base = [("C" if t.speaker_role == "candidate" else "P", t.text) for t in ENGAGED_BLOC2.turns]
    adapted = list(base)
    adapted[3] = ("P", "Restez correct, s'il vous plaît. Les rayons frais sont vides le samedi matin.")
    adapted[5] = ("P", "Vous notez ce que je dis ? La direction régionale s'en inquiète, je viens de le dire.")
    stubborn = list(adapted)
    stubborn[4] = ("C", "Notre suivi en temps réel est le meilleur du marché, nos clients en sont tous ravis.")
    stubborn[6] = ("C", "Notre plateforme est reconnue par toute la profession, vous ne trouverez pas mieux.")
    kept = {i.id: i for i in score_transcript(make(2, adapted)).grid.items}["posture_adaptee"]
    pushed = {i.id: i for i in score_transcript(make(2, stubborn)).grid.items}["posture_adaptee"]
    assert pushed.measure is not None and calm.measure is not None and kept.measure is not None
    assert pushed.measure < calm.measure - 0.1
    assert kept.measure >= calm.measure - 0.05, kept.rationale
    assert "2 recadrage(s)" in pushed.rationale and "changement d'approche : 0" in pushed.rationale
    assert any(e.note == "recadré, sans changement d'approche ensuite" for e in pushed.evidence)


def test_engine_record_tolerates_missing_parts() -> None:
    """Exports of sessions that never reached the engine carry ``"state": null``; older states lack events."""
    from scoring.engine_record import events_of, mediation_record

    empty = make(4, BELOW_FLOOR_LINES, THRESHOLDS, {"outcome": None, "state": None})
    assert empty.engine is not None and empty.engine.state == {}
    assert negotiation_record(empty) is None and mediation_record(empty) is None and events_of(empty) == []
    old = {"ended_reason": "candidate", "state": {"negotiation": {"candidate_offers": [90000, 85000, 80000],
                                                                  "concessions_without_counterpart": 1,
                                                                  "agreed_price": 80000}}}
    rec = negotiation_record(make(4, BELOW_FLOOR_LINES, THRESHOLDS, old))
    assert rec is not None and [c.traded for c in rec.concessions] == [True, False]
    assert rec.floor_kept is True and rec.concessions_given == 1
