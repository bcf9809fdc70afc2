"""One validation layer: what the database cannot hold or the app cannot parse gets a French 4xx in
the product's error shape, never a 500 (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.middleware import json_depth_exceeds
from api.validation import clean_message
from tests.api.test_cohorts_and_exams import assign, trainer_with_cohort
from tests.api.test_sessions import start
from tests.conftest import ScriptedRasa, login

BEYOND = [2**31, 2**63, 2**64 + 5]


def french_error(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "detail"} and body["detail"] == body["error"]["message"]
    return body["error"]


@pytest.mark.parametrize("big", BEYOND)
def test_ids_beyond_the_database_range_are_404(client: TestClient, big: int) -> None:
    trainer, cohort_id, _ = trainer_with_cohort(client)
    for method, path, body in [
        ("PATCH", f"/api/users/{big}", {"full_name": "X"}),
        ("GET", f"/api/cohorts/{big}", None),
        ("DELETE", f"/api/assignments/{big}", None),
        ("GET", f"/api/reviews/cohorts/{big}/agreement", None),
        ("GET", f"/api/reviews/cohorts/{big}/export.csv", None),
        ("POST", f"/api/cohorts/{cohort_id}/members", {"user_id": big}),
        ("POST", "/api/assignments", {"cohort_id": big, "persona_id": "x"}),
        ("POST", "/api/users", {"username": "nouvelle", "full_name": "N", "role": "candidate",
                                "password": "secret-secret", "cohort_id": big}),
    ]:
        response = client.request(method, path, json=body, headers=trainer)
        assert french_error(response, 404)["code"] == "not_found", (method, path)
    candidate = login(client)
    response = client.post("/api/sessions", json={"assignment_id": big}, headers=candidate)
    assert french_error(response, 404)["code"] == "not_found"


def test_explicit_null_for_a_non_null_field_is_422(client: TestClient) -> None:
    trainer, cohort_id, candidate_id = trainer_with_cohort(client)
    for path, body in [(f"/api/cohorts/{cohort_id}", {"name": None}),
                       (f"/api/users/{candidate_id}", {"full_name": None}),
                       (f"/api/users/{candidate_id}", {"is_active": None}),
                       (f"/api/users/{candidate_id}", {"extra_time_percent": None})]:
        error = french_error(client.patch(path, json=body, headers=trainer), 422)
        assert "null" in error["message"]
    renamed = client.patch(f"/api/cohorts/{cohort_id}", json={"description": "Groupe du soir"}, headers=trainer)
    assert renamed.status_code == 200 and renamed.json()["name"] == "Promo Lyon 2026", "un champ absent est gardé"


@pytest.fixture
def message_url(client: TestClient, candidate_headers: dict[str, str]) -> Iterator[str]:
    yield f"/api/sessions/{start(client, candidate_headers)['id']}/messages"


def test_messages_the_database_cannot_store_are_refused_in_french(
        client: TestClient, candidate_headers: dict[str, str], message_url: str, rasa: ScriptedRasa) -> None:
    headers = {**candidate_headers, "Content-Type": "application/json"}
    for raw in (b'{"text": "Bonjour \\ud800 ?"}', b'{"text": "Bon\\u0000jour"}'):
        error = french_error(client.post(message_url, content=raw, headers=headers), 422)
        assert error["code"] == "forbidden_character" and "interdit" in error["message"]
    login_nul = client.post("/api/auth/login", content=b'{"username": "demo\\u0000", "password": "x"}',
                            headers={"Content-Type": "application/json"})
    assert french_error(login_nul, 422)["code"] == "forbidden_character"
    assert french_error(client.get("/api/sessions/%00", headers=candidate_headers), 404)["code"] == "not_found"
    assert rasa.calls == []


def test_invisible_only_messages_are_empty_and_text_is_nfc(
        client: TestClient, candidate_headers: dict[str, str], message_url: str, rasa: ScriptedRasa) -> None:
    for invisible in ("\u200b\u200b", "\u00a0\u202f\u2007", "\ufeff\u2060 \u200d", "\u3000\t"):
        error = french_error(client.post(message_url, json={"text": invisible}, headers=candidate_headers), 422)
        assert error["code"] == "message_empty"
    assert rasa.calls == []
    decomposed = "Cafe\u0301 ?\u200b"
    assert client.post(message_url, json={"text": decomposed}, headers=candidate_headers).status_code == 200
    assert rasa.calls[-1]["text"] == "Café ?"
    assert clean_message("\u00a0 Bonjour\u200b ") == "Bonjour"


def test_a_chunked_body_over_the_limit_gets_413_in_french(
        client: TestClient, candidate_headers: dict[str, str], message_url: str) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(160):  # 10 MB, announced by no Content-Length
            yield b"x" * 65536
        yield b'"}'

    response = client.post(message_url, content=chunks(),
                           headers={**candidate_headers, "Content-Type": "application/json"})
    assert "content-length" not in response.request.headers
    error = french_error(response, 413)
    assert error["code"] == "payload_too_large" and "volumineuse" in error["message"]


def test_bad_encodings_and_deep_json_get_the_french_shape(
        client: TestClient, candidate_headers: dict[str, str], message_url: str) -> None:
    headers = {**candidate_headers, "Content-Type": "application/json"}
    invalid_utf8 = client.post(message_url, content=b'{"text": "caf\xe9"}', headers=headers)
    assert "UTF-8" in french_error(invalid_utf8, 422)["message"]
    deep = b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    assert french_error(client.post(message_url, content=deep, headers=headers), 422)["code"] == "json_too_deep"
    truncated = client.post(message_url, content=b'{"text": "Bonj', headers=headers)
    assert "JSON" in french_error(truncated, 422)["message"]
    form = client.post("/connexion", content=b"username=a%00b&password=x&csrf_token=y",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert french_error(form, 422)["code"] == "forbidden_character"


def test_depth_is_counted_outside_strings_only() -> None:
    assert not json_depth_exceeds(json.dumps({"text": "[[[[[[[[[[" * 10}), 3)
    assert json_depth_exceeds(json.dumps([[[[1]]]]), 3)
    assert not json_depth_exceeds(json.dumps([[[1]]]), 3)


def test_ids_in_bodies_within_range_still_work(client: TestClient) -> None:
    trainer, cohort_id, _ = trainer_with_cohort(client)
    assert assign(client, trainer, cohort_id)["cohort_id"] == cohort_id


def test_a_nul_byte_in_an_upload_is_refused_in_french(client: TestClient) -> None:
    trainer, cohort_id, _ = trainer_with_cohort(client)
    csv = "identifiant;nom;role;mot_de_passe;tiers_temps\ncand\x00x;Nom;candidat;motdepasse-assez-long;0\n"
    upload = client.post(f"/api/cohorts/{cohort_id}/import", headers=trainer,
                         files={"file": ("promo.csv", csv.encode(), "text/csv")})
    assert french_error(upload, 422)["code"] == "forbidden_character"
    clean = csv.replace("\x00", "")
    assert client.post(f"/api/cohorts/{cohort_id}/import", headers=trainer,
                       files={"file": ("promo.csv", clean.encode(), "text/csv")}).status_code == 200
