"""A strong candidate's natural closing is recognised, and an agreement given is kept (issue 12).

Bloc 4: the seller recaps the price on the table with the counterparts and asks for the yes; the buyer
answers that standing offer (yes within its hidden zone once counterparts were traded, never above
the walk-away). Bloc 5: the mediator recaps what is decided, with dates, and asks both members; the
recap is the settlement when each member's part is in it. The weak side of each rule is tested too.
"""

from __future__ import annotations

from personas.engine import TurnSignals
from personas.engine.negotiation import position
from personas.engine.voice import format_price
from personas.loader import load_library
from tests.personas.persona_helpers import Session

LIB = load_library()
AERO = LIB["b4-acheteur-aeronautique"]
PAIR = LIB["b5-conflit-portefeuille"]
OPEN = TurnSignals(is_question=True, question_type="open")


def _negotiating(seed: int = 11) -> Session:
    """Discovery done, the list price said, its objection answered: the price talk is open."""
    s = Session(AERO, seed=seed)
    for need in AERO.needs:
        s.say(f"Pouvez-vous m'en dire plus sur {need.keywords[0]} ?", need.topics[0], analysis=OPEN)
    s.say(f"Notre tarif est de {int(AERO.negotiation.candidate_list_price)} € HT par an.", "propose_price")
    for obj_id in list(s.state["open_objections"]):
        obj = next(o for o in AERO.objections if o.id == obj_id)
        s.say(f"Regardons {' et '.join(obj.resolution_keywords[:2])}.", "handle_objection")
    assert s.state["open_objections"] == []
    return s


def _keyword(counterpart_id: str) -> str:
    return next(cp.keywords[0] for cp in AERO.negotiation.can_give if cp.id == counterpart_id)


def _close_on(s: Session, price: float) -> None:
    """The seller recaps the standing price and asks for the yes, answering the closing's own objection."""
    recap = (f"Je récapitule : {int(price)} € HT par an, avec {_keyword('engagement-3-ans')} et "
             f"{_keyword('reference')}. Nous validons sur cette base ?")
    for _ in range(3):
        s.say(recap, "summarize")
        if s.results[-1].ended:
            return
        for obj_id in list(s.state["open_objections"]):
            obj = next(o for o in AERO.objections if o.id == obj_id)
            s.say(f"Sur ce point : {' et '.join(obj.resolution_keywords[:2])}.", "handle_objection")


def test_one_concession_packaging_several_counterparts_credits_each_of_them():
    s = _negotiating()
    n = s.negotiation
    s.say(f"Si vous signez {_keyword('engagement-3-ans')} et acceptez une {_keyword('reference')}, je passe à "
          f"{int(n.candidate_list_price - 10000)} € HT par an.", "propose_price")
    neg = s.state["negotiation"]
    assert set(neg["counterparts_obtained"]) == {"engagement-3-ans", "reference"}
    assert neg["step"] == 2
    assert all(offer < n.walk_away for offer in neg["persona_offers"])


def test_a_recap_of_the_traded_standing_offer_inside_the_zone_closes_the_deal():
    s = _negotiating()
    n = s.negotiation
    s.say(f"Contre un engagement {_keyword('engagement-3-ans')} et une {_keyword('reference')}, je descends à "
          f"{int(n.candidate_list_price - 10000)} € HT par an.", "propose_price")
    firm = n.walk_away - n.rounding  # above what the buyer would counter, inside its hidden zone
    assert firm > position(n, s.state["negotiation"]["step"]) and firm >= n.candidate_floor
    s.say(f"Je vais jusqu'à {int(firm)} € HT par an, pas plus bas.", "propose_price")
    assert s.state["negotiation"]["agreed_price"] is None
    _close_on(s, firm)
    assert s.results[-1].outcome == "deal"
    assert s.state["negotiation"]["final_price"] == firm <= n.walk_away
    assert "final_offer_accepted" in s.events


def test_a_standing_offer_above_the_walk_away_is_refused_and_the_limit_never_said():
    s = _negotiating()
    n = s.negotiation
    s.say(f"Contre un engagement {_keyword('engagement-3-ans')} et une {_keyword('reference')}, je descends à "
          f"{int(n.candidate_list_price - 10000)} € HT par an.", "propose_price")
    too_high = n.walk_away + 2 * n.rounding
    s.say(f"Mon dernier prix : {int(too_high)} € HT par an.", "propose_price")
    _close_on(s, too_high)
    assert s.results[-1].outcome != "deal"
    assert s.state["negotiation"]["agreed_price"] is None
    assert all(offer < n.walk_away for offer in s.state["negotiation"]["persona_offers"])
    said = " ".join(line.text for result in s.results for line in result.lines)
    assert format_price(n.walk_away, n.unit_label) not in said


def test_a_final_offer_without_traded_counterparts_is_refused():
    s = _negotiating()
    n = s.negotiation
    firm = n.walk_away - n.rounding
    s.say(f"Bon, je peux descendre à {int(firm)} € HT par an.", "concede")
    _close_on(s, firm)
    assert s.results[-1].outcome not in {"deal", "deal_below_floor"}
    assert "final_offer_accepted" not in s.events


