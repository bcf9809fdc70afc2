"""The facts writers asked about most (figures, organisation, history, who decides) are in the YAML
(issue 12, sets F and G), and each is answered to a question of our own wording."""

from __future__ import annotations

import pytest

from personas.engine import TurnSignals
from personas.loader import load_library
from tests.personas.persona_helpers import Session

LIB = load_library()


def question(subtype: str = "precise", addressee: list[str] | None = None) -> TurnSignals:
    return TurnSignals(reader_version="2.0", is_question=True, question_type="closed", question_subtype=subtype,
                       addressee=addressee or [])


def _answers(persona_id: str, fact_id: str) -> set[str]:
    return set(next(f for f in LIB[persona_id].facts if f.id == fact_id).answer)


@pytest.mark.parametrize("persona_id", sorted(LIB))
def test_every_persona_holds_several_facts_with_variants(persona_id):
    facts = LIB[persona_id].facts
    assert len(facts) >= 4, f"{persona_id}: {len(facts)} facts"
    assert all(len(f.answer) >= 3 for f in facts)


@pytest.mark.parametrize(("persona_id", "text", "intent", "fact_id", "addressee"), [
    ("b4-acheteuse-habitat-social", "Vous gérez combien de logements en tout ?", "closed_question", "logements",
     None),
    ("b4-acheteur-aeronautique", "Vous êtes combien de salariés à Mérignac ?", "closed_question", "size", None),
    ("b2-client-flotte-electrique", "Vous êtes client de Loxea depuis combien de temps déjà ?", "closed_question",
     "anciennete_client", None),
    ("b5-conflit-portefeuille", "Karim, ton portefeuille, c'est combien de comptes aujourd'hui ?",
     "closed_question", "comptes_karim", ["karim"]),
    ("b5-conflit-portefeuille", "Julie, tu as quel objectif annuel cette année ?", "closed_question",
     "objectif_julie", ["julie"]),
    ("b5-conflit-adv-commercial", "Sabrina, qui valide les délais express, le responsable de production ?",
     "closed_question", "validation_delais", ["sabrina"]),
])
def test_a_direct_question_on_a_new_fact_gets_it(persona_id, text, intent, fact_id, addressee):
    s = Session(LIB[persona_id])
    s.say("Bonjour, merci de prendre ce temps.", "greet")
    result = s.say(text, intent, analysis=question(addressee=addressee))
    assert f"fact_given:{fact_id}" in s.events
    assert {line.text for line in result.lines} & _answers(persona_id, fact_id)
    speaker = next(f for f in LIB[persona_id].facts if f.id == fact_id).speaker
    if speaker is not None:
        assert result.lines[0].speaker_id == speaker


def test_a_wrong_figure_on_a_new_fact_is_corrected():
    s = Session(LIB["b5-conflit-permanences"])
    s.say("Bonjour à tous les deux.", "greet")
    result = s.say("On a bien dans les 9 000 contrats d'entretien en ce moment ?", "closed_question",
                   analysis=question("fermee"))
    assert "fact_corrected:contrats_entretien" in s.events
    assert "8 600" in result.lines[0].text


@pytest.mark.parametrize(("persona_id", "text"), [
    ("b2-client-flotte-electrique",
     "Pour un tel choix, qui tranche : vous, ou le responsable du parc avec la direction ?"),
    ("b2-transport-frigorifique",
     "Qui décide pour un tel investissement : vous, votre directeur financier Jean-Marc Roux, votre père ?"),
])
def test_a_who_decides_question_naming_a_role_or_a_person_still_reveals_the_decision_need(persona_id, text):
    # a role or a name in a decision question must not take the revelation of the decision need away
    # (it is essential to close): the library holds no fact keyed on a stakeholder's role or name
    s = Session(LIB[persona_id])
    s.say("Bonjour, merci de prendre ce temps.", "greet")
    s.state["trust"] = 0.9
    s.say(text, "ask_decision_process", analysis=question("ouverte"))
    assert "need_revealed:decision" in s.events
    assert not any(e.startswith("fact_given") for e in s.events)
