"""A session's seed (its form: a Bloc 4 buyer's thresholds, the line choices) is set by trainers only:
for a try-it, for an exam's equivalent forms; a candidate's seed is ignored with a French notice."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import RoleplaySession
from tests.api.test_cohorts_and_exams import assign, trainer_with_cohort
from tests.conftest import login


def _stored_seed(client: TestClient, session_id: str) -> int:
    with Session(client.app.state.engine) as db:  # type: ignore[attr-defined]
        session = db.get(RoleplaySession, session_id)
        assert session is not None
        return session.seed


def _persona_id(client: TestClient, headers: dict[str, str]) -> str:
    return str(client.get("/api/personas", headers=headers).json()[0]["id"])


def test_a_candidate_cannot_choose_the_seed(client: TestClient, candidate_headers: dict[str, str]) -> None:
    response = client.post("/api/sessions", json={"persona_id": _persona_id(client, candidate_headers), "seed": 4242},
                           headers=candidate_headers)
    assert response.status_code == 201, response.text
    assert response.json()["notices"] == [
        "La graine de séance est réservée aux formateurs : elle a été ignorée, la séance a tiré la sienne."]
    assert _stored_seed(client, response.json()["id"]) != 4242


def test_a_trainer_session_plays_the_seed_it_asked_for(client: TestClient) -> None:
    trainer = login(client, "demo-formateur")
    response = client.post("/api/sessions", json={"persona_id": _persona_id(client, trainer), "seed": 4242},
                           headers=trainer)
    assert response.status_code == 201, response.text
    assert response.json()["notices"] == []
    assert _stored_seed(client, response.json()["id"]) == 4242


def test_a_seed_out_of_range_is_refused_in_french(client: TestClient) -> None:
    trainer = login(client, "demo-formateur")
    response = client.post("/api/sessions", json={"persona_id": _persona_id(client, trainer), "seed": 0},
                           headers=trainer)
    assert response.status_code == 422


def test_every_session_of_an_assignment_with_a_seed_plays_that_form(client: TestClient) -> None:
    trainer, cohort_id, _ = trainer_with_cohort(client)
    assignment = assign(client, trainer, cohort_id, seed=777, mode="exam", max_attempts=1)
    assert assignment["seed"] == 777
    candidate = login(client)
    response = client.post("/api/sessions", json={"assignment_id": assignment["id"], "seed": 5},
                           headers=candidate)
    assert response.status_code == 201, response.text
    assert response.json()["notices"] == [
        "La graine de séance est fixée par le scénario assigné : celle de la demande a été ignorée."]
    assert _stored_seed(client, response.json()["id"]) == 777


def test_a_trial_replays_the_trainers_seed(client: TestClient) -> None:
    trainer = login(client, "demo-formateur")
    persona_id = _persona_id(client, trainer)
    first = client.post(f"/api/studio/personas/{persona_id}/trials", json={"seed": 99}, headers=trainer)
    assert first.status_code == 201, first.text
    assert first.json()["seed"] == 99
    assert _stored_seed(client, first.json()["session_id"]) == 99
