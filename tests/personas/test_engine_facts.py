"""A factual question gets the fact (or a refusal in character that says why); a wrong figure is corrected.

Readings are built by hand (the engine is pure), as in test_engine_reading.py.
"""

from __future__ import annotations

import pytest

from personas.checks import check_persona
from personas.engine import TurnSignals
from personas.loader import load_library
from personas.reading_inputs import topic_refs
from personas.schema import Fact
from tests.personas.persona_helpers import Session

LIB = load_library()
TRANSPORT = LIB["b2-transport-frigorifique"]
HABITAT = LIB["b4-acheteuse-habitat-social"]


def reading(**fields) -> TurnSignals:
    return TurnSignals(reader_version="2.0", **fields)


def said(result) -> str:
    return " ".join(line.text for line in result.lines)


def fact(persona, fact_id: str) -> Fact:
    return next(f for f in persona.facts if f.id == fact_id)


@pytest.mark.parametrize("intent", ["closed_question", "ask_situation"])
def test_a_factual_question_gets_the_fact(intent):
    s = Session(TRANSPORT)
    result = s.say("Vous avez combien de camions ?", intent,
                   analysis=reading(is_question=True, question_type="closed"))
    assert said(result) in fact(TRANSPORT, "flotte").answer
    assert "fact_given:flotte" in s.events


def test_a_question_on_the_companys_history_is_not_answered_with_the_calendar():
    s = Session(TRANSPORT)
    result = s.say("Depuis quand l'entreprise existe-t-elle ?", "ask_situation",
                   analysis=reading(is_question=True, question_type="open"))
    assert "1987" in said(result)
    assert not any(e.startswith("need_revealed") for e in s.events)


def test_the_readings_topic_alone_is_enough():
    s = Session(TRANSPORT)
    result = s.say("Et vous pesez combien, en termes d'activité ?", "ask_situation",
                   analysis=reading(is_question=True, question_type="open", topics=["fact:chiffre_affaires"]))
    assert said(result) in fact(TRANSPORT, "chiffre_affaires").answer


def test_a_sensitive_fact_is_refused_in_character_until_trust_is_there():
    s = Session(HABITAT)
    budget = fact(HABITAT, "budget_formation_annuel")
    result = s.say("Quel est votre budget formation ?", "ask_budget",
                   analysis=reading(is_question=True, question_type="open"))
    assert said(result) in budget.refusal and "1,1" not in said(result)
    assert "fact_refused:budget_formation_annuel" in s.events
    s.state["trust"] = budget.min_trust
    result = s.say("Et quel est votre budget formation, alors ?", "ask_budget",
                   analysis=reading(is_question=True, question_type="open"))
    assert "1,1 M€" in said(result)


def test_a_fact_after_a_need_waits_for_that_need():
    persona = TRANSPORT.model_copy(update={"facts": [
        fact(TRANSPORT, "flotte").model_copy(update={"after_needs": ["planning-artisanal"],
                                                     "refusal": ["Chaque chose en son temps."]})]})
    s = Session(persona)
    assert said(s.say("Vous avez combien de camions ?", "closed_question")) == "Chaque chose en son temps."


@pytest.mark.parametrize(("text", "intent"), [
    ("Vous avez bien 300 camions ?", "closed_question"),
    ("Avec vos 300 camions, la planification doit être lourde.", "assertive_statement"),
])
def test_a_wrong_figure_about_a_fact_is_corrected(text, intent):
    s = Session(TRANSPORT)
    result = s.say(text, intent)
    assert said(result).startswith("Non") and "85" in said(result) and "300" not in said(result)
    assert "fact_corrected:flotte" in s.events


def test_the_right_figure_is_not_corrected():
    s = Session(TRANSPORT)
    result = s.say("Vous avez bien 85 camions ?", "closed_question")
    assert not said(result).startswith("Non")
    assert "fact_corrected:flotte" not in s.events


