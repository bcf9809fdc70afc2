"""Engine behaviour, rule by rule, on the library personas (hand-given intents and signals)."""

import itertools
import json

import pytest

from personas.engine import TurnSignals, initial_state, opening_lines, play_turn
from personas.engine.negotiation import position
from personas.loader import load_library
from tests.personas.persona_helpers import Session, turn

LIB = load_library()
# Content-specific assertions below name needs/objections of these three personas.
B2 = LIB["b2-transport-frigorifique"]
B4 = LIB["b4-acheteur-aeronautique"]
B5 = LIB["b5-conflit-portefeuille"]
OPEN = TurnSignals(is_question=True, question_type="open")
CLOSED = TurnSignals(is_question=True, question_type="closed")
CONCRETEMENT = "Et concrètement, on fait quoi maintenant ?"


def discover(session: Session, persona=B2):
    """Open discovery questions on every need topic, as a strong candidate would."""
    for need in persona.needs:
        keyword = need.keywords[0] if need.keywords else ""
        session.say(f"Pouvez-vous m'en dire plus sur {keyword} ?", need.topics[0], analysis=OPEN)


def test_state_is_json_and_starts_in_discovery():
    result = play_turn(B2, None, turn("Bonjour", "greet"), 1)
    state = json.loads(json.dumps(result.state))
    assert state["stage"] == "decouverte"
    assert state["turn"] == 1
    assert state["persona_id"] == B2.id
    assert result.ended is False and result.outcome is None


def test_open_question_raises_trust_and_reveals_a_need():
    s = Session(B2)
    start = initial_state(B2).trust
    s.say("Comment organisez-vous vos tournées aujourd'hui ?", "ask_situation")
    assert s.state["trust"] > start
    assert s.state["revealed_needs"] == ["planning-artisanal"]
    need = next(n for n in B2.needs if n.id == "planning-artisanal")
    assert s.results[-1].lines[0].text in need.reveal


def test_closed_question_on_the_same_topic_reveals_nothing():
    s = Session(B2)
    s.say("Vous organisez vos tournées sur Excel ?", "closed_question")
    assert s.state["revealed_needs"] == []
    # trust below the need's min_trust: the persona says it is too early (a reason), never a bare « En gros. »
    assert s.results[-1].lines[0].text in B2.lines["guarded"][B2.main_speaker.id]
    assert any(e.endswith("need_guarded:planning-artisanal") for e in s.state["events"])


def test_analysis_overrides_intent_for_question_type():
    s = Session(B2)
    s.say("Est-ce que vous organisez vos tournées sur Excel ?", "ask_situation", analysis=CLOSED)
    assert s.state["revealed_needs"] == []
    s2 = Session(B2)
    s2.say("Comment organisez-vous vos tournées ?", "ask_situation", analysis=OPEN)
    assert s2.state["revealed_needs"] == ["planning-artisanal"]


def test_need_guarded_until_trust_is_high_enough():
    s = Session(B2)
    s.say("Comment vivent vos chauffeurs cette organisation ?", "ask_pain_points")
    assert "chauffeurs" not in s.state["revealed_needs"]
    assert "need_guarded:chauffeurs" in s.events or s.state["revealed_needs"]
    for text, intent in [
        ("Comment organisez-vous vos tournées aujourd'hui ?", "ask_situation"),
        ("Si je comprends bien, le planning repose sur Excel et deux exploitants ?", "reformulate"),
        ("Quelles difficultés rencontrez-vous avec vos clients ?", "ask_pain_points"),
        ("Je comprends, ce n'est pas simple.", "express_empathy"),
    ]:
        s.say(text, intent)
    s.say("Et pour vos chauffeurs, qu'est-ce que cela change ?", "ask_pain_points")
    assert "chauffeurs" in s.state["revealed_needs"]


def test_interrogation_of_closed_questions():
    s = Session(B2)
    trust = []
    for q in ["Vous avez un ERP ?", "Vous avez des retards ?", "Vous avez un budget ?"]:
        s.say(q, "closed_question")
        trust.append(s.state["trust"])
    assert "closed_interrogation" in s.events
    assert s.results[-1].lines[0].text in B2.lines["closed_interrogation"][B2.main_speaker.id]
    assert trust[-1] < trust[0]
    assert s.state["revealed_needs"] == []


def test_accurate_and_inaccurate_reformulation():
    s = Session(B2)
    s.say("Comment organisez-vous vos tournées aujourd'hui ?", "ask_situation")
    before = s.state["trust"]
    s.say("Donc si je comprends bien, le planning tient sur un fichier Excel ?", "reformulate")
    assert "reformulation_ok" in s.events and s.state["trust"] > before
    s.say("Donc vous cherchez surtout à changer de camions ?", "reformulate")
    assert s.events[-1] == "reformulation_off"


