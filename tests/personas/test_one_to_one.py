"""Bloc 5 with one team member: a manager's one-to-one (coaching, recadrage, motivation interview).

The engine plays the one member: every turn is said to them, nobody interrupts, nobody sees the manager
take the other's side, and « both members accept » becomes « the member accepts ». The schema accepts
one or two members and says so in French when a file has none or three.
"""

from __future__ import annotations

import copy

import pytest

from personas.checks import check_persona
from personas.engine import TurnSignals
from personas.errors import PersonaError
from personas.loader import load_library, load_persona_file, parse_persona
from personas.scripts import load_scripts, run_script
from personas.situations import required_situations
from tests.personas.persona_helpers import Session, raw, write

ONE_TO_ONES = [p for p in load_library().values() if p.team is not None and p.team.one_to_one]
PERSONA_ID = "b5-coaching-commercial"


@pytest.fixture(scope="module")
def persona():
    return load_library()[PERSONA_ID]


def _member(persona):
    return persona.team.members[0]


def _interest_reveal(persona, session: Session) -> None:
    """Open the interview, hear the member and get their first interest on the table (trust built)."""
    session.say("Bonjour, merci d'être venu.", "greet")
    session.say("Je vous propose ce déroulement : les faits, puis je vous écoute, puis nous cherchons la suite "
                "ensemble.", "set_ground_rules")
    session.say("Comment vivez-vous cette période, de votre côté ?", "invite_to_speak")
    member = _member(persona)
    grievance = member.grievances[0]
    session.say(f"Si je vous comprends bien, ce qui vous pèse, c'est {grievance.keywords[0]}.", "reformulate")
    need = next(n for n in persona.needs if n.id in member.interests and n.min_trust <= 0.4)
    session.say(f"Qu'est-ce qui se passe avec {need.keywords[0]} ?", need.topics[0])
    assert need.id in session.state["revealed_needs"], session.events


def test_library_has_a_one_to_one_persona():
    assert PERSONA_ID in {p.id for p in ONE_TO_ONES}


def test_one_member_needs_no_pair_situation(persona):
    names = {s.name for s in required_situations(5, members=1)}
    assert "interrupt" not in names and "side_taken" not in names
    assert {"interrupt", "side_taken"} <= {s.name for s in required_situations(5)}
    assert "interrupt" not in persona.lines and "side_taken" not in persona.lines
    assert check_persona(persona) == []


def test_pair_lines_are_refused_with_one_member(tmp_path):
    data = copy.deepcopy(raw(PERSONA_ID))
    data["lines"]["interrupt"] = ["Attends, {autre} !"]
    with pytest.raises(PersonaError) as info:
        load_persona_file(write(tmp_path, data))
    assert any("lines.interrupt: sans objet avec un seul membre" in line for line in info.value.lines())


@pytest.mark.parametrize(("count", "found"), [(0, "aucun trouvé"), (3, "3 trouvés")])
def test_zero_or_three_members_are_refused_in_french(count, found):
    data = copy.deepcopy(raw(PERSONA_ID))
    member = data["team"]["members"][0]
    data["team"]["members"] = [copy.deepcopy(member) for _ in range(count)]
    with pytest.raises(PersonaError) as info:
        parse_persona(data, "coaching.yaml")
    expected = f"team.members: le bloc 5 exige un membre (entretien individuel) ou deux (médiation) : {found}"
    assert any(expected in line for line in info.value.lines()), info.value.lines()


def test_the_member_answers_every_turn(persona):
    s = Session(persona)
    _interest_reveal(persona, s)
    s.say("Pourriez-vous m'en dire plus ?", "ask_situation")
    s.say("Vous êtes d'accord ?", "closed_question")
    member = _member(persona).speaker
    assert all(line.speaker_id == member for result in s.results for line in result.lines)
    assert all(result.lines for result in s.results), "the member answers each turn"
    assert not [e for e in s.events if e.startswith(("interrupt", "missing_line"))], s.events


def test_the_member_accepts_a_proposal_with_their_words_after_enough_trust(persona):
    member = _member(persona)
    words = ", ".join(member.solution_keywords[:2])
    early = Session(persona)
    early.say(f"Je vous propose ceci : {words}.", "propose_solution")
    assert f"solution_rejected:{member.speaker}" in early.events
    assert early.state["solution_agreed"] is False

    s = Session(persona)
    _interest_reveal(persona, s)
    s.say("Je vous propose de revoir vos priorités.", "propose_solution")
    assert f"solution_rejected:{member.speaker}" in s.events, "no solution word of theirs: rejected"
    s.say(f"Je vous propose ceci : {words}. Qu'en pensez-vous ?", "propose_solution")
    assert f"solution_accepted:{member.speaker}" in s.events
    assert s.state["solution_agreed"] is True
    assert s.state["members"][member.speaker]["solution_accepted"] is True


