"""One reading per turn: made by the action (real engine and real scoring, no Rasa server), stored with
the turn by the API, and reused as-is by the report; a turn without a current reading is re-read and
the report says so."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from api.deps import get_rasa
from api.models import Turn
from bot.actions import signals
from bot.actions.roleplay import reply_messages
from scoring.schema import READER_VERSION

PERSONA = "b4-acheteur-aeronautique"


class ActionOnlyRasa:
    """Rasa's part played by hand (intent given), the action server's part run for real."""

    def __init__(self) -> None:
        self.intents: list[str] = []
        self.readings: list[dict[str, Any] | None] = []

    def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        intent = self.intents[0] if self.intents else "inform"
        message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
        out = reply_messages(message, metadata["roleplay"], signals.read_turn)
        if not out[-1].get("persona_missing"):  # asked for the persona's body: the app sends the turn again
            self.readings.append(out[-1].get("reading"))
            if self.intents:
                self.intents.pop(0)
        return [{"recipient_id": sender, "custom": m} for m in out]

    def rasa_status(self) -> dict[str, Any]:
        return {"ok": True, "detail": "test"}

    def action_server_status(self) -> dict[str, Any]:
        return {"ok": True, "detail": "test"}

    def close(self) -> None:
        pass


@pytest.fixture
def action_rasa(client: TestClient) -> ActionOnlyRasa:
    fake = ActionOnlyRasa()
    client.app.dependency_overrides[get_rasa] = lambda: fake  # type: ignore[attr-defined]
    return fake


def _turns(client: TestClient, session_id: str) -> list[Turn]:
    with Session(client.app.state.engine) as db:  # type: ignore[attr-defined]
        return list(db.exec(select(Turn).where(Turn.session_id == session_id).order_by(col(Turn.seq))))


def test_the_engine_and_the_report_use_the_same_stored_reading(client, candidate_headers, action_rasa) -> None:
    session = client.post("/api/sessions", json={"persona_id": PERSONA}, headers=candidate_headers).json()
    url = f"/api/sessions/{session['id']}"
    action_rasa.intents = ["ask_situation", "propose_price"]
    texts = ["Bonjour, qui d'autre interviendra dans la décision finale ?",
             "Vous êtes à 193 000 €, moi à 216 000 € : je peux faire 209 000 € si vous nous donnez une "
             "référence client."]
    for text in texts:
        assert client.post(f"{url}/messages", json={"text": text}, headers=candidate_headers).status_code == 200

    stored = [t for t in _turns(client, session["id"]) if t.speaker_role == "candidate"]
    assert [t.reader_version for t in stored] == [READER_VERSION, READER_VERSION]
    assert [t.reading for t in stored] == action_rasa.readings  # what the engine acted on is what is kept
    assert stored[1].reading is not None and stored[1].reading["offer"] == 209000
    # the engine recorded the candidate's own offer, not the first figure of the turn
    state = client.get(url, headers=candidate_headers).json()
    assert state["status"] == "active"
    last_state = next(t.state for t in reversed(_turns(client, session["id"])) if t.state)
    assert last_state["negotiation"]["candidate_offers"][-1] == 209000

    report = client.post(f"{url}/end", headers=candidate_headers).json()
    assert report["reused_readings"] == 2 and report["reread_turns"] == []
    for turn, annotation in zip(stored, report["turns"], strict=True):
        assert turn.reading is not None
        for key in ("question_subtype", "amounts", "offer", "addressee", "reformulation_accuracy"):
            assert annotation[key] == turn.reading[key], key
    assert report["turns"][0]["stakeholder_question"] is True


def test_a_turn_with_an_older_reading_is_read_again_and_the_report_says_so(client, candidate_headers,
                                                                            action_rasa) -> None:
    session = client.post("/api/sessions", json={"persona_id": PERSONA}, headers=candidate_headers).json()
    url = f"/api/sessions/{session['id']}"
    assert client.post(f"{url}/messages", json={"text": "Bonjour, comment achetez-vous aujourd'hui ?"},
                       headers=candidate_headers).status_code == 200
    with Session(client.app.state.engine) as db:  # type: ignore[attr-defined]
        turn = db.exec(select(Turn).where(Turn.session_id == session["id"], Turn.speaker_role == "candidate")).one()
        turn.reading = {**(turn.reading or {}), "reader_version": "1.0"}
        db.add(turn)
        db.commit()
    report = client.post(f"{url}/end", headers=candidate_headers).json()
    assert report["reused_readings"] == 0 and len(report["reread_turns"]) == 1
    assert "relus" in report["reading_note_fr"] or "notation" in report["reading_note_fr"]


def test_the_studio_panel_shows_the_reading_the_engine_acted_on(client, candidate_headers, action_rasa) -> None:
    from api.services.studio import reading_panel

    session = client.post("/api/sessions", json={"persona_id": PERSONA}, headers=candidate_headers).json()
    action_rasa.intents = ["propose_price"]
    text = "Je peux faire 209 000 € sur un an ou 205 000 € sur trois ans."
    assert client.post(f"/api/sessions/{session['id']}/messages", json={"text": text},
                       headers=candidate_headers).status_code == 200
    panel = reading_panel(_turns(client, session["id"]))
    assert panel is not None and panel["text"] == text
    assert panel["offer_ambiguous"] is True
    assert panel["amounts"] == ["209 000 € → offre du candidat", "205 000 € → offre du candidat"]


def test_the_studio_panel_says_whether_a_recap_is_true_and_what_it_got_wrong() -> None:
    from types import SimpleNamespace

    from api.services.studio import reading_panel

    reading = {"is_summary": True, "summary_accuracy": "inaccurate",
               "summary_mismatches": ["« 60 000 € » au lieu de « 40 000 € »"], "reader_version": READER_VERSION}
    panel = reading_panel([SimpleNamespace(speaker_role="candidate", text="Pour résumer : …", reading=reading)])
    assert panel is not None
    assert panel["summary"] == "inexacte"
    assert panel["summary_mismatches"] == ["« 60 000 € » au lieu de « 40 000 € »"]
    plain = reading_panel([SimpleNamespace(speaker_role="candidate", text="Bonjour", reading={"is_summary": False})])
    assert plain is not None and plain["summary"] == "—"