def test_aggression_raises_tension_then_walk_out():
    s = Session(B2)
    s.say("Vous ne comprenez rien à votre métier.", "aggressive_statement")
    assert s.state["tension"] > initial_state(B2).tension
    assert not s.results[-1].ended
    for _ in range(3):
        if s.results[-1].ended:
            break
        s.say("C'est ridicule, franchement.", "aggressive_statement")
    assert s.results[-1].ended and s.results[-1].outcome == "walk_out"
    assert s.results[-1].lines[-1].text in B2.lines["walk_out"][B2.main_speaker.id]
    after = play_turn(B2, s.state, turn("Pardon", "apologize"), 11)
    assert after.ended and after.lines == []


def test_aggressive_tone_label_costs_but_the_turn_is_answered():
    s = Session(B2)
    s.say("Bonjour Madame Vasseur.", "greet")
    s.say(
        "Comment organisez-vous vos tournées aujourd'hui ?",
        "ask_situation",
        analysis=TurnSignals(is_question=True, question_type="open", assertiveness="aggressive"),
    )
    assert "harsh_tone" in s.events and "aggressive" not in s.events
    assert s.state["tension"] > initial_state(B2).tension
    assert "planning-artisanal" in s.state["revealed_needs"]


def test_information_question_called_closed_is_semi_open():
    """« Quel est… ? » gets its factual answer even if the analysis labels it closed; yes/no does not."""
    s = Session(B2)
    s.say("Comment organisez-vous vos tournées aujourd'hui ?", "ask_situation")
    s.say("Quelle est l'échéance qui rend le sujet urgent ?", "ask_timing", analysis=CLOSED)
    assert "calendrier" in s.state["revealed_needs"]
    s2 = Session(B2)
    s2.say("Comment organisez-vous vos tournées aujourd'hui ?", "ask_situation")
    s2.say("Avez-vous une échéance ?", "ask_timing", analysis=CLOSED)
    assert "calendrier" not in s2.state["revealed_needs"]


def test_monologue_makes_the_persona_impatient():
    s = Session(B2)
    speech = " ".join(["Notre solution est reconnue et complète, elle couvre tous les besoins."] * 10)
    s.say(speech, "present_offer")
    s.say(speech, "present_offer")
    assert "monologue" in s.events
    texts = [line.text for line in s.results[-1].lines]
    assert any(t in B2.lines["impatient"][B2.main_speaker.id] for t in texts)


def test_question_ends_the_monologue_count():
    s = Session(B2)
    speech = " ".join(["Notre solution est reconnue et complète, elle couvre tous les besoins."] * 10)
    s.say(speech + " Qu'en pensez-vous ?", "present_offer", analysis=OPEN)
    s.say(speech + " Qu'en pensez-vous ?", "present_offer", analysis=OPEN)
    assert "monologue" not in s.events


def test_price_before_discovery_triggers_an_objection():
    s = Session(B2)
    s.say("Notre abonnement est à 38 € par véhicule et par mois.", "propose_price")
    assert "objection_raised:prix-trop-tot" in s.events
    assert s.state["open_objections"] == ["prix-trop-tot"]
    s.say("Pardon, commençons par vous : comment organisez-vous vos tournées ?", "ask_situation")
    assert "objection_resolved:prix-trop-tot" in s.events
    assert "planning-artisanal" in s.state["revealed_needs"]


def test_objection_needs_the_right_argument():
    s = Session(B2)
    discover(s)
    s.say("Notre outil planifie vos tournées automatiquement. Qu'en pensez-vous ?", "present_offer", analysis=OPEN)
    assert "logiciel-echec" in s.state["open_objections"]
    s.say("Notre logiciel est le meilleur du marché.", "handle_objection")
    assert "objection_unresolved:logiciel-echec" in s.events
    s.say("Nous formons vos exploitants sur le terrain pendant le déploiement.", "handle_objection")
    assert "logiciel-echec" in s.state["resolved_objections"]


def test_closing_without_summary_asks_what_now():
    s = Session(B2)
    discover(s)
    s.say("Je vous propose un rendez-vous mardi avec votre DAF.", "propose_next_step")
    assert s.events[-1] == "closing_without_summary"
    assert CONCRETEMENT in s.results[-1].lines[0].text
    assert not s.results[-1].ended


