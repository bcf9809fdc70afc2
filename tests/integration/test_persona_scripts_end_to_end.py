"""For every persona, the scripted strong and weak candidates played through the real stack.

The same scripts are played at engine level in tests/personas with hand-given intents; here the
intents come from the trained Rasa model, the signals from the scoring module in the action server.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from personas.loader import load_library
from personas.schema import SUCCESS_OUTCOMES
from personas.scripts import SCRIPT_SEED, script_pairs
from tests.conftest import DEMO_PASSWORD

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PERSONA_IDS = sorted(load_library())


def play(stack: Any, persona_id: str, texts: list[str]) -> dict[str, Any]:
    """Play the texts until the persona ends the session; return the stored session.

    A trainer plays them, with the seed the scripts are written for: their prices are fixed, and a
    Bloc 4 buyer draws its thresholds per session from the seed (a candidate's seed is ignored)."""
    with httpx.Client(base_url=stack.app_url, timeout=60) as client:
        token = client.post("/api/auth/login", json={"username": "demo-formateur", "password": DEMO_PASSWORD})
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        session = client.post("/api/sessions", json={"persona_id": persona_id, "seed": SCRIPT_SEED}).json()
        for text in texts:
            response = client.post(f"/api/sessions/{session['id']}/messages", json={"text": text})
            if response.status_code == 409:
                break  # the persona ended the meeting
            assert response.status_code == 200, response.text
            assert response.json(), f"pas de réponse à {text!r}"
        stored = client.get(f"/api/sessions/{session['id']}").json()
        stored["state"] = None
        return stored


def outcome_of(stack: Any, session: dict[str, Any]) -> str | None:
    """The outcome recorded on the session (or in the engine state when the session is still open)."""
    if session["outcome"]:
        return str(session["outcome"])
    from sqlmodel import Session, create_engine

    from api.models import RoleplaySession

    engine = create_engine(stack.app_env["DATABASE_URL"])
    with Session(engine) as db:
        stored = db.get(RoleplaySession, session["id"])
        assert stored is not None
        state = stored.state or {}
    engine.dispose()
    outcome = state.get("outcome")
    return str(outcome) if outcome else None


@pytest.mark.parametrize("persona_id", PERSONA_IDS)
def test_strong_candidate_reaches_the_good_outcome(live_stack: Any, persona_id: str) -> None:
    texts = [text for text, _ in script_pairs(persona_id)["strong"]]
    session = play(live_stack, persona_id, texts)
    outcome = outcome_of(live_stack, session)
    assert outcome in SUCCESS_OUTCOMES, f"{persona_id}: issue {outcome!r} pour le bon candidat"


@pytest.mark.parametrize("persona_id", PERSONA_IDS)
def test_weak_candidate_does_not(live_stack: Any, persona_id: str) -> None:
    texts = [text for text, _ in script_pairs(persona_id)["weak"]]
    session = play(live_stack, persona_id, texts)
    outcome = outcome_of(live_stack, session)
    assert outcome not in SUCCESS_OUTCOMES, f"{persona_id}: le candidat faible obtient {outcome!r}"
