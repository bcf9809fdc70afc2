"""The persona never contradicts its own record (issue 12, set F notes): figures the seller disowns,
percentages that argue rather than concede, recaps at another price, blame read in a question.

Readings are built by hand (the engine acts on the reading as-is); the sentences are our own.
"""

from __future__ import annotations

import re

from personas.engine import TurnSignals
from personas.engine.negotiation import position
from personas.loader import load_library
from tests.personas.persona_helpers import Session

LIB = load_library()
BUYER = "b4-acheteur-aeronautique"


def reading(**fields) -> TurnSignals:
    return TurnSignals(reader_version="4.1", **fields)


def amount(value: float, role: str) -> dict:
    return {"value": value, "unit": "EUR", "role": role, "text": f"{value:g}"}


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _session_with_offer(seed: int = 11) -> tuple[Session, float, float]:
    """A buyer session where the seller's list price stands and the buyer has countered once."""
    s = Session(LIB[BUYER], seed)
    n = s.negotiation
    s.say("Bonjour, je suis ravi de vous rencontrer.", "greet")
    s.state["negotiation"] = {"candidate_offers": [n.candidate_list_price], "persona_offers": [n.opening],
                              "persona_offer": n.opening, "rounds": 1}
    s.state["stage"] = "negociation"
    return s, n.candidate_list_price, n.target


def test_a_figure_the_seller_disowns_is_withdrawn_with_the_price_agreed_on_it():
    s, listed, target = _session_with_offer()
    computed = round(target - 1000, 2)  # a price the engine derived and agreed, never said by the seller
    neg = s.state["negotiation"]
    neg.update(candidate_offers=[listed, computed], derived_offers=[computed], agreed_price=computed)
    s.state["stage"] = "conclusion"
    result = s.say(f"Je corrige : {computed:.0f} euros, ce chiffre ne vient pas de moi. Je reste à {listed:.0f} euros.",
                   "propose_price",
                   analysis=reading(amounts=[amount(computed, "partner_figure"), amount(listed, "own_offer")],
                                    offer=listed))
    neg = s.state["negotiation"]
    assert computed not in neg["candidate_offers"]
    assert neg["agreed_price"] is None
    assert computed in neg["withdrawn_offers"]
    assert f"offer_withdrawn:{computed:g}" in s.events and "agreement_withdrawn" in s.events
    assert digits(f"{computed:.0f}") in digits(result.lines[0].text)
    assert not s.state["ended"]


def test_a_figure_the_buyer_herself_offered_is_never_withdrawn():
    s, listed, _ = _session_with_offer()
    opening = s.state["negotiation"]["persona_offers"][0]
    s.state["negotiation"]["candidate_offers"] = [listed, opening]
    s.say(f"Vous étiez à {opening:.0f} euros, je le note.", "assertive_statement",
          analysis=reading(amounts=[amount(opening, "partner_figure")]))
    assert opening in s.state["negotiation"]["candidate_offers"]
    assert not any(e.startswith("offer_withdrawn") for e in s.events)


def test_a_percentage_in_a_turn_that_argues_is_not_taken_for_a_discount():
    s, listed, _ = _session_with_offer()
    result = s.say("Votre chiffre nous met 4 % sous nos coûts de main-d'œuvre : là, je ne peux pas signer.",
                   "propose_price", analysis=reading(offer_discount=4.0, amounts=[]))
    neg = s.state["negotiation"]
    assert neg["candidate_offers"] == [listed]  # no computed price recorded
    assert neg["agreed_price"] is None
    assert "discount_not_offered" in s.events
    assert "?" in result.lines[0].text  # the buyer asks for the seller's price


def test_a_discount_granted_with_a_condition_is_still_an_offer():
    s, listed, _ = _session_with_offer()
    moves = [{"move": "concession", "text": "je baisse", "amounts": [], "percents": [3.0]},
             {"move": "counterpart", "text": "si vous prenez", "amounts": [], "percents": [3.0]}]
    s.say("Je baisse de 3 % si vous prenez le contrat sur trois ans.", "propose_price",
          analysis=reading(offer_discount=3.0, negotiation=moves))
    assert s.state["negotiation"]["candidate_offers"][-1] == round(listed * 0.97, 2)
    assert "discount_not_offered" not in s.events


def test_a_recap_at_another_price_after_the_yes_is_set_right_with_the_record():
    s, listed, target = _session_with_offer()
    agreed = round(target - 2000, 2)
    s.state["negotiation"].update(candidate_offers=[listed, agreed], agreed_price=agreed)
    s.state["stage"] = "conclusion"
    higher = round(agreed + 9000, 2)
    result = s.say(f"Je reprends nos termes : {higher:.0f} euros par an, sur trois ans, avec la formation des équipes.",
                   "summarize", analysis=reading(is_summary=True, amounts=[amount(higher, "own_offer")], offer=higher))
    assert "recap_price_differs" in s.events
    assert "summary_ok" not in s.events
    assert digits(f"{agreed:.0f}") in digits(" ".join(line.text for line in result.lines))
    assert s.state["negotiation"]["agreed_price"] == agreed