def test_closing_too_early_then_no_deal():
    s = Session(B2)
    for _ in range(B2.end_conditions.max_closing_attempts):
        s.say("On signe ?", "request_commitment")
    assert "closing_premature" in s.events
    assert s.results[-1].ended and s.results[-1].outcome == "no_deal"


@pytest.mark.parametrize("intent,confidence", [("nlu_fallback", 0.9), ("ask_needs", 0.1)])
def test_low_confidence_asks_for_clarification(intent, confidence):
    s = Session(B2)
    s.say("euh bof machin", intent, confidence=confidence)
    assert s.events == ["clarify"]
    assert s.results[-1].lines[0].text in B2.lines["clarify"][B2.main_speaker.id]
    assert s.state["revealed_needs"] == []


def test_stage_moves_forward():
    s = Session(B4)
    discover(s, B4)
    assert s.state["stage"] == "decouverte"
    s.say("Nous proposons un technicien dédié. Qu'en pensez-vous ?", "present_offer", analysis=OPEN)
    assert s.state["stage"] == "argumentation"
    s.say("Notre prix est de 240 000 € HT par an.", "propose_price")
    assert s.state["stage"] == "negociation"


def test_bloc2_discount_traded_for_a_commitment_is_a_concession():
    """« 15 % si vous signez » typed ask_counterpart: still a price given away, milder than a bare one."""
    s = Session(B2)
    discover(s)
    before = s.state["trust"]
    s.say("Je peux vous faire 15% de remise si vous signez avant la fin du mois.", "ask_counterpart")
    assert "concession_with_counterpart" in s.events
    assert s.state["trust"] < before
    texts = [line.text for line in s.results[-1].lines]
    assert any(t in B2.lines["pressure"][B2.main_speaker.id] for t in texts)


def test_bloc2_counterpart_question_without_a_discount_is_not_about_price():
    s = Session(B2)
    discover(s)
    s.say("Et de votre côté, qu'est-ce qui vous permettrait de vous engager sur deux ans ?", "ask_counterpart")
    assert "concession_with_counterpart" not in s.events
    assert "concession_without_counterpart" not in s.events


def _to_negotiation(persona=B4):
    s = Session(persona)
    discover(s, persona)
    s.say(f"Notre proposition est de {int(persona.negotiation.candidate_list_price)} € HT par an.", "propose_price")
    return s


def test_first_counter_offer_is_the_opening():
    s = _to_negotiation()
    n = s.negotiation
    assert s.state["negotiation"]["persona_offer"] == n.opening


def test_concession_without_counterpart_invites_pressure():
    s = _to_negotiation()
    n = s.negotiation
    s.say(f"Bon, je peux descendre à {int(n.candidate_list_price * 0.9)} €.", "concede")
    neg = s.state["negotiation"]
    assert "concession_without_counterpart" in s.events
    assert neg["step"] == 0 and neg["persona_concessions"] == 0
    texts = [line.text for line in s.results[-1].lines]
    assert any(t in B4.lines["pressure"][B4.main_speaker.id] for t in texts)
    assert any(e.startswith("demand:") for e in s.events)


def test_concession_with_counterpart_moves_the_buyer_along_the_pattern():
    s = _to_negotiation()
    n = s.negotiation
    price = n.candidate_list_price
    for cp in n.can_give[:2]:
        price -= 8000
        s.say(f"En échange de {cp.keywords[0]}, je peux aller à {int(price)} € HT par an.", "propose_price")
    neg = s.state["negotiation"]
    assert neg["counterparts_obtained"] == [cp.id for cp in n.can_give[:2]]
    assert neg["persona_offers"] == [position(n, 0), position(n, 1), position(n, 2)]
    assert all(o < n.walk_away for o in neg["persona_offers"])


def test_accepts_inside_the_zone_and_records_the_outcome():
    s = _to_negotiation()
    n = s.negotiation
    price = n.candidate_list_price
    for cp in n.can_give:
        price = max(price - 12000, n.candidate_floor)
        s.say(f"Avec {cp.keywords[0]}, je propose {int(price)} € HT par an.", "propose_price")
        if s.state["negotiation"]["agreed_price"] is not None:
            break
    agreed = s.state["negotiation"]["agreed_price"]
    assert agreed is not None and agreed <= n.walk_away
    s.say("On signe ?", "request_commitment")
    # The buyer said yes to the price: the closing is no longer refused for an objection raised
    # before that yes (the agreement stands); its own last-minute objection is still raised once.
    assert "closing_open_objection" not in s.events
    last_minute = {o.id for o in B4.objections if o.trigger == "closing_attempt"}
    assert s.events[-1] in {f"objection_raised:{o}" for o in last_minute}
    for _ in range(3):
        for obj_id in [o for o in s.state["open_objections"] if o in last_minute]:
            obj = next(o for o in B4.objections if o.id == obj_id)
            s.say(f"Regardons {' et '.join(obj.resolution_keywords[:2])}.", "handle_objection")
        s.say("Je récapitule : le prix, l'engagement, les conditions, l'audit.", "summarize")
        s.say("Pouvons-nous valider cet accord ?", "request_commitment")
        if s.results[-1].ended:
            break
    assert s.results[-1].ended
    assert s.results[-1].outcome in {"deal", "deal_below_floor"}
    assert s.state["negotiation"]["final_price"] == agreed


