"""Server-rendered pages: login with CSRF, escaping, access without a session."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import DEMO_PASSWORD

XSS = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">'


def web_login(client: TestClient, username: str = "demo-candidat") -> str:
    page = client.get("/connexion")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "le formulaire de connexion n'a pas de jeton CSRF"
    response = client.post("/connexion", data={"username": username, "password": DEMO_PASSWORD,
                                               "csrf_token": token.group(1)}, follow_redirects=False)
    assert response.status_code == 303, response.text
    dashboard = client.get("/tableau")
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', dashboard.text)
    assert meta
    return meta.group(1)


def test_pages_redirect_to_login_without_a_session(client: TestClient) -> None:
    for path in ("/", "/tableau", "/sessions/abc"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/connexion"


def test_login_form_without_csrf_is_rejected(client: TestClient) -> None:
    client.get("/connexion")
    response = client.post("/connexion", data={"username": "demo-candidat", "password": DEMO_PASSWORD})
    assert response.status_code == 403
    assert client.get("/tableau", follow_redirects=False).status_code == 303


def test_wrong_password_shows_a_french_error(client: TestClient) -> None:
    page = client.get("/connexion")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    response = client.post("/connexion", data={"username": "demo-candidat", "password": "non",
                                               "csrf_token": token})
    assert response.status_code == 401
    assert "Identifiant ou mot de passe incorrect" in response.text


def test_cookie_session_needs_csrf_header_for_api_writes(client: TestClient) -> None:
    csrf = web_login(client)
    persona_id = client.get("/api/personas").json()[0]["id"]
    refused = client.post("/api/sessions", json={"persona_id": persona_id})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    accepted = client.post("/api/sessions", json={"persona_id": persona_id}, headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 201


def test_html_in_messages_is_escaped_on_the_chat_page(client: TestClient) -> None:
    csrf = web_login(client)
    persona_id = client.get("/api/personas").json()[0]["id"]
    session = client.post("/api/sessions", json={"persona_id": persona_id},
                          headers={"X-CSRF-Token": csrf}).json()
    sent = client.post(f"/api/sessions/{session['id']}/messages", json={"text": XSS},
                       headers={"X-CSRF-Token": csrf})
    assert sent.status_code == 200
    page = client.get(f"/sessions/{session['id']}")
    assert "<script>window.__pwned" not in page.text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page.text
    report = client.post(f"/api/sessions/{session['id']}/end", headers={"X-CSRF-Token": csrf})
    assert report.status_code == 200
    report_page = client.get(f"/sessions/{session['id']}/rapport")
    assert "<img src=x" not in report_page.text and "&lt;img src=x" in report_page.text


def test_brief_page_shows_the_brief(client: TestClient) -> None:
    web_login(client)
    persona = client.get("/api/personas").json()[0]
    page = client.get(f"/personas/{persona['id']}")
    assert page.status_code == 200
    assert "Votre rôle" in page.text and "Commencer la session" in page.text
    assert client.get("/personas/inconnu").status_code == 404


def test_candidate_and_juror_cannot_reach_trainer_pages(client: TestClient) -> None:
    for username in ("demo-candidat", "demo-jury"):
        client.cookies.clear()
        web_login(client, username)
        assert client.get("/promotions").status_code == 404
        assert client.get("/promotions/1").status_code == 404


def test_trainer_imports_a_cohort_through_the_form(client: TestClient) -> None:
    csrf = web_login(client, "demo-formateur")
    created = client.post("/promotions", data={"name": "Promo Nantes", "csrf_token": csrf}, follow_redirects=False)
    assert created.status_code == 303
    cohort_url = created.headers["location"]
    without_csrf = client.post(f"{cohort_url}/import",
                               files={"file": ("c.csv", b"identifiant;nom\nsam.b;Sam B\n", "text/csv")})
    assert without_csrf.status_code == 403
    page = client.post(f"{cohort_url}/import", data={"csrf_token": csrf},
                       files={"file": ("c.csv", b"identifiant;nom\nsam.b;Sam B\n<b>x</b>;Bad\n", "text/csv")})
    assert page.status_code == 200
    assert "1 compte créé, 1 ligne refusée" in page.text
    assert "&lt;b&gt;x&lt;/b&gt;" in page.text and "<b>x</b>" not in page.text


def test_display_settings_change_the_page(client: TestClient) -> None:
    csrf = web_login(client)
    saved = client.post("/compte/affichage", data={"csrf_token": csrf, "large_text": "1", "high_contrast": "1"})
    assert saved.status_code == 200 and "enregistrés" in saved.text
    assert 'class="large-text high-contrast ' in client.get("/tableau").text


def test_trainer_creates_one_account_and_imports_a_live_role_play(client: TestClient) -> None:
    csrf = web_login(client, "demo-formateur")
    cohort_url = client.post("/promotions", data={"name": "Promo Lille", "csrf_token": csrf},
                             follow_redirects=False).headers["location"]
    bad = client.post(f"{cohort_url}/comptes", data={"csrf_token": csrf, "username": "x", "password": "court"})
    assert bad.status_code == 200 and "Compte refusé" in bad.text
    created = client.post(f"{cohort_url}/comptes", follow_redirects=False, data={
        "csrf_token": csrf, "username": "ines.t", "full_name": "Inès T", "role": "candidate",
        "password": "motdepasse-9", "extra_time_percent": "25"})
    assert created.status_code == 303 and "fait=compte-candidat" in created.headers["location"]
    page = client.get(created.headers["location"]).text
    assert "Compte « ines.t » créé et ajouté à la promotion." in page  # the confirmation
    assert re.search(r'<tr data-member="ines.t">\s*<td data-label="Nom">Inès T</td>', page)
    assert re.search(r'id="extra-\d+" name="extra_time_percent" type="number" min="0" max="200" value="25"', page)
    member_id = re.search(r'<option value="(\d+)">Inès T</option>', page)
    assert member_id
    transcript = ("Inès : Bonjour, pouvez-vous me décrire votre organisation ?\n"
                  "Client : Nous avons trois agences et une équipe de douze personnes.\n"
                  "Inès : Si je comprends bien, trois agences et douze personnes ; qu'est-ce qui vous freine ?\n")
    imported = client.post(f"{cohort_url}/transcriptions", follow_redirects=False,
                           data={"csrf_token": csrf, "candidate_id": member_id.group(1), "candidate_name": "Inès",
                                 "bloc": "2", "title": "Oral du 3 mars"},
                           files={"file": ("oral.txt", transcript.encode(), "text/plain")})
    assert imported.status_code == 303, imported.text
    report = client.get(imported.headers["location"]).text
    assert "Oral du 3 mars" in report and "Questions posées" in report
