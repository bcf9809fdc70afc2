"""Re-record ``tests/personas/data/live_nlu_turns.json`` from the trained Rasa model and the scoring signals.

Run after retraining the NLU: ``.venv/bin/python -m tests.personas.record_live_nlu`` (starts Rasa and the
action server on free ports, about 20 s). The intents come from Rasa's ``/model/parse``; the signals from
``bot.actions.signals.read_turn`` with the conversation so far, as the action computes them. The
``earlier_model`` section (the previous model's misreadings) is kept.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import httpx

from bot.actions.signals import read_turn
from personas.engine import CandidateTurn, TurnSignals, play_turn
from personas.loader import load_library
from personas.scripts import load_scripts
from scripts.paths import ROOT
from scripts.stack import Ports, Stack, free_port

FIXTURE = Path(__file__).parent / "data" / "live_nlu_turns.json"
SEED = 1234


def record() -> dict[str, Any]:
    library = load_library()
    stack = Stack(
        ports=Ports(app=free_port(), rasa=free_port(), actions=free_port()),
        run_dir=Path(tempfile.mkdtemp()),
        with_app=False,
    )
    stack.start()
    personas: dict[str, Any] = {}
    try:
        client = httpx.Client(base_url=stack.rasa_url, timeout=60)
        for persona_id in sorted(library):
            persona, scripts = library[persona_id], load_scripts(persona_id)
            assert scripts is not None
            personas[persona_id] = {}
            for kind in ("strong", "weak"):
                state: dict[str, Any] | None = None
                history: list[dict[str, Any]] = []
                rows = []
                for step in getattr(scripts, kind):
                    parsed = client.post(f"/model/parse?token={stack.rasa_token}", json={"text": step.text}).json()
                    intent, confidence = parsed["intent"]["name"], parsed["intent"]["confidence"]
                    reading = read_turn(step.text, history, persona)
                    signals = TurnSignals.model_validate(reading) if reading else None
                    rows.append(
                        {
                            "text": step.text,
                            "intent": intent,
                            "confidence": round(confidence, 3),
                            "signals": signals.model_dump() if signals else None,
                        }
                    )
                    turn = CandidateTurn(text=step.text, intent=intent, confidence=confidence, analysis=signals)
                    result = play_turn(persona, state, turn, SEED)
                    state = result.state
                    history.append({"speaker_role": "candidate", "text": step.text})
                    history += [{"speaker_role": "persona", "text": line.text} for line in result.lines]
                personas[persona_id][kind] = rows
    finally:
        stack.stop()
    fingerprint = (ROOT / "var" / "rasa-models" / "fingerprint.txt").read_text().strip()[:16]
    previous = json.loads(FIXTURE.read_text(encoding="utf-8")) if FIXTURE.exists() else {}
    return {
        "rasa_model_fingerprint": fingerprint,
        "note": "intents from the trained Rasa model and signals from scoring.annotate, as the action computed "
        "them on the strong and weak scripts",
        "personas": personas,
        "earlier_model": previous.get("earlier_model", {}),
    }


if __name__ == "__main__":
    FIXTURE.write_text(json.dumps(record(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"écrit : {FIXTURE}")
