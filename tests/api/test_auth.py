"""Login, tokens and logout through the JSON API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import DEMO_PASSWORD, login


def test_login_returns_bearer_token(client: TestClient) -> None:
    response = client.post("/api/auth/login", json={"username": "demo-candidat", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert len(body["access_token"]) >= 32
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["username"] == "demo-candidat"
    assert me.json()["role"] == "candidate"


def test_wrong_password_is_refused_in_french(client: TestClient) -> None:
    response = client.post("/api/auth/login", json={"username": "demo-candidat", "password": "faux"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_credentials"
    assert "mot de passe" in response.json()["error"]["message"]


def test_all_demo_accounts_exist_with_their_roles(client: TestClient) -> None:
    roles = {}
    for username in ("demo-candidat", "demo-formateur", "demo-jury"):
        roles[username] = client.get("/api/auth/me", headers=login(client, username)).json()["role"]
    assert roles == {"demo-candidat": "candidate", "demo-formateur": "trainer", "demo-jury": "juror"}


def test_logout_revokes_the_token(client: TestClient) -> None:
    headers = login(client)
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    response = client.get("/api/auth/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_api_requires_authentication(client: TestClient) -> None:
    assert client.get("/api/personas").status_code == 401
    assert client.post("/api/sessions", json={"persona_id": "x"}).status_code == 401


def test_unknown_token_is_refused(client: TestClient) -> None:
    assert client.get("/api/auth/me", headers={"Authorization": "Bearer nope"}).status_code == 401