def test_a_concede_intent_with_no_move_in_the_reading_is_not_a_concession():
    s = Session(LIB["b2-client-flotte-electrique"])
    s.say("Bonjour, merci de me recevoir.", "greet")
    s.say("Vous roulez surtout en ville, d'accord. La zone à faibles émissions vous inquiète, je suppose ?",
          "concede", analysis=reading(is_question=True, question_type="closed", question_subtype="fermee"))
    assert "concession_without_counterpart" not in s.events
    assert "concede_without_move" in s.events


def test_a_question_to_the_member_the_stance_blames_gives_the_floor():
    s = Session(LIB["b5-conflit-adv-commercial"])
    result = s.say("Sabrina, dis-moi comment tu as vécu cette semaine de clôture ?", "invite_to_speak",
                   analysis=reading(is_question=True, question_type="open", question_subtype="ouverte",
                                    addressee=["sabrina"], stance={"sides_with": None, "blames": "sabrina"}))
    assert not any(e.startswith(("taking_sides", "side_taken")) for e in s.events)
    assert "blame_as_question:sabrina" in s.events
    assert result.lines and result.lines[0].speaker_id == "sabrina"


def test_a_blame_said_as_a_statement_still_takes_sides():
    s = Session(LIB["b5-conflit-adv-commercial"])
    s.say("Sabrina, tu aurais dû traiter ce dossier avant vendredi.", "assertive_statement",
          analysis=reading(addressee=["sabrina"], stance={"sides_with": None, "blames": "sabrina"}))
    assert any(e.startswith("taking_sides") for e in s.events)


def test_blame_cue_words_are_not_read_again_when_the_reading_finds_no_blame():
    s = Session(LIB["b5-conflit-adv-commercial"])
    s.say("Personne ici ne pense que tu es fautif, Antoine. Je veux comprendre le circuit de validation.",
          "reformulate", analysis=reading(addressee=["antoine"], stance=None))
    assert not any(e.startswith(("taking_sides", "side_taken")) for e in s.events)


def test_a_persona_that_says_tu_proposes_it_in_every_opening_line():
    """A buyer who says « tu » announces it from the start: never « vous » at the greeting, then « tu »."""
    tu = re.compile(r"\b(tu|toi|ton|ta|tes)\b", re.IGNORECASE)
    for persona in LIB.values():
        if persona.bloc == 5:
            continue  # a manager and their team say tu; the candidate sets the register
        speaker = persona.main_speaker.id
        said = [v for lines in persona.lines.values() if isinstance(lines, dict)
                for sid, variants in lines.items() if sid == speaker for v in variants]
        said += [v for lines in persona.lines.values() if isinstance(lines, list) for v in lines]
        if sum(1 for v in said if tu.search(v)) < 5:
            continue
        openings = persona.lines.get("opening", [])
        variants = openings if isinstance(openings, list) else openings.get(speaker, [])
        assert variants, persona.id
        for line in variants:
            assert "tutoie" in line.lower() or tu.search(line), (persona.id, line)


def test_the_buyer_never_accepts_beyond_the_limit_after_a_withdrawal():
    """Withdrawing a figure reopens the talk; the hidden limit still holds on the next round."""
    s, listed, _ = _session_with_offer()
    n = s.negotiation
    s.state["negotiation"].update(candidate_offers=[listed, n.target], derived_offers=[n.target],
                                  agreed_price=n.target)
    above = float(position(n, len(n.concession_pattern)) + n.rounding * 50)
    above = max(above, n.walk_away + n.rounding)
    s.say(f"Ce n'est pas mon chiffre. Mon prix est {above:.0f} euros.", "propose_price",
          analysis=reading(amounts=[amount(n.target, "partner_figure"), amount(above, "own_offer")], offer=above))
    assert s.state["negotiation"]["agreed_price"] is None


def test_a_precise_question_with_no_fact_and_no_need_gets_an_i_do_not_know_in_character():
    s = Session(LIB["b2-prospect-presse"])
    s.say("Bonjour, merci de me recevoir.", "greet")
    result = s.say("Quelle température fait-il dehors le matin, en hiver ?", "open_question",
                   analysis=reading(is_question=True, question_type="open", question_subtype="precise"))
    assert "fact_unknown" in s.events
    generic = {v for v in LIB["b2-prospect-presse"].lines.get("open_generic", [])}
    assert result.lines and result.lines[-1].text not in generic


