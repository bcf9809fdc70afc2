"""For every library persona: the scripted strong candidate succeeds, the weak one does not."""

import pytest

from personas.loader import load_library
from personas.schema import SUCCESS_OUTCOMES
from personas.scripts import load_scripts, run_script, script_pairs

LIB = load_library()
IDS = sorted(LIB)


@pytest.mark.parametrize("persona_id", IDS)
def test_every_persona_has_scripts_with_plausible_lengths(persona_id):
    scripts = load_scripts(persona_id)
    assert scripts is not None, f"personas/scripts/{persona_id}.yaml manquant"
    assert scripts.persona_id == persona_id
    assert 12 <= len(scripts.strong) <= 25
    assert len(scripts.weak) >= 6
    pairs = script_pairs(persona_id)
    assert pairs["strong"][0] == (scripts.strong[0].text, scripts.strong[0].intent)


@pytest.mark.parametrize("with_signals", [False, True], ids=["intent-only", "signals"])
@pytest.mark.parametrize("persona_id", IDS)
def test_strong_candidate_reaches_the_good_outcome(persona_id, with_signals):
    persona = LIB[persona_id]
    run = run_script(persona, load_scripts(persona_id).strong, with_signals=with_signals)
    assert run.outcome == persona.end_conditions.success_outcome, run.state["events"]
    assert run.ended
    assert len(run.turns) == len(load_scripts(persona_id).strong), "the strong script is played to its end"
    if persona.negotiation is not None:
        neg = run.state["negotiation"]
        assert persona.negotiation.candidate_floor <= neg["final_price"] <= persona.negotiation.walk_away
        assert neg["concessions_without_counterpart"] == 0


@pytest.mark.parametrize("with_signals", [False, True], ids=["intent-only", "signals"])
@pytest.mark.parametrize("persona_id", IDS)
def test_weak_candidate_does_not(persona_id, with_signals):
    persona = LIB[persona_id]
    run = run_script(persona, load_scripts(persona_id).weak, with_signals=with_signals)
    assert run.outcome not in SUCCESS_OUTCOMES, run.state["events"]


@pytest.mark.parametrize("persona_id", IDS)
def test_strong_run_is_reproducible(persona_id):
    persona = LIB[persona_id]
    steps = load_scripts(persona_id).strong
    assert run_script(persona, steps, seed=99) == run_script(persona, steps, seed=99)


@pytest.mark.parametrize("persona_id", IDS)
def test_strong_script_without_its_summary_gets_asked_what_now(persona_id):
    """Same good conversation, minus the summary: the closing is answered « Et concrètement… »."""
    persona = LIB[persona_id]
    steps = [s for s in load_scripts(persona_id).strong if s.intent != "summarize"]
    run = run_script(persona, steps)
    assert run.outcome not in SUCCESS_OUTCOMES
    last_lines = " ".join(line.text for line in run.turns[-1][1])
    assert "Et concrètement, on fait quoi maintenant ?" in last_lines


@pytest.mark.parametrize("persona_id", IDS)
def test_generic_rules_hold_for_every_persona(persona_id):
    """Clarification, interrogation and walk-out are not special cases of one persona."""
    from personas.engine import CandidateTurn, play_turn

    persona = LIB[persona_id]
    speakers = {s.id for s in persona.speakers}
    clarify = play_turn(persona, None, CandidateTurn(text="hmm", intent="nlu_fallback", confidence=0.2), 1)
    assert clarify.lines and clarify.lines[0].speaker_id in speakers
    assert clarify.lines[0].text in [t for v in persona.lines["clarify"].values() for t in v]
    state = None
    for _ in range(persona.personality.closed_streak_limit):
        result = play_turn(persona, state, CandidateTurn(text="Vous êtes d'accord ?", intent="closed_question"), 1)
        state = result.state
    assert any(e.endswith(":closed_interrogation") for e in state["events"])
    assert state["revealed_needs"] == []
    state, result = None, None
    for _ in range(5):
        result = play_turn(persona, state, CandidateTurn(text="C'est nul.", intent="aggressive_statement"), 1)
        state = result.state
        if result.ended:
            break
    assert result is not None and result.ended and result.outcome == "walk_out"


@pytest.mark.parametrize("persona_id", [p for p in IDS if LIB[p].negotiation is not None])
def test_no_written_line_gives_away_the_walk_away(persona_id):
    persona = LIB[persona_id]
    limit = round(persona.negotiation.walk_away)
    spellings = {str(limit), f"{limit:,}".replace(",", " "), f"{limit // 1000}k", f"{limit // 1000} k"}
    texts = [t for v in persona.lines.values() for ts in v.values() for t in ts]
    texts += [t for n in persona.needs for t in n.reveal]
    texts += [t for o in persona.objections for t in (*o.lines, *o.resolved_lines, *o.unresolved_lines)]
    assert not any(s in t for s in spellings for t in texts)


# Plausible NLU confusions between neighbouring intents (what the live stack may produce).
NEIGHBOURS = {
    "ask_situation": ["ask_needs", "ask_pain_points"],
    "ask_needs": ["ask_situation", "ask_pain_points"],
    "ask_pain_points": ["ask_needs", "ask_situation"],
    "ask_budget": ["ask_needs"],
    "ask_timing": ["ask_needs", "ask_situation"],
    "ask_decision_process": ["ask_situation", "ask_needs"],
    "reformulate": ["summarize", "assertive_statement"],
    "summarize": ["reformulate"],
    "propose_price": ["concede", "present_offer"],
    "handle_objection": ["assertive_statement", "present_offer"],
    "propose_next_step": ["request_commitment", "present_offer"],
    "request_commitment": ["propose_next_step", "ask_agreement"],
    "ask_agreement": ["request_commitment", "closed_question"],
    "express_empathy": ["reformulate", "assertive_statement"],
    "present_offer": ["propose_solution", "assertive_statement"],
    "invite_to_speak": ["ask_situation", "ask_needs"],
    "set_ground_rules": ["assertive_statement"],
    "reframe": ["reformulate", "summarize"],
    "propose_solution": ["present_offer"],
    "introduce_self": ["greet"],
    "small_talk": ["greet"],
    "closed_question": ["ask_needs", "ask_situation"],
    "concede": ["propose_price"],
    "greet": ["introduce_self"],
}


@pytest.mark.parametrize("persona_id", IDS)
def test_one_nlu_confusion_does_not_flip_the_outcome(persona_id):
    """The lead replays these scripts through the real NLU: one neighbouring-intent error per run
    must neither make the strong candidate fail nor the weak one succeed."""
    persona = LIB[persona_id]
    scripts = load_scripts(persona_id)
    goal = persona.end_conditions.success_outcome
    flips = []
    for kind, steps in (("strong", scripts.strong), ("weak", scripts.weak)):
        for i, step in enumerate(steps):
            for alt in NEIGHBOURS.get(step.intent, []):
                noisy = [*steps[:i], step.model_copy(update={"intent": alt}), *steps[i + 1 :]]
                outcome = run_script(persona, noisy).outcome
                if (outcome == goal) != (kind == "strong"):
                    flips.append((kind, i, step.intent, alt, outcome))
    assert flips == []
