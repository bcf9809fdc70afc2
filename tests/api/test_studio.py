"""Persona studio through the JSON API and pages: the trainer's whole design loop, rubrics, access."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from personas.cli import main as personas_cli
from tests.conftest import ScriptedRasa, login

TEMPLATE = "b2-transport-frigorifique"
STUDIO_ID = "b2-atelier-test"


def create(client: TestClient, trainer: dict[str, str], studio_id: str = STUDIO_ID) -> dict[str, Any]:
    response = client.post("/api/studio/personas", json={"source_id": TEMPLATE, "id": studio_id}, headers=trainer)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_design_loop_from_template_to_try_it_and_round_trip(client: TestClient, rasa: ScriptedRasa) -> None:
    trainer = login(client, "demo-formateur")
    listed = client.get("/api/studio/personas", params={"bloc": 2}, headers=trainer).json()
    assert TEMPLATE in {p["id"] for p in listed} and all(p["bloc"] == 2 for p in listed)

    created = create(client, trainer)
    assert [v["number"] for v in created["versions"]] == [1]
    assert created["based_on"] == TEMPLATE and created["status"] == "draft"
    assert f"id: {STUDIO_ID}\n" in created["yaml"]
    original = created["yaml"]

    # A broken definition: field-level French error, nothing stored.
    broken = original.replace("bloc: 2\n", "bloc: 3\n", 1)
    checked = client.post("/api/studio/validate", json={"yaml": broken, "persona_id": STUDIO_ID}, headers=trainer)
    assert checked.json()["valid"] is False
    refused = client.post(f"/api/studio/personas/{STUDIO_ID}/versions", json={"yaml": broken}, headers=trainer)
    assert refused.status_code == 422
    error = refused.json()["error"]["errors"][0]
    assert error["field"] == "bloc"
    assert error["line"] == f"{STUDIO_ID}.yaml: bloc: valeur non autorisée (attendu : 2, 4 ou 5)"
    assert len(client.get(f"/api/studio/personas/{STUDIO_ID}", headers=trainer).json()["versions"]) == 1

    # Fixed: a new immutable version with author and comment.
    fixed = original.replace("title: ", 'title: "Essai atelier" #', 1)
    saved = client.post(
        f"/api/studio/personas/{STUDIO_ID}/versions", json={"yaml": fixed, "comment": "Nouveau titre"}, headers=trainer
    )
    assert saved.status_code == 201, saved.text
    body = saved.json()
    assert [v["number"] for v in body["versions"]] == [1, 2]
    assert body["versions"][1]["comment"] == "Nouveau titre" and body["versions"][1]["author"]
    assert body["title"] == "Essai atelier"
    assert client.get(f"/api/studio/personas/{STUDIO_ID}/versions/1", headers=trainer).json()["yaml"] == original

    diff = client.get(f"/api/studio/personas/{STUDIO_ID}/diff", params={"a": 1, "b": 2}, headers=trainer).json()
    assert "\n-title: " in diff["diff"] and '\n+title: "Essai atelier"' in diff["diff"]

    # Try it at once: the draft goes to Rasa in the metadata, the state panel follows each turn.
    trial = client.post(f"/api/studio/personas/{STUDIO_ID}/trials", json={}, headers=trainer).json()
    state = client.get(f"/api/studio/trials/{trial['session_id']}/state", headers=trainer).json()
    assert state["state"] == {} and state["trust"] == 0.25  # the persona's initial trust
    for expected in (1, 2):
        reply = client.post(f"/api/sessions/{trial['session_id']}/messages", json={"text": "Bonjour"}, headers=trainer)
        assert reply.status_code == 200, reply.text
        state = client.get(f"/api/studio/trials/{trial['session_id']}/state", headers=trainer).json()
        assert state["state"] == {"turns": expected} and state["turn"] == expected
    # The draft is named by its content hash; its body went to Rasa once, when asked for it.
    sent = [c["metadata"]["roleplay"] for c in rasa.calls]
    assert [("persona" in r) for r in sent[-2:]] == [True, False]
    assert sent[-2]["persona"]["title"] == "Essai atelier"
    assert sent[-1]["persona_ref"]["hash"] == sent[-2]["persona_ref"]["hash"]
    assert len(rasa.missing) >= 1 and rasa.missing[-1]["metadata"]["roleplay"]["persona_ref"] == sent[-2]["persona_ref"]
    session = client.get(f"/api/sessions/{trial['session_id']}", headers=trainer).json()
    assert session["mode"] == "trial" and session["persona_version"] == "atelier-v2"

    # Export gives the exact bytes; importing them gives back an identical persona.
    exported = client.get(f"/api/studio/personas/{STUDIO_ID}/export", headers=trainer)
    assert exported.content == fixed.encode()
    as_copy = fixed.replace(f"id: {STUDIO_ID}\n", "id: b2-atelier-importe\n", 1)
    imported = client.post(
        "/api/studio/import", files={"file": ("p.yaml", as_copy.encode(), "application/x-yaml")}, headers=trainer
    )
    assert imported.status_code == 201, imported.text
    again = client.get("/api/studio/personas/b2-atelier-importe/export", headers=trainer)
    assert again.content == as_copy.encode()
    same = client.post(
        "/api/studio/import", files={"file": ("p.yaml", exported.content, "application/x-yaml")}, headers=trainer
    )
    assert [v["number"] for v in same.json()["versions"]] == [1, 2], "an identical import adds no version"
    builtin = client.get(f"/api/studio/personas/{TEMPLATE}/export", headers=trainer).content
    clash = client.post(
        "/api/studio/import", files={"file": ("b.yaml", builtin, "application/x-yaml")}, headers=trainer
    )
    assert clash.status_code == 409, "the built-in library stays read-only"


def test_trial_sessions_stay_out_of_results(client: TestClient) -> None:
    trainer = login(client, "demo-formateur")
    create(client, trainer)
    trial = client.post(f"/api/studio/personas/{STUDIO_ID}/trials", json={}, headers=trainer).json()
    juror_sees = client.get("/api/sessions", headers=login(client, "demo-jury")).json()
    assert trial["session_id"] not in {s["id"] for s in juror_sees}
    assert trial["session_id"] not in client.get("/tableau", headers=trainer).text


def test_lint_catches_a_broken_design_in_the_studio_and_on_the_command_line(client: TestClient, tmp_path) -> None:
    trainer = login(client, "demo-formateur")
    created = create(client, trainer)
    assert client.get(f"/api/studio/personas/{STUDIO_ID}/lint", headers=trainer).json()["warnings"] == []
    # Every need revealed at once: the exercise no longer rewards questioning.
    page = client.post(
        f"/studio/personas/{STUDIO_ID}/champs",
        headers=trainer,
        follow_redirects=False,
        data={
            "title": created["title"],
            "role": created["role"],
            "duration_minutes": "20",
            "initial_trust": "0.9",
            "initial_tension": "0.15",
        },
    )
    assert page.status_code == 303, page.text
    lint = client.get(f"/api/studio/personas/{STUDIO_ID}/lint", headers=trainer).json()
    assert any(w.startswith("personality.initial_trust") for w in lint["warnings"]), lint
    html = client.get(f"/studio/personas/{STUDIO_ID}?lint=1", headers=trainer).text
    assert "tous les besoins sont révélés sans effort" in html
    exported = tmp_path / f"{STUDIO_ID}.yaml"
    exported.write_bytes(client.get(f"/api/studio/personas/{STUDIO_ID}/export", headers=trainer).content)
    assert personas_cli(["lint", str(exported)]) == 0  # warnings only; --strict would fail
    assert personas_cli(["lint", "--strict", str(exported)]) == 2


def test_editor_pages_show_french_field_errors_and_keep_the_text(client: TestClient) -> None:
    trainer = login(client, "demo-formateur")
    created = create(client, trainer)
    assert "Atelier des personas" in client.get("/studio", headers=trainer).text
    broken = created["yaml"].replace("initial_trust: 0.25", "initial_trust: beaucoup", 1)
    page = client.post(
        f"/studio/personas/{STUDIO_ID}/enregistrer", data={"yaml_text": broken, "comment": "x"}, headers=trainer
    )
    assert page.status_code == 422
    assert "personality.initial_trust" in page.text and "doit être un nombre" in page.text
    assert "initial_trust: beaucoup" in page.text, "the trainer's text is kept for fixing"
    fixed = client.post(
        f"/studio/personas/{STUDIO_ID}/enregistrer",
        headers=trainer,
        follow_redirects=False,
        data={"yaml_text": broken.replace("beaucoup", "0.3"), "comment": "Plus confiant"},
    )
    assert fixed.status_code == 303 and fixed.headers["location"].endswith("?saved=2")
    diff = client.get(f"/studio/personas/{STUDIO_ID}/diff?a=1&b=2", headers=trainer).text
    assert "-  initial_trust: 0.25" in diff and "+  initial_trust: 0.3" in diff


def test_rubric_edit_and_regrade_keeps_the_original(client: TestClient) -> None:
    trainer, candidate = login(client, "demo-formateur"), login(client, "demo-candidat")
    rubric = client.get("/api/studio/rubrics/2", headers=trainer).json()
    assert rubric["number"] == 0 and rubric["versions"][0]["number"] == 0
    text = rubric["yaml"]
    broken = text.replace("thresholds: [", "thresholds: [0.9, ", 1)
    refused = client.post("/api/studio/rubrics/2/versions", json={"yaml": broken}, headers=trainer)
    assert refused.status_code == 422
    assert refused.json()["error"]["errors"][0]["field"].startswith("criteria.0.thresholds")
    # A candidate of the trainer's cohort plays and ends a session: graded with the packaged rubric (0).
    me = client.get("/api/auth/me", headers=candidate).json()
    cohort = client.post("/api/cohorts", json={"name": "Promo grille"}, headers=trainer).json()
    client.post(f"/api/cohorts/{cohort['id']}/members", json={"user_id": me["id"]}, headers=trainer)
    session = client.post("/api/sessions", json={"persona_id": TEMPLATE}, headers=candidate).json()
    for text_ in (
        "Bonjour, pouvez-vous me décrire votre organisation ?",
        "Si je comprends bien, les retards vous pèsent ?",
    ):
        client.post(f"/api/sessions/{session['id']}/messages", json={"text": text_}, headers=candidate)
    client.post(f"/api/sessions/{session['id']}/end", headers=candidate)
    before = client.get(f"/api/sessions/{session['id']}/report", headers=trainer).json()

    # Then the trainer makes the rubric harder: version 1.
    harder = text.replace("weight: 1.0", "weight: 2.0", 1).replace('version: "', 'version: "2-', 1)
    saved = client.post(
        "/api/studio/rubrics/2/versions", json={"yaml": harder, "comment": "plus exigeant"}, headers=trainer
    )
    assert saved.status_code == 201 and saved.json()["number"] == 1
    diff_page = client.get("/studio/grilles/2/diff", params={"a": 0, "b": 1}, headers=trainer).text
    assert "+    weight: 2.0" in diff_page and "-    weight: 1.0" in diff_page
    assert client.get("/studio/grilles/3", headers=trainer).status_code == 404


    regraded = client.post(f"/api/studio/sessions/{session['id']}/regrade", json={}, headers=trainer)
    assert regraded.status_code == 201, regraded.text
    grades = regraded.json()
    assert grades["original"]["rubric_version"] == 0
    assert [r["rubric_version"] for r in grades["regrades"]] == [1]
    assert grades["regrades"][0]["rubric_label"].startswith("2-")
    assert client.get(f"/api/sessions/{session['id']}/report", headers=trainer).json() == before
    page = client.post("/studio/grilles/2/renoter", data={"session_id": session["id"], "version": "0"}, headers=trainer)
    assert page.status_code == 200 and "Rapport d'origine" in page.text and "Re-notation 2" in page.text


def test_candidate_and_juror_cannot_reach_the_studio(client: TestClient) -> None:
    trainer = login(client, "demo-formateur")
    create(client, trainer)
    for username in ("demo-candidat", "demo-jury"):
        headers = login(client, username)
        for url in (
            "/api/studio/personas",
            f"/api/studio/personas/{STUDIO_ID}",
            "/studio",
            f"/studio/personas/{STUDIO_ID}",
            "/studio/grilles/2",
        ):
            assert client.get(url, headers=headers).status_code == 404, (username, url)
        assert client.post("/api/studio/personas", json={"source_id": TEMPLATE}, headers=headers).status_code == 404
        assert "/studio" not in client.get("/tableau", headers=headers).text
    assert client.get("/api/studio/personas").status_code == 401


def test_published_persona_is_offered_to_candidates_until_archived(client: TestClient) -> None:
    trainer, candidate = login(client, "demo-formateur"), login(client, "demo-candidat")
    create(client, trainer)
    assert STUDIO_ID not in {p["id"] for p in client.get("/api/personas", headers=candidate).json()}, "draft"
    published = client.post(f"/api/studio/personas/{STUDIO_ID}/status", json={"status": "published"}, headers=trainer)
    assert published.json()["status"] == "published"
    assert STUDIO_ID in {p["id"] for p in client.get("/api/personas", headers=candidate).json()}
    session = client.post("/api/sessions", json={"persona_id": STUDIO_ID}, headers=candidate)
    assert session.status_code == 201 and session.json()["mode"] == "practice"
    client.post(f"/studio/personas/{STUDIO_ID}/statut", data={"status": "archived"}, headers=trainer)
    assert STUDIO_ID not in {p["id"] for p in client.get("/api/personas", headers=candidate).json()}
    archived = client.get("/api/studio/personas", params={"status": "archived"}, headers=trainer).json()
    assert [p["id"] for p in archived] == [STUDIO_ID]
    assert STUDIO_ID not in {p["id"] for p in client.get("/api/studio/personas", headers=trainer).json()}


def test_sessions_ending_after_a_rubric_edit_are_graded_with_it(client: TestClient) -> None:
    """The automatic grade uses the bloc's latest rubric version and records its number."""
    from api.services.studio_rubrics import builtin_rubric_text
    from tests.conftest import login

    trainer = login(client, "demo-formateur")
    candidate = login(client)
    persona = next(p for p in client.get("/api/personas", headers=candidate).json() if p["bloc"] == 2)
    text = builtin_rubric_text(2).replace("version:", "# révision locale\nversion:", 1)
    saved = client.post("/api/studio/rubrics/2/versions", json={"yaml": text, "comment": "essai"},
                        headers=trainer)
    assert saved.status_code in (200, 201), saved.text
    session = client.post("/api/sessions", json={"persona_id": persona["id"]}, headers=candidate).json()
    client.post(f"/api/sessions/{session['id']}/messages", json={"text": "Quels sont vos enjeux ?"},
                headers=candidate)
    report = client.post(f"/api/sessions/{session['id']}/end", headers=candidate).json()
    assert report["rubric_version_number"] == saved.json()["number"]
