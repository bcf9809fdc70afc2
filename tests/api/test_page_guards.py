"""The web pages' shared guards (api/routers/web.py): anonymous callers are sent to the login page,
a role that may not see a page and a missing resource both get the French 404 page, rendered with the
signed-in user so the navigation still shows."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.api.test_reviews_support import scored_session
from tests.conftest import login

NAV = "Se déconnecter"


def _not_found_page(response: httpx.Response, message: str) -> str:
    """The French 404 page (error.html) with `message`; its text."""
    assert response.status_code == 404, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert f'<p role="alert">{message}</p>' in response.text
    return response.text


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/tableau"),  # pages
    ("GET", "/personas/inconnu"),
    ("POST", "/promotions"),
    ("GET", "/studio"),  # studio pages
    ("GET", "/studio/grilles"),
    ("POST", "/studio/nouveau"),
    ("POST", "/studio/importer"),  # the guard answers before the missing file is noticed (no 422)
    ("GET", "/jury"),  # review pages
    ("GET", "/jury/sessions/inconnue"),
    ("POST", "/jury/sessions/inconnue/signer"),
])
def test_anonymous_callers_are_sent_to_the_login_page(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path, follow_redirects=False)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/connexion"


@pytest.mark.parametrize(("username", "path"), [
    ("demo-candidat", "/studio"),
    ("demo-candidat", "/studio/personas/inconnu"),
    ("demo-jury", "/studio/grilles/2"),
    ("demo-candidat", "/promotions"),
    ("demo-candidat", "/jury"),
    ("demo-formateur", "/jury"),
])
def test_a_role_without_the_right_gets_the_french_404_page(client: TestClient, username: str, path: str) -> None:
    page = _not_found_page(client.get(path, headers=login(client, username)), "Page introuvable.")
    assert NAV in page and "<h1>Page introuvable</h1>" in page and "Oups" not in page


def test_a_candidate_posting_to_the_studio_gets_the_404_page(client: TestClient) -> None:
    response = client.post("/studio/nouveau", data={"source_id": "x"}, headers=login(client))
    _not_found_page(response, "Page introuvable.")


def test_the_404_page_keeps_the_signed_in_users_navigation(client: TestClient) -> None:
    page = _not_found_page(client.get("/studio", headers=login(client)), "Page introuvable.")
    assert "Camille Candidat (candidat·e)" in page and 'href="/progression"' in page
    assert 'href="/studio"' not in page, "la navigation est celle du candidat"


@pytest.mark.parametrize(("username", "path", "message"), [
    ("demo-candidat", "/personas/inconnu", "Persona introuvable."),
    ("demo-candidat", "/scenarios/999999", "Scénario introuvable."),
    ("demo-candidat", "/sessions/inconnue", "Session introuvable."),
    ("demo-candidat", "/sessions/inconnue/rapport", "Session introuvable."),
    ("demo-formateur", "/promotions/999999", "Promotion introuvable."),
    ("demo-formateur", "/studio/personas/inconnu", "Persona introuvable."),
    ("demo-formateur", "/studio/essais/inconnue", "Session d&#39;essai introuvable."),
    ("demo-formateur", "/studio/grilles/3", "Grille introuvable."),
    ("demo-formateur", "/studio/grilles/2/diff?a=900&b=901", "Version introuvable."),
    ("demo-jury", "/jury/sessions/inconnue", "Session introuvable."),
    ("demo-formateur", "/jury/promotions/999999/accord", "Promotion introuvable."),
])
def test_a_missing_resource_gets_the_404_page_with_its_message(client: TestClient, username: str, path: str,
                                                               message: str) -> None:
    page = _not_found_page(client.get(path, headers=login(client, username)), message)
    assert NAV in page


def test_missing_resources_behind_forms_get_the_404_page(client: TestClient) -> None:
    trainer = login(client, "demo-formateur")
    _not_found_page(client.post("/studio/nouveau", data={"source_id": "inconnu"}, headers=trainer),
                    "Persona modèle introuvable.")
    _not_found_page(client.post("/studio/personas/inconnu/enregistrer", data={"yaml_text": "x"}, headers=trainer),
                    "Persona introuvable.")
    _not_found_page(client.post("/promotions/999999/scenarios", data={}, headers=trainer), "Promotion introuvable.")


def test_a_juror_not_assigned_to_a_session_gets_the_404_page(client: TestClient) -> None:
    sid = scored_session(client, jurors=("demo-jury",))["session_id"]
    juror = login(client, "demo-jury")
    assert client.get(f"/jury/sessions/{sid}", headers=juror).status_code == 200
    candidate = login(client)
    _not_found_page(client.get(f"/jury/sessions/{sid}", headers=candidate), "Session introuvable.")
    _not_found_page(client.post(f"/jury/sessions/{sid}/signer", headers=candidate), "Session introuvable.")