def test_a_closed_question_the_reading_found_wrong_is_corrected_like_a_reformulation():
    s = Session(LIB["b2-client-flotte-electrique"])
    r = reading(is_question=True, question_type="closed", reformulation_accuracy="inaccurate",
                reformulation_mismatches=["« 300 km » au lieu de « 120 km »"])
    result = s.say("Vos fourgons font bien 300 km par jour ?", "closed_question", analysis=r)
    assert "120 km" in said(result)
    assert "reformulation_inaccurate" in s.events


def test_an_offer_naming_a_fact_is_still_an_offer():
    s = Session(TRANSPORT)
    s.say("Nous proposons une solution pour toute votre flotte, avec un accompagnement de six semaines.",
          "present_offer")
    assert not any(e.startswith("fact_") for e in s.events)
    assert s.state["offer_presented"]


def test_a_need_aimed_at_as_precisely_keeps_its_revelation():
    s = Session(TRANSPORT)
    s.say("Comment planifiez-vous les tournées de votre flotte aujourd'hui ?", "ask_situation")
    assert "need_revealed:planning-artisanal" in s.events or "need_guarded:planning-artisanal" in s.events
    assert not any(e.startswith("fact_") for e in s.events)


def test_a_withheld_fact_needs_a_refusal_and_known_needs():
    bad = Fact(id="marge", keywords=["marge"], answer=["2 %."], min_trust=0.9, after_needs=["inconnu"])
    issues = check_persona(TRANSPORT.model_copy(update={"facts": [bad]}))
    fields = {i.path for i in issues}
    assert {"facts.0.refusal", "facts.0.after_needs.0"} <= fields


def test_the_reading_gets_the_facts_words_as_topics():
    topics = {t["id"]: t for t in topic_refs(TRANSPORT)}
    assert "camion" in topics["fact:flotte"]["keywords"]
    assert "fact:historique" in topics and "1987" in topics["fact:historique"]["text"]


def test_in_a_mediation_the_addressed_member_gives_the_fact():
    persona = LIB["b5-conflit-adv-commercial"]
    s = Session(persona)
    result = s.say("Antoine, quel est le délai standard aujourd'hui ?", "ask_situation",
                   analysis=reading(is_question=True, question_type="open", addressee=["antoine"]))
    assert [line.speaker_id for line in result.lines] == ["antoine"]
    assert said(result) in fact(persona, "delai_standard").answer


def test_a_follow_up_on_a_told_need_gets_its_next_layer_not_a_fact_it_brushes():
    """« Et ces pénalités, elles pèsent combien sur votre marge ? » after the persona told of its late
    deliveries: the need is named more precisely (« pénalit ») than the margin fact (« marge »)."""
    s = Session(TRANSPORT)
    open_q = reading(is_question=True, question_type="open")
    for _ in range(4):
        s.say("Qu'est-ce qui vous pose le plus de difficultés avec les livraisons en ce moment ?",
              "ask_pain_points", analysis=open_q)
        if "retards-penalites" in s.state["revealed_needs"]:
            break
    assert "retards-penalites" in s.state["revealed_needs"]
    result = s.say("Et ces pénalités de retard, elles pèsent combien sur votre marge ?", "ask_pain_points",
                   analysis=open_q)
    assert any(e.startswith("need_deepened:retards-penalites") for e in s.events), s.events
    assert not any(e.startswith("fact_given:marge") for e in s.events)
    assert said(result) not in fact(TRANSPORT, "marge_nette").answer


def test_a_plain_factual_question_after_the_need_still_gets_the_fact():
    s = Session(TRANSPORT)
    open_q = reading(is_question=True, question_type="open")
    for _ in range(4):
        s.say("Qu'est-ce qui vous pose le plus de difficultés avec les livraisons en ce moment ?",
              "ask_pain_points", analysis=open_q)
    s.say("Quelle est votre marge nette, à peu près ?", "closed_question",
          analysis=reading(is_question=True, question_type="closed"))
    assert any(e.startswith("fact_") and "marge" in e for e in s.events), s.events