def test_a_precise_question_about_who_else_decides_is_answered_with_who_knows():
    from personas.engine.discovery import STAKEHOLDER_UNKNOWN_DEFAULTS

    s = Session(LIB["b2-prospect-presse"])
    s.say("Bonjour, merci de me recevoir.", "greet")
    result = s.say("Quel rôle aura votre cousin dans ce choix ?", "open_question",
                   analysis=reading(is_question=True, question_type="open", question_subtype="precise",
                                    stakeholder_question=True))
    assert "fact_unknown" in s.events
    assert result.lines[-1].text in STAKEHOLDER_UNKNOWN_DEFAULTS


def test_an_unsure_nlu_turn_said_to_one_member_by_name_is_answered_by_that_member():
    persona = LIB["b5-conflit-permanences"]
    for member in ("nadia", "hugo"):
        s = Session(persona)
        first = persona.speaker(member).name.split()[0]
        result = s.say(f"{first}, raconte-moi : comment se passent tes semaines depuis la rentrée ?", "nlu_fallback",
                       confidence=0.3, analysis=reading(is_question=True, question_type="open",
                                                        question_subtype="ouverte", addressee=[member]))
        speakers = [line.speaker_id for line in result.lines]
        assert speakers and speakers[0] == member, (member, speakers)
        assert "clarify" not in s.events


def test_an_unsure_nlu_check_said_to_one_member_gets_the_clarification_from_that_member():
    persona = LIB["b5-conflit-permanences"]
    s = Session(persona)
    s.say("Bonjour à tous les deux.", "greet")
    result = s.say("Hugo, et de ton côté, ça se tient ?", "nlu_fallback", confidence=0.2,
                   analysis=reading(is_question=True, question_type="closed", question_subtype="fermee",
                                    addressee=["hugo"]))
    assert [line.speaker_id for line in result.lines][:1] == ["hugo"]


def test_a_recap_agreeing_on_a_price_nobody_offered_is_answered_as_an_offer_not_confirmed():
    s, _listed, _ = _session_with_offer()
    n = s.negotiation
    new = float(n.walk_away + 40 * n.rounding)  # above the limit: never accepted, whatever the recap says
    result = s.say(f"Je résume : nous sommes d'accord sur {new:.0f} euros, installation comprise.", "summarize",
                   analysis=reading(is_summary=True, amounts=[amount(new, "own_offer")], offer=new))
    neg = s.state["negotiation"]
    assert "recap_with_new_price" in s.events
    assert neg["agreed_price"] is None
    assert new in neg["candidate_offers"]
    assert "summary_ok" not in s.events and "summary_thin" not in s.events
    assert result.lines


def test_a_question_restating_the_agreed_price_is_a_closing_not_already_said():
    s, listed, target = _session_with_offer()
    agreed = round(target - 2000, 2)
    s.state["negotiation"].update(candidate_offers=[listed, agreed], agreed_price=agreed)
    s.state["stage"] = "conclusion"
    before = s.state["closing_attempts"]
    s.say(f"Donc à {agreed:.0f} euros, vous le présentez à votre direction jeudi, oui ou non ?",
          "propose_price", analysis=reading(is_question=True, question_type="closed",
                                            amounts=[amount(agreed, "own_offer")], offer=agreed))
    assert s.state["closing_attempts"] == before + 1
    assert not any(key.startswith("nothing_new") for key in s.state["used_lines"])


def test_a_yes_given_to_a_price_the_buyer_computed_is_dropped_when_the_seller_names_another():
    s, listed, target = _session_with_offer()
    computed = round(target - 1000, 2)  # the buyer's arithmetic on a percentage, agreed, never said
    neg = s.state["negotiation"]
    neg.update(candidate_offers=[listed, computed], derived_offers=[computed], agreed_price=computed)
    s.state["stage"] = "conclusion"
    mine = round((listed + computed) / 2, -3)
    result = s.say(f"Non, ce montant-là je ne peux pas le tenir. Je descends à {mine:.0f} euros si vous signez "
                   "sur trois ans.", "propose_price",
                   analysis=reading(amounts=[amount(computed, "other"), amount(mine, "own_offer")], offer=mine))
    neg = s.state["negotiation"]
    assert neg["agreed_price"] != computed
    assert computed not in neg["candidate_offers"] and computed in neg["withdrawn_offers"]
    assert "agreement_withdrawn" in s.events
    assert mine in neg["candidate_offers"]  # the seller's own price is played as a round
    assert digits(f"{computed:.0f}") in digits(result.lines[0].text)
    assert not s.state["ended"]


def test_a_price_the_seller_said_and_the_buyer_accepted_stays_agreed():
    s, listed, target = _session_with_offer()
    said = round(target - 1000, 2)
    neg = s.state["negotiation"]
    neg.update(candidate_offers=[listed, said], agreed_price=said)  # said by the seller: nothing derived
    s.state["stage"] = "conclusion"
    s.say(f"Finalement je préfère {listed:.0f} euros.", "propose_price",
          analysis=reading(amounts=[amount(listed, "own_offer")], offer=listed))
    assert s.state["negotiation"]["agreed_price"] == said
    assert "agreement_withdrawn" not in s.events