def test_patience_runs_out():
    s = _to_negotiation()
    n = s.negotiation
    for _ in range(n.patience_rounds + 1):
        if s.results[-1].ended:
            break
        s.say(f"Je maintiens {int(n.candidate_list_price)} €.", "propose_price")
    assert s.results[-1].ended and s.results[-1].outcome == "no_deal"
    assert "price_break" in s.events


def test_opening_lines_are_deterministic():
    assert opening_lines(B2, 3) == opening_lines(B2, 3)
    assert all(line.speaker_id == "claire" for line in opening_lines(B2, 3))


def test_same_inputs_same_transcript_and_seed_matters():
    def transcript(seed):
        s = Session(B2, seed)
        for text, intent in [
            ("Bonjour", "greet"),
            ("Vous avez un ERP ?", "closed_question"),
            ("Vous avez des retards ?", "closed_question"),
            ("Quoi ?", "nlu_fallback"),
            ("Comment organisez-vous vos tournées ?", "ask_situation"),
        ]:
            s.say(text, intent)
        return [(line.speaker_id, line.text) for r in s.results for line in r.lines], s.state

    assert transcript(5) == transcript(5)
    assert len({tuple(transcript(seed)[0]) for seed in range(8)}) > 1


def test_variants_do_not_repeat_back_to_back():
    s = Session(B2)
    said = []
    for _ in range(4):
        s.say("euh", "nlu_fallback")
        said.append(s.results[-1].lines[0].text)
    assert all(a != b for a, b in itertools.pairwise(said))


# ---- Bloc 5 ---------------------------------------------------------------------------------


def test_bloc5_every_line_attributed_to_a_member():
    s = Session(B5)
    s.say("Bonjour à tous les deux.", "greet")
    speakers = {line.speaker_id for line in s.results[-1].lines}
    assert speakers == {sp.id for sp in B5.speakers}
    names = {sp.id: sp.name for sp in B5.speakers}
    assert all(line.speaker == names[line.speaker_id] for line in s.results[-1].lines)


def test_bloc5_invited_member_speaks_and_the_tense_other_interrupts():
    s = Session(B5)
    first, second = B5.speakers
    s.say(f"{first.name.split()[0]}, que s'est-il passé de votre point de vue ?", "invite_to_speak")
    lines = s.results[-1].lines
    assert lines[0].speaker_id == first.id
    assert f"grievance:{first.id}:" in " ".join(s.events)
    assert any(line.speaker_id == second.id for line in lines[1:]), "the other member reacts"
    assert f"interrupt:{second.id}" in s.events


def test_bloc5_ground_rules_calm_and_prevent_interruptions():
    s = Session(B5)
    first, second = B5.speakers
    s.say("Je propose des règles : chacun parle à son tour, sans interrompre.", "set_ground_rules")
    assert {line.speaker_id for line in s.results[-1].lines} == {first.id, second.id}
    s.say(f"{first.name.split()[0]}, que s'est-il passé de votre point de vue ?", "invite_to_speak")
    assert [line.speaker_id for line in s.results[-1].lines] == [first.id]


def test_bloc5_taking_sides_raises_that_members_tension():
    s = Session(B5)
    first = B5.speakers[0]
    before = s.state or initial_state(B5).model_dump()
    s.say(f"{first.name.split()[0]}, vous avez tort, c'est inadmissible.", "assertive_statement")
    assert s.state["members"][first.id]["tension"] > before["members"][first.id]["tension"]
    assert f"side_taken:{first.id}" in s.events


def test_bloc5_solution_needs_interests_on_the_table():
    s = Session(B5)
    words = " ".join(m.solution_keywords[0] for m in B5.team.members)
    s.say(f"Je propose : {words}.", "propose_solution")
    assert all(e.startswith("solution_rejected") for e in s.events)
    assert s.state["solution_agreed"] is False