def test_an_agreed_price_is_not_taken_back_for_a_need_not_yet_told():
    s = Session(AERO, seed=11)
    essential = [need for need in AERO.needs if need.essential]
    for need in essential[:AERO.negotiation.needs_before_price]:
        s.say(f"Pouvez-vous m'en dire plus sur {need.keywords[0]} ?", need.topics[0], analysis=OPEN)
    n = s.negotiation
    s.say(f"Notre tarif est de {int(n.candidate_list_price)} € HT par an.", "propose_price")
    s.say(f"Avec {_keyword('engagement-3-ans')} et {_keyword('reference')}, {int(n.target)} € HT par an.",
          "propose_price")
    assert s.state["negotiation"]["agreed_price"] == n.target
    assert len(s.state["revealed_needs"]) < AERO.end_conditions.min_needs_revealed
    s.say(f"Je récapitule : {int(n.target)} € HT par an, trois ans et la référence. On signe ?", "request_commitment")
    assert "closing_premature" not in s.events


def _heard_and_calm(s: Session) -> None:
    """Both members' interests told and their tension low, as after a good first half of mediation."""
    state = s.state
    state["revealed_needs"] = [i for m in PAIR.team.members for i in m.interests]
    for member in state["members"].values():
        member["tension"] = 0.2
    state["trust"] = 0.7


def _part(member_id: str) -> str:
    return next(m.solution_keywords[0] for m in PAIR.team.members if m.speaker == member_id)


def test_a_recap_of_what_is_decided_with_dates_is_the_settlement_and_closes():
    s = Session(PAIR)
    s.say("Bonjour à vous deux, merci d'être là.", "greet")
    _heard_and_calm(s)
    recap = (f"Je récapitule ce que nous décidons. Karim : la {_part('karim')} sera partagée, réglé le 15 juin. "
             f"Julie : une {_part('julie')} claire pour les comptes, présentée le 20 juin. "
             "On fait le point le 1er juillet. Vous êtes d'accord tous les deux ?")
    result = s.say(recap, "summarize")
    assert {e.split(":")[0] for e in s.events if e.startswith("solution_")} == {"solution_accepted"}
    assert result.ended and result.outcome == "agreement"


def test_the_same_recap_before_the_interests_are_known_settles_nothing():
    s = Session(PAIR)
    s.say("Bonjour à vous deux, merci d'être là.", "greet")
    recap = (f"Je récapitule ce que nous décidons : la {_part('karim')} partagée, une {_part('julie')} claire, "
             "point le 1er juillet. D'accord ?")
    result = s.say(recap, "summarize")
    assert not result.ended
    assert s.state["solution_agreed"] is False


def test_a_recap_of_needs_without_any_decision_is_not_a_settlement():
    s = Session(PAIR)
    s.say("Bonjour à vous deux, merci d'être là.", "greet")
    _heard_and_calm(s)
    s.say(f"Je résume : Karim, ta {_part('karim')} compte pour toi ; Julie, une {_part('julie')} te manque. "
          "C'est bien ça ?", "summarize")
    assert not any(e.startswith("solution_") for e in s.events)
    assert s.state["solution_agreed"] is False


def test_a_proposal_that_ends_by_asking_their_view_is_a_proposal():
    s = Session(PAIR)
    s.say("Bonjour à vous deux, merci d'être là.", "greet")
    _heard_and_calm(s)
    s.say(f"Je vous propose ceci : la {_part('karim')} est partagée et une {_part('julie')} écrite s'applique "
          "à tous. Qu'en pensez-vous ?", "handle_objection")
    assert s.state["solution_agreed"] is True


def test_the_member_asked_answers_the_closing_question():
    s = Session(PAIR)
    s.say("Bonjour à vous deux, merci d'être là.", "greet")
    result = s.say("Julie, tu es d'accord pour qu'on en reste là ?", "ask_agreement",
                   analysis=TurnSignals(is_question=True, question_type="closed", addressee=["julie"],
                                        reader_version="2.0"))
    assert "closing_premature" in s.events
    assert result.lines[0].speaker_id == "julie"


FRIGO = LIB["b2-transport-frigorifique"]


def _discovered(persona=FRIGO) -> Session:
    s = Session(persona)
    for need in persona.needs:
        s.say(f"Pouvez-vous m'en dire plus sur {need.keywords[0]} ?", need.topics[0], analysis=OPEN)
    return s


def _need_words(persona=FRIGO) -> str:
    return ", ".join(need.keywords[0] for need in persona.needs[:3])


def test_bloc2_a_recap_that_sets_a_dated_meeting_and_asks_for_the_yes_is_the_closing():
    s = _discovered()
    result = s.say(f"Je récapitule : {_need_words()}. Je vous propose un rendez-vous le jeudi 9 avril à 11 h "
                   "avec votre directeur financier pour une démonstration. Cela vous convient ?", "summarize")
    assert result.ended and result.outcome == FRIGO.end_conditions.success_outcome


