"""`rasa data validate` accepts bot/ (needs the Rasa environment .venv-rasa)."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.nlu import _nlu_data as d

RASA = d.ROOT / ".venv-rasa" / "bin" / "rasa"


@pytest.mark.slow
def test_rasa_data_validate() -> None:
    if not RASA.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{RASA} is missing: CI must build the Rasa environment")
        pytest.skip(f"{RASA} is missing (create .venv-rasa to run this test)")
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    result = subprocess.run(
        [str(RASA), "data", "validate", "--fail-on-warnings",
         "--domain", "domain.yml", "--data", "data", "--config", "config.yml"],
        cwd=d.BOT, env=env, capture_output=True, text=True, timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert "UserWarning" not in output, output[-4000:]