def test_blame_raises_the_members_tension_without_naming_another(persona):
    member = _member(persona).speaker
    for seed in range(4):
        s = Session(persona, seed=seed)
        s.say("Bonjour.", "greet")
        before = s.state["members"][member]["tension"]
        s.say("Ces résultats, c'est inadmissible, vous avez tort de le prendre comme ça.", "assertive_statement")
        assert s.state["members"][member]["tension"] > before
        texts = [line.text for line in s.results[-1].lines]
        assert texts and all(t in persona.lines["tension_rise"][member] for t in texts), texts
        s.say("Je pense que c'est clair.", "inform",
              analysis=TurnSignals(is_question=False, stance={"blames": member}, reader_version="2.0"))
        assert any(e.startswith("taking_sides") for e in s.events)
        s.say("Il faut que tu te bouges, voilà.", "assertive_statement",
              analysis=TurnSignals(is_question=False, stance={"sides_with": member}, reader_version="2.0"))
        lines = [line.text for result in s.results for line in result.lines]
        assert not [t for t in lines if "{" in t or "}" in t], lines


def test_reframe_needs_only_this_members_interest(persona):
    s = Session(persona)
    s.say("Au fond, nous voulons la même chose, vous et moi.", "reframe")
    assert "reframe_early" in s.events
    s = Session(persona)
    _interest_reveal(persona, s)
    s.say("Au fond, nous voulons la même chose, vous et moi.", "reframe")
    assert "reframe_ok" in s.events


@pytest.mark.parametrize("persona_id", [p.id for p in ONE_TO_ONES])
@pytest.mark.parametrize("with_signals", [False, True], ids=["intent-only", "signals"])
def test_no_placeholder_in_any_scripted_line(persona_id, with_signals):
    persona = load_library()[persona_id]
    scripts = load_scripts(persona_id)
    assert scripts is not None
    for steps in (scripts.strong, scripts.weak):
        for seed in range(3):
            run = run_script(persona, steps, seed=seed, with_signals=with_signals)
            said = [line.text for _, lines in run.turns for line in lines]
            assert not [t for t in said if "{" in t or "}" in t], said


def test_a_follow_up_on_what_the_member_said_gets_the_next_layer(persona):
    """« Qu'est-ce que ça change pour vous ? » on an interest already told: its deeper layers, then a recall."""
    s = Session(persona)
    _interest_reveal(persona, s)
    need = next(n for n in persona.needs if n.id in s.state["revealed_needs"])
    for depth, layer in enumerate(need.deeper, start=1):
        s.say(f"Et {need.keywords[0]}, qu'est-ce que cela change pour vous ?", "ask_pain_points")
        assert f"need_deepened:{need.id}:{depth}" in s.events
        assert s.results[-1].lines[0].text == layer
    s.say(f"Et {need.keywords[0]}, qu'est-ce que cela change pour vous ?", "ask_pain_points")
    assert f"need_recalled:{need.id}" in s.events
    assert not [line.text for line in s.results[-1].lines if "{" in line.text]


def test_a_manager_who_imposes_a_plan_without_listening_gets_no_agreement(persona):
    member = _member(persona)
    s = Session(persona)
    s.say("Bonjour, asseyez-vous.", "greet")
    s.say(f"Voici ce que j'ai décidé : {', '.join(member.solution_keywords[:3])}, et vous remontez vos chiffres.",
          "propose_solution")
    s.say("Pour récapituler, vous appliquez ce plan dès lundi.", "summarize")
    s.say("On est d'accord ?", "ask_agreement")
    assert f"solution_rejected:{member.speaker}" in s.events
    assert s.state["outcome"] != "agreement"
    assert "closing_premature" in s.events


def test_a_manager_who_blames_and_threatens_loses_the_member(persona):
    s = Session(persona)
    s.say("Bonjour.", "greet")
    s.say("C'est de votre faute si l'agence est en retard, c'est inadmissible.", "assertive_statement")
    s.say(f"Vous êtes {_member(persona).triggers[0]}, ça se voit.", "assertive_statement")
    s.say("Si ça continue, vous aurez affaire à moi.", "aggressive_statement")
    assert s.state["ended"] and s.state["outcome"] == "walk_out", s.events


def test_the_debrief_speaks_of_the_member_not_of_members(persona):
    from personas.debrief import debrief

    run = run_script(persona, load_scripts(PERSONA_ID).strong)
    report = debrief(persona, run.state)
    assert report.success and report.outcome_fr == "accord trouvé avec le membre de l'équipe"
    assert report.lines_fr[0] == "Issue : accord trouvé avec le membre de l'équipe."
