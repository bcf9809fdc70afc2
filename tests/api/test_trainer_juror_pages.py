"""Steps that only the JSON API could do, now in the pages (issue 13): juror assignment, release with
its refusal reason, cohort membership, extra time, assignment edit/delete, confirmations; and the
`Cache-Control: no-store` of private answers. Driven through the forms, like a browser would."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import Assignment, Role
from tests.api.test_reviews_support import complete_and_sign, scored_session, user
from tests.api.test_web_pages import web_login
from tests.conftest import login


def _engine(client: TestClient):  # type: ignore[no-untyped-def]
    return client.app.state.engine  # type: ignore[attr-defined]


def test_trainer_assigns_two_jurors_from_the_review_page(client: TestClient) -> None:
    client.follow_redirects = False  # see each 303 and its confirmation
    world = scored_session(client, jurors=())
    with Session(_engine(client)) as db:
        user(db, "jure.deux", Role.juror, full_name="Zoé Deux")
    csrf = web_login(client, "demo-formateur")
    url = f"/jury/sessions/{world['session_id']}"
    page = client.get(url).text
    assert "0 grille signée sur 0 juré·e assigné·e." in page and "(s)" not in page
    assert '<datalist id="juror-options">' in page and "(demo-jury)" in page

    refused = client.post(f"{url}/jures", data={"csrf_token": csrf, "juror": "personne"})
    assert refused.status_code == 422 and "Juré·e introuvable : « personne »" in refused.text
    first = client.post(f"{url}/jures", data={"csrf_token": csrf, "juror": "Juré demo-jury (demo-jury)"})
    assert first.status_code == 303
    assert "est assigné·e à cette session" in client.get(first.headers["location"]).text
    assert client.post(f"{url}/jures", data={"csrf_token": csrf, "juror": "zoé deux"}).status_code == 303
    page = client.get(url).text
    assert "sur 2 juré·es assigné·es" in page and "Double correction" in page
    assert "Tous les jurés sont déjà assignés." in page
    queue = client.get("/jury", headers=login(client, "jure.deux")).text
    assert f'/jury/sessions/{world["session_id"]}' in queue


def test_a_juror_cannot_assign_jurors(client: TestClient) -> None:
    client.follow_redirects = False  # see each 303 and its confirmation
    world = scored_session(client)
    csrf = web_login(client, "demo-jury")
    response = client.post(f"/jury/sessions/{world['session_id']}/jures", data={"csrf_token": csrf, "juror": "x"})
    assert response.status_code == 404
    assert "Assigner un·e juré·e" not in client.get(f"/jury/sessions/{world['session_id']}").text


def test_release_is_refused_with_the_reason_then_published(client: TestClient) -> None:
    client.follow_redirects = False  # see each 303 and its confirmation
    world = scored_session(client, mode="exam")
    csrf = web_login(client, "demo-formateur")
    url = f"/jury/sessions/{world['session_id']}"
    refused = client.post(f"{url}/publier", data={"csrf_token": csrf})
    assert refused.status_code == 409
    assert re.search(r'id="review-error">Publication refusée : [^<]*sign', refused.text), refused.text
    complete_and_sign(client, login(client, "demo-jury"), world["session_id"])
    released = client.post(f"{url}/publier", data={"csrf_token": csrf})
    assert released.status_code == 303
    assert "Retour publié le" in client.get(released.headers["location"]).text

    client.cookies.clear()
    web_login(client, "demo-candidat")
    report = client.get(f"/sessions/{world['session_id']}/rapport").text
    assert 'id="jury-decision-note"' in report and "est la décision du jury" in report
    assert "Proposition automatique (avant le jury)" in report


def test_refused_override_keeps_the_level_and_names_the_criterion(client: TestClient) -> None:
    client.follow_redirects = False  # see each 303 and its confirmation
    world = scored_session(client)
    csrf = web_login(client, "demo-jury")
    refused = client.post(f"/jury/sessions/{world['session_id']}/criteres/ecoute_active",
                          data={"csrf_token": csrf, "level": "3", "comment": ""})
    assert refused.status_code == 422
    assert "« Écoute active et reformulation » : Commentaire obligatoire" in refused.text
    row = refused.text[refused.text.index('id="critere-ecoute_active"'):]
    row = row[:row.index("</tr>")]
    assert '<option value="3" selected>' in row and '<option value="1" selected>' not in row


def test_trainer_adds_an_existing_account_removes_it_and_sets_extra_time(client: TestClient) -> None:
    client.follow_redirects = False  # see each 303 and its confirmation
    with Session(_engine(client)) as db:
        other = user(db, "lea.existante", Role.candidate, full_name="Léa Existante")
        other_id = other.id
    csrf = web_login(client, "demo-formateur")
    cohort = client.post("/promotions", data={"name": "Promo Nantes", "csrf_token": csrf},
                         follow_redirects=False).headers["location"]
    duplicate = client.post(f"{cohort}/comptes", data={"csrf_token": csrf, "username": "lea.existante",
                                                       "password": "motdepasse-9", "role": "candidate"})
    assert "identifiant déjà utilisé" in duplicate.text and "Ajouter un compte existant" in duplicate.text
    search = client.get(cohort, params={"q": "exist"}).text
    assert "Léa Existante (lea.existante)" in search
    added = client.post(f"{cohort}/membres", data={"csrf_token": csrf, "user_id": str(other_id)})
    assert added.status_code == 303
    page = client.get(added.headers["location"]).text
    assert "« Léa Existante » a rejoint la promotion." in page and 'data-member="lea.existante"' in page
    assert "Aucun compte candidat ne correspond" in client.get(cohort, params={"q": "exist"}).text

    timed = client.post(f"{cohort}/membres/{other_id}/temps", data={"csrf_token": csrf, "extra_time_percent": "33"})
    assert timed.status_code == 303
    assert f'id="extra-{other_id}" name="extra_time_percent" type="number" min="0" max="200" value="33"' in \
        client.get(timed.headers["location"]).text
    bad = client.post(f"{cohort}/membres/{other_id}/temps", data={"csrf_token": csrf, "extra_time_percent": "500"})
    assert "Temps supplémentaire invalide" in bad.text

    removed = client.post(f"{cohort}/membres/{other_id}/retirer", data={"csrf_token": csrf})
    assert removed.status_code == 303
    page = client.get(removed.headers["location"]).text
    assert "a quitté la promotion" in page and 'data-member="lea.existante"' not in page


def test_trainer_edits_and_deletes_an_assignment_shown_by_title(client: TestClient) -> None:
    client.follow_redirects = False  # see each 303 and its confirmation
    csrf = web_login(client, "demo-formateur")
    cohort = client.post("/promotions", data={"name": "Promo Brest", "csrf_token": csrf},
                         follow_redirects=False).headers["location"]
    persona = next(p for p in client.app.state.personas.all() if int(p.bloc) == 2)  # type: ignore[attr-defined]
    created = client.post(f"{cohort}/scenarios", data={"csrf_token": csrf, "persona_id": persona.id, "mode": "exam",
                                                       "duration_minutes": "15", "closes_at": "2026-12-20T18:00"})
    assert created.status_code == 303
    page = client.get(created.headers["location"]).text
    assert "Scénario assigné à la promotion." in page
    assert persona.title.replace("'", "&#39;") in page and "ferme le 20/12/2026 à 18:00" in page
    assert "(heure de Paris, facultatif)" in page
    assignment_id = int(re.search(r'data-assignment="(\d+)"', page).group(1))  # type: ignore[union-attr]
    with Session(_engine(client)) as db:
        stored = db.get(Assignment, assignment_id)
        assert stored is not None and stored.closes_at is not None
        assert stored.closes_at.replace(tzinfo=UTC) == datetime(2026, 12, 20, 17, 0, tzinfo=UTC)  # Paris = UTC+1

    edited = client.post(f"{cohort}/scenarios/{assignment_id}", data={
        "csrf_token": csrf, "duration_minutes": "25", "closes_at": "", "max_attempts": "2"})
    assert edited.status_code == 303
    page = client.get(edited.headers["location"]).text
    assert "Scénario modifié." in page and "25 minutes" in page and "2 tentatives" in page
    assert "sans date de fermeture" in page
    deleted = client.post(f"{cohort}/scenarios/{assignment_id}/supprimer", data={"csrf_token": csrf})
    assert deleted.status_code == 303
    assert "Aucun scénario assigné." in client.get(deleted.headers["location"]).text


def test_cohort_page_links_to_the_csv_export_in_french(client: TestClient) -> None:
    client.follow_redirects = False  # see each 303 and its confirmation
    world = scored_session(client)
    complete_and_sign(client, login(client, "demo-jury"), world["session_id"])
    web_login(client, "demo-formateur")
    page = client.get(f"/promotions/{world['cohort_id']}").text
    link = f"/api/reviews/cohorts/{world['cohort_id']}/export.csv"
    assert f'href="{link}"' in page
    csv_text = client.get(link).text
    assert re.search(r";\d\d/\d\d/\d{4} \d\d:\d\d;", csv_text), csv_text[:400]
    assert "+00:00" not in csv_text and ";entraînement;" in csv_text


def test_private_answers_are_never_cached(client: TestClient) -> None:
    client.follow_redirects = False  # see each 303 and its confirmation
    # Static files may be cached; everything the app renders or answers may not (security headers).
    assert "no-store" not in client.get("/static/app.css").headers.get("cache-control", "")
    web_login(client)
    for path in ("/tableau", "/progression", "/api/auth/me"):
        assert client.get(path).headers["cache-control"] == "no-store", path
    assert client.get("/api/sessions", headers=login(client)).headers["cache-control"] == "no-store"


def test_an_unknown_address_gets_the_french_page_in_a_browser_and_json_elsewhere(client: TestClient) -> None:
    page = client.get("/page-inconnue", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 404 and "<h1>Page introuvable</h1>" in page.text and 'lang="fr"' in page.text
    api = client.get("/api/inconnue", headers={"Accept": "text/html"})
    assert api.status_code == 404 and api.json()["error"]["code"]
    assert client.get("/page-inconnue").json()["error"]["code"]


def test_a_trainer_hides_an_exams_persona_from_free_practice(client: TestClient) -> None:
    client.follow_redirects = False
    persona = next(p for p in client.app.state.personas.all() if int(p.bloc) == 4)  # type: ignore[attr-defined]
    csrf = web_login(client, "demo-formateur")
    cohort = client.post("/promotions", data={"name": "Promo Caen", "csrf_token": csrf}).headers["location"]
    created = client.post(f"{cohort}/scenarios", data={"csrf_token": csrf, "persona_id": persona.id, "mode": "exam",
                                                       "duration_minutes": "20", "hide_from_practice": "1"})
    assert created.status_code == 303
    page = client.get(created.headers["location"]).text
    assert '<span class="hidden-practice">masqué de l\'entraînement libre' in page
    assignment_id = int(re.search(r'data-assignment="(\d+)"', page).group(1))  # type: ignore[union-attr]

    candidate = login(client, "demo-candidat")
    assert persona.id not in [p["id"] for p in client.get("/api/personas", headers=candidate).json()]
    assert client.get(f"/api/personas/{persona.id}", headers=candidate).status_code == 404
    assert client.post("/api/sessions", json={"persona_id": persona.id}, headers=candidate).status_code == 404
    assert f'href="/personas/{persona.id}"' not in client.get("/tableau", headers=candidate).text
    assert client.get(f"/personas/{persona.id}", headers=candidate).status_code == 404
    trainer = login(client, "demo-formateur")
    assert persona.id in [p["id"] for p in client.get("/api/personas", headers=trainer).json()]

    shown = client.post(f"{cohort}/scenarios/{assignment_id}", data={"csrf_token": csrf, "duration_minutes": "20"})
    assert shown.status_code == 303
    assert persona.id in [p["id"] for p in client.get("/api/personas", headers=candidate).json()]
    with Session(_engine(client)) as db:
        stored = db.get(Assignment, assignment_id)
        assert stored is not None and not stored.hide_from_practice


def test_cohort_page_actions_with_impossible_ids_get_the_french_404(client: TestClient) -> None:
    client.follow_redirects = False
    csrf = web_login(client, "demo-formateur")
    huge = 2**63
    for path in (f"/promotions/{huge}/membres/1/retirer", f"/promotions/1/membres/{huge}/retirer",
                 f"/promotions/{huge}/scenarios/1/supprimer"):
        page = client.post(path, data={"csrf_token": csrf}, headers={"Accept": "text/html"})
        assert page.status_code == 404, (path, page.status_code)
