"""The engine acts on the turn reading as-is: offer by owner, ambiguity, restatements checked, addressee.

Readings are built by hand here (the engine is pure); tests/api/test_turn_reading_stored.py runs the
real reading through the action and the API.
"""

from __future__ import annotations

import pytest

from personas.engine import TurnSignals
from personas.loader import load_library
from tests.personas.persona_helpers import Session

LIB = load_library()


def reading(**fields) -> TurnSignals:
    return TurnSignals(reader_version="2.0", **fields)


def amounts(*pairs):
    return [{"value": v, "unit": "EUR", "role": role, "text": str(v)} for v, role in pairs]


def test_the_buyer_records_the_candidates_own_offer_not_the_first_figure():
    s = Session(LIB["b4-acheteur-aeronautique"])
    n = s.persona.negotiation
    assert n is not None
    theirs, mine = n.opening, n.candidate_list_price * 0.98
    r = reading(amounts=amounts((theirs, "partner_figure"), (mine, "own_offer")), offer=mine)
    s.say(f"Vous êtes à {theirs:.0f} €, je peux faire {mine:.0f} € si vous signez trois ans.", "propose_price",
          analysis=r)
    offers = s.state["negotiation"]["candidate_offers"]
    assert offers == [mine]
    assert "price_agreed" not in " ".join(s.state["events"])


def test_an_ambiguous_offer_is_asked_about_not_accepted():
    s = Session(LIB["b4-acheteur-aeronautique"])
    r = reading(offer=None, offer_ambiguous=True)
    result = s.say("Je peux faire 209 000 € sur un an ou 205 000 € sur trois ans.", "propose_price", analysis=r)
    assert any(e.endswith("offer_ambiguous") for e in s.state["events"])
    from personas.engine.negotiation import ASK_EXACT_OFFER_DEFAULTS

    assert " ".join(line.text for line in result.lines) in ASK_EXACT_OFFER_DEFAULTS  # asks for one price
    assert (s.state.get("negotiation") or {}).get("candidate_offers", []) == []


def test_a_discount_without_a_price_applies_to_the_list_price():
    s = Session(LIB["b4-acheteur-aeronautique"])
    n = s.persona.negotiation
    assert n is not None
    moves = [{"move": "concession", "text": "je vous fais", "amounts": [], "percents": [5.0]},
             {"move": "counterpart", "text": "si vous signez", "amounts": [], "percents": [5.0]}]
    s.say("Je vous fais 5 % si vous signez trois ans.", "propose_price",
          analysis=reading(offer_discount=5.0, negotiation=moves))
    assert s.state["negotiation"]["candidate_offers"] == [round(n.candidate_list_price * 0.95, 2)]


def test_a_wrong_restatement_is_corrected_with_the_right_fact_and_earns_nothing():
    s = Session(LIB["b2-client-flotte-electrique"])
    r = reading(is_reformulation=True, reformulation_accuracy="inaccurate",
                reformulation_mismatches=["« 300 km » au lieu de « 120 km »"])
    before = 0.0 if s.state is None else s.state["trust"]
    result = s.say("Si je comprends bien, vos fourgons font 300 km par jour.", "reformulate", analysis=r)
    text = " ".join(line.text for line in result.lines)
    assert "120 km" in text and "300 km" in text
    assert s.state["trust"] <= max(before, s.persona.personality.initial_trust)


def test_the_same_restatement_twice_earns_trust_once():
    s = Session(LIB["b2-client-flotte-electrique"])
    r = reading(is_reformulation=True, reformulation_accuracy="accurate")
    text = "Si je vous suis bien, la zone à faibles émissions vous oblige à renouveler vos fourgons diesel."
    s.say(text, "reformulate", analysis=r)
    first = s.state["trust"]
    s.say(text, "reformulate", analysis=r)
    assert s.state["trust"] <= first
    assert any(e.endswith("reformulation_repeated") for e in s.state["events"])


def test_the_addressed_member_answers():
    persona = LIB["b5-conflit-adv-commercial"]
    for member in ("antoine", "sabrina"):
        s = Session(persona)
        result = s.say("Et pour toi, qu'est-ce qui compte le plus ?", "ask_needs",
                       analysis=reading(is_question=True, question_type="open", question_subtype="ouverte",
                                        addressee=[member]))
        assert result.lines and result.lines[0].speaker_id == member


def test_taking_a_members_side_costs_the_other_members_trust():
    persona = LIB["b5-conflit-adv-commercial"]
    s = Session(persona)
    tension = {m: st["tension"] for m, st in (s.state or {}).get("members", {}).items()}
    result = s.say("Antoine a raison, on ne peut pas perdre une commande pour un formulaire.", "reformulate",
                   analysis=reading(is_reformulation=True, reformulation_accuracy="accurate",
                                    stance={"sides_with": "antoine", "blames": None, "evidence": ["a raison"]}))
    assert any("taking_sides:antoine" in e for e in s.state["events"])
    assert result.lines[0].speaker_id == "sabrina"
    assert s.state["members"]["sabrina"]["tension"] > tension.get("sabrina", 0.0)


@pytest.mark.parametrize("text", [
    "Si je te comprends bien, tu as fait neuf samedis sur les quatorze derniers.",
    "Si je t'ai bien compris, tu ne veux plus des soirs d'astreinte.",
    "Donc, pour toi, le problème c'est la répartition.",
])
def test_a_restatement_with_tu_is_read_as_one(text):
    """A manager says « tu » to their team: the engine's cues have the tu forms of the vous ones."""
    from personas.engine import CandidateTurn
    from personas.engine.reading import read_turn

    reading = read_turn(CandidateTurn(text=text, intent="assertive_statement"))
    assert reading.restates and reading.reformulation_cue


@pytest.mark.parametrize("text", [
    "Je vous résume : soixante contrats, un pilote de dix fourgons, un essai en janvier.",
    "Je te récapitule : un samedi sur trois, le planning publié deux mois avant, tes congés validés.",
])
def test_a_recap_said_to_the_partner_is_a_summary(text):
    """« Je vous résume », « je te récapitule »: the pronoun does not hide the recap from the engine nor
    from the reading."""
    from personas.engine import CandidateTurn
    from personas.engine.reading import read_turn
    from scoring.annotate import annotate_turns

    assert read_turn(CandidateTurn(text=text, intent="assertive_statement")).summary_cue
    assert annotate_turns([{"id": "t", "text": text, "genre": "sales",
                            "context": [{"speaker": "other", "text": "Je vous écoute."}]}])[0].is_summary


def test_a_persona_that_opened_does_not_greet_twice():
    """The opening says « Bonjour, entrez »; the candidate's « Bonjour » is answered without a second
    « Bonjour. » — the rest of the greeting line is kept."""
    from personas.engine import CandidateTurn, play_turn
    from personas.engine.voice import without_salutation
    from personas.loader import load_library

    persona = load_library()["b2-client-flotte-electrique"]
    assert persona.lines.get("opening")
    result = play_turn(persona, None, CandidateTurn(text="Bonjour Madame Marchand, merci de me recevoir.",
                                                    intent="greet", confidence=0.9), 3)
    assert result.lines and not result.lines[0].text.lower().startswith(("bonjour", "bonsoir"))
    assert without_salutation("Bonjour, bonjour ! Ravi. Allez-y.") == "Ravi. Allez-y."
    assert without_salutation("Ah, bonjour.") == "Ah, bonjour."
