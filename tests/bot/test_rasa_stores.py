"""Rasa's tracker store, loaded the way Rasa loads it (its own factory, in .venv-rasa, real process)."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from scripts.paths import ROOT

RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
SCRIPT = """
import asyncio, json
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.events import UserUttered
from rasa.utils.endpoints import EndpointConfig

async def main():
    store = TrackerStore.create(EndpointConfig(type="bot.rasa_stores.BoundedInMemoryTrackerStore",
                                               max_trackers=2), Domain.empty())
    inner = getattr(store, "_tracker_store", store)
    for sender in ("s:0", "s:1", "s:0", "s:2"):
        tracker = DialogueStateTracker(sender, slots=[])
        tracker.update(UserUttered("bonjour"))
        await store.save(tracker)
    kept = {s: (await store.retrieve(s)) is not None for s in ("s:0", "s:1", "s:2")}
    print(json.dumps({"class": type(inner).__name__, "kept": kept}))

asyncio.run(main())
"""


@pytest.mark.slow
def test_rasa_loads_the_bounded_store_and_it_forgets_the_oldest_trackers() -> None:
    if not RASA_PYTHON.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{RASA_PYTHON} absent : la CI doit construire .venv-rasa")
        pytest.skip(f"{RASA_PYTHON} absent (créez .venv-rasa)")
    result = subprocess.run([str(RASA_PYTHON), "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"})
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    # Rasa silently falls back to its unbounded store when the class cannot be imported: check it did not.
    assert out["class"] == "BoundedInMemoryTrackerStore", out
    assert out["kept"] == {"s:0": True, "s:1": False, "s:2": True}, out


PATCH_SCRIPT = """
import json
import jsonschema.validators as v
from jsonschema import ValidationError
checks = []
for cls in (v.Draft202012Validator, v.Draft7Validator, v.Draft4Validator):
    real = cls.check_schema.__func__
    cls.check_schema = classmethod(lambda c, s, real=real: (checks.append(1), real(c, s))[1])
import bot.rasa_stores  # what Rasa imports from the endpoints file; installs the fix
from rasa.core.actions.action import RemoteAction
action = RemoteAction("action_persona_reply", None)
good = {"events": [], "responses": [{"custom": {"kind": "state"}}]}
ok = all(action._validate_action_result(good) for _ in range(20))
try:
    action._validate_action_result({"events": [{"event": 12}], "responses": []})
    refused = None
except ValidationError as error:
    refused = error.message
print(json.dumps({"ok": ok, "checks": len(checks), "refused": refused}))
"""


@pytest.mark.slow
def test_rasa_checks_the_action_answer_schema_once_and_still_refuses_a_bad_answer() -> None:
    if not RASA_PYTHON.exists():
        pytest.skip(f"{RASA_PYTHON} absent (créez .venv-rasa)")
    result = subprocess.run([str(RASA_PYTHON), "-c", PATCH_SCRIPT], cwd=ROOT, capture_output=True, text=True,
                            timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"})
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["ok"] is True
    assert out["checks"] == 1, out  # Rasa's own code checked the schema on each of the 21 calls
    assert out["refused"] and "Failed to validate Action server response" in out["refused"], out
