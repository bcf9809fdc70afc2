"""Cohorts, CSV import, assignments in practice and exam mode, time limits and accommodations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import RoleplaySession
from tests.conftest import login


def trainer_with_cohort(client: TestClient) -> tuple[dict[str, str], int, int]:
    """The demo trainer, a cohort holding the demo candidate; returns headers, cohort id, candidate id."""
    trainer = login(client, "demo-formateur")
    cohort = client.post("/api/cohorts", json={"name": "Promo Lyon 2026"}, headers=trainer).json()
    candidate_id = client.get("/api/auth/me", headers=login(client)).json()["id"]
    added = client.post(f"/api/cohorts/{cohort['id']}/members", json={"user_id": candidate_id}, headers=trainer)
    assert added.status_code == 204
    return trainer, cohort["id"], candidate_id


def assign(client: TestClient, trainer: dict[str, str], cohort_id: int, **fields: object) -> dict:
    persona_id = client.get("/api/personas", headers=trainer).json()[0]["id"]
    response = client.post("/api/assignments", json={"cohort_id": cohort_id, "persona_id": persona_id, **fields},
                           headers=trainer)
    assert response.status_code == 201, response.text
    return response.json()


def test_csv_import_reports_each_line(client: TestClient) -> None:
    trainer, cohort_id, _ = trainer_with_cohort(client)
    csv_text = (
        "identifiant;nom;role;mot_de_passe;tiers_temps\n"
        "lea.martin;Léa Martin;candidat;motdepasse-1;33\n"
        "x;Trop Court;candidat;;\n"
        "lea.martin;Doublon;candidat;;\n"
        "paul.roy;Paul Roy;administrateur;;\n"
        "nina.b;Nina B;pilote;;\n"
        "omar.k;Omar K;;;\n"
    )
    response = client.post(f"/api/cohorts/{cohort_id}/import", headers=trainer,
                           files={"file": ("promo.csv", csv_text.encode(), "text/csv")})
    assert response.status_code == 200, response.text
    report = response.json()
    by_line = {line["line"]: line for line in report["lines"]}
    assert (report["created"], report["rejected"]) == (2, 4)
    assert by_line[2]["status"] == "created" and by_line[2]["initial_password"] is None
    assert "identifiant invalide" in by_line[3]["reason"]
    assert "double" in by_line[4]["reason"]
    assert "rôle non autorisé" in by_line[5]["reason"]
    assert "rôle inconnu" in by_line[6]["reason"]
    assert by_line[7]["status"] == "created" and len(by_line[7]["initial_password"]) >= 8
    members = client.get(f"/api/cohorts/{cohort_id}", headers=trainer).json()["members"]
    lea = next(m for m in members if m["username"] == "lea.martin")
    assert lea["extra_time_percent"] == 33
    assert login(client, "omar.k", by_line[7]["initial_password"])


def test_csv_import_rejects_a_non_utf8_file(client: TestClient) -> None:
    trainer, cohort_id, _ = trainer_with_cohort(client)
    response = client.post(f"/api/cohorts/{cohort_id}/import", headers=trainer,
                           files={"file": ("promo.csv", "identifiant\nélodie\n".encode("latin-1"), "text/csv")})
    assert response.status_code == 422 and "UTF-8" in response.json()["error"]["message"]


def test_another_trainers_cohort_is_404(client: TestClient) -> None:
    trainer, cohort_id, _ = trainer_with_cohort(client)
    client.post("/api/users", json={"username": "autre-formateur", "password": "motdepasse-2", "role": "trainer"},
                headers=trainer)  # a trainer may not create trainers
    assert client.get(f"/api/cohorts/{cohort_id}", headers=login(client, "demo-jury")).status_code == 404


def test_practice_assignment_shows_on_the_dashboard_and_gives_feedback(client: TestClient) -> None:
    trainer, cohort_id, _ = trainer_with_cohort(client)
    assignment = assign(client, trainer, cohort_id, mode="practice", duration_minutes=20)
    candidate = login(client)
    mine = client.get("/api/assignments/mine", headers=candidate).json()
    assert [(a["id"], a["state"], a["allowed_minutes"]) for a in mine] == [(assignment["id"], "open", 20)]
    session = client.post("/api/sessions", json={"assignment_id": assignment["id"]}, headers=candidate).json()
    assert session["mode"] == "practice" and session["deadline_at"]
    resumed = client.post("/api/sessions", json={"assignment_id": assignment["id"]}, headers=candidate).json()
    assert resumed["id"] == session["id"], "une session en cours est reprise, pas recommencée"
    client.post(f"/api/sessions/{session['id']}/messages", json={"text": "Quels sont vos objectifs ?"},
                headers=candidate)
    report = client.post(f"/api/sessions/{session['id']}/end", headers=candidate).json()
    assert report["conversation"]["questions"] == 1
    progress = client.get("/api/me/progress", headers=candidate).json()
    assert [p["session_id"] for p in progress] == [session["id"]]
    assert progress[0]["open_question_share"] == 1.0


def test_exam_hides_feedback_until_a_juror_releases_it(client: TestClient) -> None:
    trainer, cohort_id, _ = trainer_with_cohort(client)
    assignment = assign(client, trainer, cohort_id, mode="exam", duration_minutes=15)
    assert assignment["max_attempts"] == 1
    candidate = login(client)
    session = client.post("/api/sessions", json={"assignment_id": assignment["id"]}, headers=candidate).json()
    client.post(f"/api/sessions/{session['id']}/messages", json={"text": "Bonjour"}, headers=candidate)
    ended = client.post(f"/api/sessions/{session['id']}/end", headers=candidate).json()
    assert ended["submitted"] is True and "conversation" not in ended
    hidden = client.get(f"/api/sessions/{session['id']}/report", headers=candidate)
    assert hidden.status_code == 403 and hidden.json()["error"]["code"] == "feedback_not_released"
    assert client.get("/api/me/progress", headers=candidate).json() == []

    again = client.post("/api/sessions", json={"assignment_id": assignment["id"]}, headers=candidate)
    assert again.status_code == 409 and again.json()["error"]["code"] == "no_attempts_left"

    juror = login(client, "demo-jury")
    assert client.post(f"/api/sessions/{session['id']}/release", headers=juror).status_code == 404
    juror_id = client.get("/api/auth/me", headers=juror).json()["id"]
    assert client.post(f"/api/sessions/{session['id']}/jurors", json={"juror_id": juror_id},
                       headers=trainer).status_code == 204
    assert client.get(f"/api/sessions/{session['id']}/report", headers=juror).status_code == 200
    unsigned = client.post(f"/api/sessions/{session['id']}/release", headers=juror)
    assert unsigned.status_code == 409 and unsigned.json()["error"]["code"] == "grids_not_signed"
    assert client.get(f"/api/sessions/{session['id']}/report", headers=candidate).status_code == 403
    # The juror levels what the scorer left to the jury, decides and signs; then the feedback may go out.
    review = client.get(f"/api/sessions/{session['id']}/review", headers=juror).json()
    for criterion in review["grid"]["criteria"]:
        if criterion["final_level"] is None:
            assert client.put(f"/api/sessions/{session['id']}/review/criteria/{criterion['id']}", headers=juror,
                              json={"level": 1, "comment": "Observé en séance."}).status_code == 200
    assert client.put(f"/api/sessions/{session['id']}/review/decision", headers=juror,
                      json={"decision": "non_acquis"}).status_code == 200
    assert client.post(f"/api/sessions/{session['id']}/review/sign", headers=juror).status_code == 200
    assert client.post(f"/api/sessions/{session['id']}/release", headers=juror).status_code == 200
    assert client.get(f"/api/sessions/{session['id']}/report", headers=candidate).status_code == 200


def test_expired_window_refuses_new_sessions(client: TestClient) -> None:
    trainer, cohort_id, _ = trainer_with_cohort(client)
    now = datetime.now(UTC)
    closed = assign(client, trainer, cohort_id, mode="exam", opens_at=(now - timedelta(days=3)).isoformat(),
                    closes_at=(now - timedelta(days=1)).isoformat())
    upcoming = assign(client, trainer, cohort_id, mode="exam", opens_at=(now + timedelta(days=1)).isoformat())
    candidate = login(client)
    states = {a["id"]: a["state"] for a in client.get("/api/assignments/mine", headers=candidate).json()}
    assert states == {closed["id"]: "closed", upcoming["id"]: "upcoming"}
    refused = client.post("/api/sessions", json={"assignment_id": closed["id"]}, headers=candidate)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "assignment_closed"
    early = client.post("/api/sessions", json={"assignment_id": upcoming["id"]}, headers=candidate)
    assert early.status_code == 409 and early.json()["error"]["code"] == "assignment_not_open"


def test_extra_time_lengthens_the_session_and_time_up_ends_it(client: TestClient) -> None:
    trainer, cohort_id, candidate_id = trainer_with_cohort(client)
    assert client.patch(f"/api/users/{candidate_id}", json={"extra_time_percent": 50},
                        headers=trainer).status_code == 200
    assignment = assign(client, trainer, cohort_id, mode="practice", duration_minutes=20)
    candidate = login(client)
    assert client.get("/api/assignments/mine", headers=candidate).json()[0]["allowed_minutes"] == 30
    session = client.post("/api/sessions", json={"assignment_id": assignment["id"]}, headers=candidate).json()
    deadline = datetime.fromisoformat(session["deadline_at"])
    started = datetime.fromisoformat(session["created_at"])
    assert abs((deadline - started).total_seconds() - 30 * 60) < 5

    with Session(client.app.state.engine) as db:  # type: ignore[attr-defined]
        stored = db.get(RoleplaySession, session["id"])
        assert stored is not None
        stored.deadline_at = datetime.now(UTC) - timedelta(seconds=1)
        db.add(stored)
        db.commit()
    late = client.post(f"/api/sessions/{session['id']}/messages", json={"text": "Encore là ?"}, headers=candidate)
    assert late.status_code == 409 and late.json()["error"]["code"] == "time_up"
    after = client.get(f"/api/sessions/{session['id']}", headers=candidate).json()
    assert after["status"] == "ended" and after["ended_reason"] == "time_up"


def test_password_change_and_display_settings(client: TestClient) -> None:
    from tests.conftest import DEMO_PASSWORD

    first = login(client, "demo-jury")
    second = login(client, "demo-jury")
    wrong = client.post("/api/me/password", json={"current_password": "faux", "new_password": "nouveau-mot-1"},
                        headers=first)
    assert wrong.status_code == 422
    ok = client.post("/api/me/password", json={"current_password": DEMO_PASSWORD, "new_password": "nouveau-mot-1"},
                     headers=first)
    assert ok.status_code == 204
    assert client.get("/api/auth/me", headers=second).status_code == 401, "les autres sessions sont fermées"
    assert client.get("/api/auth/me", headers=first).status_code == 200
    assert login(client, "demo-jury", "nouveau-mot-1")
    settings = client.put("/api/me/settings", json={"large_text": True, "high_contrast": True,
                                                    "reduced_motion": False}, headers=first).json()
    assert (settings["large_text"], settings["high_contrast"], settings["reduced_motion"]) == (True, True, False)
