"""Scripted strong and weak candidates for each library persona, and a runner.

The same scripts serve three purposes: engine tests (the strong candidate must reach the persona's
success outcome, the weak one must not), ``python -m personas lint``, and the lead's end-to-end replay
against the running Rasa stack (only ``text`` and ``intent`` are needed there).
Data lives in ``personas/scripts/<persona id>.yaml``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from personas.engine import CandidateTurn, Line, TurnSignals, play_turn
from personas.intents import QUESTION_INTENTS, Intent
from personas.schema import Persona

SCRIPTS_DIR = Path(__file__).resolve().parent


class ScriptStep(BaseModel):
    """One candidate message: French text, the intent the NLU should find, optional signals."""

    model_config = ConfigDict(extra="forbid")

    text: str
    intent: Intent
    signals: TurnSignals | None = None


class PersonaScripts(BaseModel):
    """The strong and weak candidates for one persona."""

    model_config = ConfigDict(extra="forbid")

    persona_id: str
    strong: list[ScriptStep] = Field(min_length=1)
    weak: list[ScriptStep] = Field(min_length=1)


class Transcript(BaseModel):
    """What a scripted run produced (candidate text, then the persona's lines, per turn)."""

    turns: list[tuple[str, list[Line]]]
    state: dict[str, Any]
    ended: bool
    outcome: str | None


# The session seed the scripts are written for: a Bloc 4 buyer draws its thresholds from the seed, and a
# script's fixed prices fit the form this seed draws (a real candidate adapts to any form).
SCRIPT_SEED = 7


def load_scripts(persona_id: str, folder: Path | None = None) -> PersonaScripts | None:
    """The scripts of a persona, or None when none are written yet."""
    path = (folder or SCRIPTS_DIR) / f"{persona_id}.yaml"
    if not path.exists():
        return None
    return PersonaScripts.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def script_pairs(persona_id: str) -> dict[str, list[tuple[str, str]]]:
    """``{"strong": [(text, intent), …], "weak": […]}`` for an end-to-end replay."""
    scripts = load_scripts(persona_id)
    if scripts is None:
        return {"strong": [], "weak": []}
    return {
        "strong": [(s.text, s.intent) for s in scripts.strong],
        "weak": [(s.text, s.intent) for s in scripts.weak],
    }


def signals_from_intent(intent: str) -> TurnSignals:
    """The labels a scoring module would most likely give a typical sentence of this intent."""
    if intent in QUESTION_INTENTS:
        return TurnSignals(is_question=True, question_type="open")
    if intent == "closed_question":
        return TurnSignals(is_question=True, question_type="closed")
    return TurnSignals(
        is_reformulation=intent == "reformulate",
        is_summary=intent == "summarize",
        assertiveness="aggressive" if intent == "aggressive_statement" else "assertive",
    )


def run_script(persona: Persona, steps: list[ScriptStep], seed: int = SCRIPT_SEED,
               with_signals: bool = False) -> Transcript:
    """Play the steps through the engine until the end; stops early if the persona ends the session."""
    state: dict[str, Any] | None = None
    turns: list[tuple[str, list[Line]]] = []
    ended, outcome = False, None
    for step in steps:
        analysis = step.signals or (signals_from_intent(step.intent) if with_signals else None)
        turn = CandidateTurn(text=step.text, intent=step.intent, confidence=0.95, analysis=analysis)
        result = play_turn(persona, state, turn, seed)
        state, ended, outcome = result.state, result.ended, result.outcome
        turns.append((step.text, result.lines))
        if ended:
            break
    return Transcript(turns=turns, state=state or {}, ended=ended, outcome=outcome)
