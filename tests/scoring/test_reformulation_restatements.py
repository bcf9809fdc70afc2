"""Restatements the detector used to miss in real sessions: a mid-talk « si je résume », the partner's
words quoted back, a restatement that opens a long turn. Sentences written for this test."""

from __future__ import annotations

from scoring.annotate import annotate_turns, evidence_of

PARTNER = ("Nos deux entrepôts tournent en trois-huit, et depuis l'été on a perdu quatre caristes. "
           "Le responsable logistique, Marc, refuse de changer d'outil avant l'inventaire de janvier.")


def _item(text: str, partner: str = PARTNER) -> dict[str, object]:
    return {"id": "t", "lang": "fr", "text": text, "genre": "sales",
            "context": [{"speaker": "self", "text": "Comment s'organisent vos équipes aujourd'hui ?"},
                        {"speaker": "other", "text": partner}]}


def test_a_mid_talk_recap_of_the_last_turn_is_a_reformulation():
    text = ("Si je résume : deux entrepôts en trois-huit, quatre caristes perdus depuis l'été, et Marc "
            "qui ne veut pas changer d'outil avant l'inventaire de janvier.")
    reading = annotate_turns([_item(text)])[0]
    assert reading.is_reformulation
    evidence = evidence_of(_item(text))
    assert evidence is not None and evidence.recap_marker == 1.0


def test_a_closing_recap_with_next_steps_stays_the_summary_only():
    text = ("Pour récapituler : deux entrepôts en trois-huit et Marc à convaincre. Je vous envoie la "
            "proposition vendredi, et nous nous rappelons mardi prochain à 10 h.")
    reading = annotate_turns([_item(text)])[0]
    assert reading.is_summary and not reading.is_reformulation


def test_the_partners_words_quoted_back_are_evidence():
    quoted = evidence_of(_item("Vous dites « refuse de changer d'outil » : qu'est-ce qui l'inquiète ?"))
    function_words = evidence_of(_item("« Plus ou moins » : c'est-à-dire ?", "Oui, plus ou moins."))
    unrelated = evidence_of(_item("Notre devise, « simple et rapide », résume notre approche."))
    assert quoted is not None and quoted.quoted == 1.0
    assert function_words is not None and function_words.quoted == 0.5
    assert unrelated is not None and unrelated.quoted == 0.0


def test_a_restatement_opening_a_long_turn_keeps_its_overlap():
    text = ("Quatre caristes perdus depuis l'été dans vos deux entrepôts, je comprends la tension. "
            "Notre solution de planification s'installe en une semaine, avec une formation sur site, "
            "un accompagnement dédié et un tableau de bord que vos chefs d'équipe consultent sur tablette.")
    evidence = evidence_of(_item(text))
    assert evidence is not None
    assert evidence.sentence_overlap > evidence.overlap
    assert evidence.sentence_overlap >= 0.5