def test_an_accurate_recap_made_too_early_is_told_what_is_missing_not_that_it_is_wrong():
    from personas.engine.summary_lines import SUMMARY_INCOMPLETE_DEFAULT

    s = Session(TRANSPORT)
    open_q = reading(is_question=True, question_type="open")
    for _ in range(4):
        s.say("Qu'est-ce qui vous pose le plus de difficultés avec les livraisons en ce moment ?",
              "ask_pain_points", analysis=open_q)
    assert "retards-penalites" in s.state["revealed_needs"]
    result = s.say("Si je résume, vos retards de livraison vous valent des pénalités des enseignes.", "summarize",
                   analysis=reading(is_summary=True, is_reformulation=True))
    assert any(e.endswith("summary_thin") for e in s.events)
    assert said(result) in SUMMARY_INCOMPLETE_DEFAULT
    assert said(result) not in [t for v in TRANSPORT.lines["reformulation_off"].values() for t in v]


def test_a_restatement_ending_on_a_question_gets_the_question_answered():
    """« Si je reformule : … Et qui décide chez vous ? »: the restatement earns its trust silently and
    the persona answers the question, not « C'est exactement cela. » alone."""
    s = Session(TRANSPORT)
    open_q = reading(is_question=True, question_type="open")
    for _ in range(4):
        s.say("Qu'est-ce qui vous pose le plus de difficultés avec les livraisons en ce moment ?",
              "ask_pain_points", analysis=open_q)
    assert "retards-penalites" in s.state["revealed_needs"]
    ok_lines = [t for v in TRANSPORT.lines["reformulation_ok"].values() for t in v]
    before = len(s.events)
    result = s.say("Si je reformule, vos retards de livraison vous coûtent des pénalités. Et qui décide chez vous "
                   "d'un projet comme celui-ci ?", "reformulate",
                   analysis=reading(is_question=True, question_type="closed", question_subtype="precise",
                                    is_reformulation=True, reformulation_accuracy="accurate"))
    assert "reformulation_ok" in s.events[before:]
    assert said(result) not in ok_lines
    assert any(e.startswith(("need_revealed:decision", "need_deepened:decision")) for e in s.events[before:]), \
        s.events[before:]


def test_a_restatement_checked_with_cest_bien_ca_is_confirmed():
    s = Session(TRANSPORT)
    open_q = reading(is_question=True, question_type="open")
    for _ in range(4):
        s.say("Qu'est-ce qui vous pose le plus de difficultés avec les livraisons en ce moment ?",
              "ask_pain_points", analysis=open_q)
    ok_lines = [t for v in TRANSPORT.lines["reformulation_ok"].values() for t in v]
    result = s.say("Si je reformule, vos retards de livraison vous coûtent des pénalités, c'est bien ça ?",
                   "reformulate", analysis=reading(is_question=True, question_type="closed", question_subtype="fermee",
                                                   is_reformulation=True, reformulation_accuracy="accurate"))
    assert said(result) in ok_lines


def test_a_question_after_a_note_typed_as_an_offer_is_answered_as_a_question():
    """« Je note : quatre heures sur les centres cinq axes. Combien de camions roulent la nuit ? » with an
    offer intent from the NLU: the reading says it asks for information and nothing is offered."""
    s = Session(TRANSPORT)
    result = s.say("Je note bien tout cela pour la suite de notre échange. Combien de camions avez-vous ?",
                   "present_offer", analysis=reading(is_question=True, question_type="closed",
                                                     question_subtype="precise"))
    assert "fact_given:flotte" in s.events, s.events
    assert said(result) in fact(TRANSPORT, "flotte").answer
    assert not any(e == "offer_premature" or e.endswith(":offer_premature") for e in s.events)


def test_an_offer_ending_on_what_do_you_think_stays_an_offer():
    s = Session(TRANSPORT)
    s.say("Je vous propose un abonnement de 38 € par véhicule et par mois. Qu'en pensez-vous ?", "present_offer",
          analysis=reading(is_question=True, question_type="open", question_subtype="ouverte"))
    assert not any(e.startswith("reread:present_offer>") for e in s.events), s.events
