"""A direct question gets its answer on its own words, whatever intent the NLU gave the turn (issue 12).

The turns are written for these tests: an argument or a restatement that ends on a question, a short
question the NLU was unsure of. The persona answers the fact (or refuses it in character), the need
(or its guarded line); a restatement's own check question and a closed question on a hidden need
reveal nothing new.
"""

from __future__ import annotations

from personas.engine import TurnSignals
from personas.loader import load_library
from tests.personas.persona_helpers import Session

LIB = load_library()
FRIGO = LIB["b2-transport-frigorifique"]
PAIR = LIB["b5-conflit-portefeuille"]


def reading(**fields) -> TurnSignals:
    """A content reading (reader 2) of a question turn."""
    return TurnSignals(reader_version="2.0", is_question=True, **fields)


def _fact_lines(persona, fact_id: str) -> set[str]:
    return set(next(f for f in persona.facts if f.id == fact_id).answer)


def _said(result) -> list[str]:
    return [line.text for line in result.lines]


def test_a_fact_asked_at_the_end_of_an_argument_is_given():
    s = Session(FRIGO)
    s.say("Bonjour Madame, merci de me recevoir.", "greet")
    result = s.say("Un outil de planification se rentabilise vite quand les retards coûtent cher. "
                   "Et votre flotte, elle compte combien de camions ?", "handle_objection",
                   analysis=reading(question_type="closed", question_subtype="precise"))
    assert "fact_given:flotte" in s.events
    assert set(_said(result)) & _fact_lines(FRIGO, "flotte")


def test_a_short_question_the_nlu_was_unsure_of_is_answered_when_read():
    s = Session(FRIGO)
    s.say("Bonjour Madame, merci de me recevoir.", "greet")
    result = s.say("Et votre société, sa création remonte à quand ?", "nlu_fallback", confidence=0.3,
                   analysis=reading(question_type="open", question_subtype="precise"))
    assert "clarify" not in s.events
    assert set(_said(result)) & _fact_lines(FRIGO, "historique")


def test_without_a_reading_the_unsure_turn_still_asks_to_clarify():
    s = Session(FRIGO)
    s.say("Bonjour Madame, merci de me recevoir.", "greet")
    s.say("Et votre société, sa création remonte à quand ?", "nlu_fallback", confidence=0.3)
    assert s.events[-1] == "clarify"


def test_an_information_question_after_a_restatement_is_answered_too():
    s = Session(FRIGO)
    s.say("Bonjour Madame, merci de me recevoir.", "greet")
    s.say("Comment organisez-vous vos tournées aujourd'hui ?", "ask_situation",
          analysis=reading(question_type="open", question_subtype="ouverte"))
    result = s.say("Si je vous suis, deux personnes refont les tournées chaque soir sur un tableur. "
                   "Votre société est implantée où, d'ailleurs ?", "reformulate",
                   analysis=reading(question_type="open", question_subtype="precise", is_reformulation=True))
    assert set(_said(result)) & _fact_lines(FRIGO, "location")


def test_a_restatement_check_question_is_not_taken_for_a_fact_question():
    s = Session(FRIGO)
    s.say("Comment organisez-vous vos tournées aujourd'hui ?", "ask_situation")
    s.say("Donc vous voulez surtout renouveler vos camions, c'est bien ça ?", "reformulate",
          analysis=reading(question_type="closed", question_subtype="fermee", is_reformulation=True))
    assert not any(e.startswith("fact_given") for e in s.events)


def test_a_closed_question_on_a_hidden_need_reveals_nothing():
    s = Session(FRIGO)
    s.say("Bonjour Madame, merci de me recevoir.", "greet")
    s.state["trust"] = 0.9
    s.say("Notre outil réduit les écarts. Vous avez un budget prévu, oui ou non ?", "handle_objection",
          analysis=reading(question_type="closed", question_subtype="fermee"))
    assert not any(e.startswith("need_revealed") for e in s.events)


def test_bloc5_the_member_asked_about_their_own_situation_answers():
    s = Session(PAIR)
    s.say("Bonjour à vous deux, merci d'être là.", "greet")
    s.state["trust"] = 0.8
    for member in s.state["members"].values():
        member["tension"] = 0.2
        member["grievances_voiced"] = ["-"]  # both have already told their grievances
    result = s.say("Merci pour ces éléments. Julie, comment vois-tu ton évolution dans l'agence ?", "handle_objection",
                   analysis=reading(question_type="open", question_subtype="ouverte", addressee=["julie"]))
    assert result.lines and result.lines[0].speaker_id == "julie"
    assert any(e.startswith("need_revealed:julie-") for e in s.events)