def test_bloc5_aggressive_mediator_makes_someone_leave():
    s = Session(B5)
    for _ in range(3):
        if s.results and s.results[-1].ended:
            break
        s.say("Vous êtes pénibles, tous les deux.", "aggressive_statement")
    assert s.results[-1].ended and s.results[-1].outcome == "walk_out"


def test_state_of_another_persona_is_refused():
    state = play_turn(B2, None, turn("Bonjour", "greet"), 1).state
    with pytest.raises(ValueError, match="state of persona"):
        play_turn(B4, state, turn("Bonjour", "greet"), 1)


def test_closing_attempt_objection_comes_before_the_commitment(tmp_path):
    import copy

    from personas.loader import load_persona_file
    from tests.personas.persona_helpers import raw, write

    data = copy.deepcopy(raw("b2-transport-frigorifique"))
    data["objections"].append(
        {
            "id": "et-si-ca-rate",
            "trigger": "closing_attempt",
            "lines": ["Et si ça ne marche pas, on fait comment ?"],
            "resolution_keywords": ["réversible", "sans engagement"],
            "resolved_lines": ["D'accord, c'est rassurant."],
            "unresolved_lines": ["Ça ne me rassure pas."],
        }
    )
    persona = load_persona_file(write(tmp_path, data))
    s = Session(persona)
    discover(s, persona)
    s.say("Je récapitule : planning, retards, chauffeurs.", "summarize")
    s.say("On fixe la démonstration mardi ?", "propose_next_step")
    assert "objection_raised:et-si-ca-rate" in s.events and not s.results[-1].ended
    s.say("Le pilote est réversible et sans engagement.", "handle_objection")
    s.say("Je récapitule : planning, retards, chauffeurs, pilote réversible.", "summarize")
    s.say("On fixe la démonstration mardi ?", "propose_next_step")
    assert s.results[-1].outcome == "follow_up_meeting"


def test_argument_classified_as_statement_still_answers_the_objection():
    """NLU noise: the right argument typed as an assertive statement resolves the objection too."""
    s = Session(B2)
    discover(s)
    s.say("Notre outil planifie vos tournées automatiquement. Qu'en pensez-vous ?", "present_offer", analysis=OPEN)
    s.say("Nous formons vos exploitants sur le terrain pendant le déploiement.", "assertive_statement")
    assert "logiciel-echec" in s.state["resolved_objections"]


def test_reformulation_covering_several_needs_counts_as_summary():
    s = Session(B2)
    discover(s)
    s.say(
        "Si je reprends : le planning sur Excel, les retards et leurs pénalités, et vos chauffeurs qui partent.",
        "reformulate",
    )
    assert "summary_by_reformulation" in s.events
    s.say("Je vous propose une démonstration mardi avec votre DAF.", "propose_next_step")
    assert s.results[-1].outcome == "follow_up_meeting"


def test_a_price_raised_after_a_lower_one_is_remembered():
    """« Tout à l'heure, vous étiez à 220 000 € » : the buyer notices the candidate going back up."""
    s = _to_negotiation()
    n = s.negotiation
    low, high = int(n.candidate_list_price * 0.93), int(n.candidate_list_price * 0.97)
    s.say(f"Avec un engagement sur trois ans, je peux faire {low} € HT par an.", "propose_price")
    before = len(s.events)
    s.say(f"Finalement notre prix est de {high} € HT par an.", "propose_price")
    assert "price_raised" in s.events[before:]
    spoken = " ".join(line.text for line in s.results[-1].lines)
    assert "Tout à l'heure, vous étiez à" in spoken and f"{low:,}".replace(",", "\u202f") in spoken


def test_engine_defaults_rotate_instead_of_repeating_word_for_word():
    """An ambiguous offer asked about three times gets three different wordings (engine defaults)."""
    s = _to_negotiation()
    n = s.negotiation
    said = []
    for _ in range(3):
        a, b = int(n.candidate_list_price * 0.95), int(n.candidate_list_price * 0.9)
        s.say(f"Je peux faire {a} € ou {b} € selon la durée.", "propose_price",
              analysis=TurnSignals(reader_version="3.0", amounts=[
                  {"value": a, "unit": "EUR", "role": "own_offer", "text": f"{a} €"},
                  {"value": b, "unit": "EUR", "role": "own_offer", "text": f"{b} €"}], offer_ambiguous=True))
        said.append(" ".join(line.text for line in s.results[-1].lines))
    assert len(set(said)) == 3, said