def test_bloc2_a_dated_recap_before_the_needs_are_known_is_no_closing():
    s = Session(FRIGO)
    s.say("Bonjour Madame, merci de me recevoir.", "greet")
    result = s.say(f"Je récapitule : {_need_words()}. Un rendez-vous le jeudi 9 avril à 11 h, "
                   "cela vous convient ?", "summarize")
    assert not result.ended
    assert not any(e.startswith(("closing", "end:")) for e in s.events)


def test_bloc2_a_dated_recap_that_says_back_nothing_is_no_closing():
    s = _discovered()
    result = s.say("Je récapitule. Un rendez-vous le jeudi 9 avril à 11 h, cela vous convient ?", "summarize")
    assert not result.ended


def test_a_recap_still_holds_when_nothing_new_was_said_since():
    s = _discovered()
    s.say(f"Je récapitule : {_need_words()}.", "summarize")
    for _ in range(3):
        s.say("Nous accompagnons déjà plusieurs transporteurs de la région.", "assertive_statement")
    s.say("Pouvons-nous fixer un rendez-vous avec votre directeur financier ?", "request_commitment")
    assert "closing_without_summary" not in s.events
    assert s.results[-1].outcome == FRIGO.end_conditions.success_outcome


def test_bloc5_once_both_said_yes_closings_without_the_recap_never_end_in_no_agreement():
    s = Session(PAIR)
    s.say("Bonjour à vous deux, merci d'être là.", "greet")
    _heard_and_calm(s)
    s.say(f"Je vous propose : la {_part('karim')} partagée et une {_part('julie')} écrite pour tous.",
          "propose_solution")
    assert s.state["solution_agreed"] is True
    for _ in range(PAIR.end_conditions.max_closing_attempts + 1):
        s.say("Alors on est d'accord ?", "ask_agreement")
    assert s.results[-1].outcome != "no_agreement"
    assert not s.results[-1].ended


def _content(**fields) -> TurnSignals:
    return TurnSignals(reader_version="2.0", **fields)


def test_a_conditional_offer_with_the_list_price_as_fallback_is_the_offer():
    s = _negotiating()
    n = s.negotiation
    offer = n.candidate_list_price - 12000
    s.say(f"{int(offer)} € HT avec {_keyword('engagement-3-ans')} ; sans cela, le tarif reste à "
          f"{int(n.candidate_list_price)} € HT.", "propose_price",
          analysis=_content(offer_ambiguous=True, amounts=[
              {"value": offer, "role": "own_offer", "unit": "EUR"},
              {"value": n.candidate_list_price, "role": "own_offer", "unit": "EUR"}]))
    assert "offer_ambiguous" not in s.events
    assert s.state["negotiation"]["candidate_offers"][-1] == offer


def test_two_new_prices_at_once_still_get_asked_which_one():
    s = _negotiating()
    n = s.negotiation
    low, high = n.candidate_list_price - 20000, n.candidate_list_price - 12000
    s.say(f"{int(high)} € HT sur un an ou {int(low)} € HT sur trois ans.", "propose_price",
          analysis=_content(offer_ambiguous=True, amounts=[
              {"value": high, "role": "own_offer", "unit": "EUR"},
              {"value": low, "role": "own_offer", "unit": "EUR"}]))
    assert s.events[-1] in {"offer_ambiguous", "default_line:ask_exact_offer"}


def test_a_settled_price_closes_even_with_a_need_untold_but_an_unsettled_one_does_not():
    s = Session(AERO, seed=11)
    essential = [need for need in AERO.needs if need.essential]
    for need in essential[:AERO.negotiation.needs_before_price]:
        s.say(f"Pouvez-vous m'en dire plus sur {need.keywords[0]} ?", need.topics[0], analysis=OPEN)
    n = s.negotiation
    s.say(f"Notre tarif est de {int(n.candidate_list_price)} € HT par an.", "propose_price")
    for obj_id in list(s.state["open_objections"]):
        obj = next(o for o in AERO.objections if o.id == obj_id)
        s.say(f"Regardons {' et '.join(obj.resolution_keywords[:2])}.", "handle_objection")
    assert len(s.state["revealed_needs"]) < AERO.end_conditions.min_needs_revealed
    s.say(f"Je récapitule : {int(n.candidate_list_price)} € HT par an. On valide ?", "request_commitment")
    assert s.events[-1] == "closing_premature", "the list price is not settled: discovery still counts"
    s.say(f"Contre {_keyword('engagement-3-ans')} et une {_keyword('reference')}, {int(n.walk_away - n.rounding)} € HT "
          "par an.", "propose_price")
    s.say(f"Je récapitule : {int(n.walk_away - n.rounding)} € HT par an, trois ans et la référence. On valide ?",
          "request_commitment")
    after = s.events[s.events.index("closing_premature") + 1:]
    assert "closing_premature" not in after
    # The closing goes on: the buyer's own last-minute objection before the yes.
    assert any(e.startswith("objection_raised:") for e in after)
