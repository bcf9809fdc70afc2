"""Juror review: queue → transcript → override (comment required) → sign → locked → reopen, audit trail,
PDF grid, double marking, exports, import, and who may see what."""

from __future__ import annotations

import csv
import io

import pypdf
from fastapi.testclient import TestClient

from tests.api.test_reviews_support import complete_and_sign as _complete_and_sign
from tests.api.test_reviews_support import put_criterion as _put
from tests.api.test_reviews_support import scored_session, user
from tests.conftest import login

CRIT = "ecoute_active"


def test_full_review_flow_with_locking_and_audit(client: TestClient) -> None:
    world = scored_session(client)
    sid = world["session_id"]
    jury = login(client, "demo-jury")

    queue = client.get("/api/reviews/queue", headers=jury).json()
    item = next(i for i in queue["items"] if i["session_id"] == sid)
    assert item["status"] == "a_corriger" and item["candidate"] == "Camille Candidat"
    assert item["remaining"] == 2  # the criterion without automatic level + the decision

    review = client.get(f"/api/sessions/{sid}/review", headers=jury).json()
    levels = {c["id"]: (c["auto_level"], c["final_level"]) for c in review["grid"]["criteria"]}
    assert levels == {"discours_structure": (2, 2), "ecoute_active": (1, 1), "techniques_communication": (None, None)}
    assert review["grid"]["criteria"][1]["evidence"][0]["turn_id"] == "t3"
    assert [round(p["trust"], 2) for p in review["timeline"]] == [0.4, 0.6]
    figures = {f["key"]: f for f in review["figures"]}
    assert figures["questions"]["value"] == 2 and figures["questions"]["median"] == 2

    refused = _put(client, jury, sid, CRIT, 2)
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "comment_required"
    assert "Commentaire obligatoire" in refused.json()["error"]["message"]
    assert _put(client, jury, sid, CRIT, 2, "Deux reformulations justes au tour 5.").status_code == 200
    assert client.get("/api/reviews/queue?status=en_cours", headers=jury).json()["items"][0]["session_id"] == sid

    incomplete = client.post(f"/api/sessions/{sid}/review/sign", headers=jury)
    assert incomplete.status_code == 422 and incomplete.json()["error"]["code"] == "grid_incomplete"
    assert "Décision" in incomplete.json()["error"]["message"]

    _complete_and_sign(client, jury, sid)
    locked = _put(client, jury, sid, CRIT, 3, "Trop tard.")
    assert locked.status_code == 409 and locked.json()["error"]["code"] == "grid_signed"
    assert "signée" in locked.json()["error"]["message"]
    assert client.put(f"/api/sessions/{sid}/review/decision", headers=jury,
                      json={"decision": "non_acquis"}).status_code == 409
    assert client.post(f"/api/sessions/{sid}/review/sign", headers=jury).status_code == 409
    assert client.get("/api/reviews/queue?status=signee", headers=jury).json()["counts"]["signee"] == 1

    assert client.post(f"/api/sessions/{sid}/review/reopen", headers=jury, json={"reason": ""}).status_code == 422
    reopened = client.post(f"/api/sessions/{sid}/review/reopen", headers=jury,
                           json={"reason": "Erreur de saisie sur l'écoute."})
    assert reopened.status_code == 200 and reopened.json()["grid"]["status"] == "en_cours"
    assert client.post(f"/api/sessions/{sid}/review/reopen", headers=jury,
                       json={"reason": "encore"}).status_code == 409

    audit = client.get(f"/api/sessions/{sid}/review/audit", headers=jury).json()
    assert [(a["action"], a["target"]) for a in audit] == [
        ("criterion", CRIT), ("criterion", "techniques_communication"), ("decision", "decision"),
        ("sign", "grille"), ("reopen", "grille")]
    assert audit[0]["before"] == {"level": 1, "comment": ""}
    assert audit[0]["after"] == {"level": 2, "comment": "Deux reformulations justes au tour 5."}
    assert audit[4]["after"]["reason"] == "Erreur de saisie sur l'écoute."
    assert all(a["actor_name"] == "Jeanne Jury" and a["at"] for a in audit)
    # Append-only: no route changes or deletes the trail.
    for method in ("PUT", "PATCH", "DELETE", "POST"):
        assert client.request(method, f"/api/sessions/{sid}/review/audit", headers=jury).status_code == 405


def test_pdf_grid_holds_criteria_levels_and_decision(client: TestClient) -> None:
    sid = scored_session(client)["session_id"]
    jury = login(client, "demo-jury")
    assert _put(client, jury, sid, CRIT, 3, "Très bonne écoute.").status_code == 200
    _complete_and_sign(client, jury, sid, decision="non_acquis")
    response = client.get(f"/api/sessions/{sid}/review/grid.pdf", headers=jury)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    for expected in ("Discours structuré et synthétique", "Écoute active et reformulation",
                     "Techniques de communication (PNL)", "1 · Insuffisant", "3 · Maîtrisé", "2 · Satisfaisant",
                     "Décision : Non acquis", "Très bonne écoute.", "Signée par Jeanne Jury",
                     "Camille Candidat", "Bloc 2"):
        assert expected in flat, expected


def test_juror_not_assigned_and_candidate_get_404(client: TestClient) -> None:
    world = scored_session(client)
    sid = world["session_id"]
    with_engine = client.app.state.engine  # type: ignore[attr-defined]
    from sqlmodel import Session

    from api.models import Role

    with Session(with_engine) as db:
        user(db, "jury-autre", Role.juror)
    other = login(client, "jury-autre")
    for method, path, body in (("GET", "/review", None), ("GET", "/review/grid.pdf", None),
                               ("GET", "/review/audit", None), ("GET", "/review/export.json", None),
                               ("PUT", f"/review/criteria/{CRIT}", {"level": 1}),
                               ("POST", "/review/sign", None)):
        response = client.request(method, f"/api/sessions/{sid}{path}", headers=other, json=body)
        assert response.status_code == 404, (method, path, response.status_code)
        assert response.json()["error"]["message"] == "Session introuvable."
    assert client.get("/api/reviews/queue", headers=other).json()["items"] == []
    candidate = login(client)
    assert client.get(f"/api/sessions/{sid}/review", headers=candidate).status_code == 404
    assert client.get("/api/reviews/queue", headers=candidate).status_code == 404
    assert client.get(f"/jury/sessions/{sid}", headers=other).status_code == 404


def test_candidate_never_sees_juror_comments_before_release(client: TestClient) -> None:
    sid = scored_session(client, mode="exam")["session_id"]
    jury = login(client, "demo-jury")
    secret = "Commentaire-confidentiel-du-jury"
    assert _put(client, jury, sid, CRIT, 3, secret).status_code == 200
    _complete_and_sign(client, jury, sid)
    candidate = login(client)
    assert client.get(f"/api/sessions/{sid}/report", headers=candidate).status_code == 403
    assert secret not in client.get(f"/api/sessions/{sid}", headers=candidate).text
    assert client.get(f"/api/sessions/{sid}/review/export.json", headers=candidate).status_code == 404
    page = client.get(f"/sessions/{sid}/rapport", headers=candidate)
    assert secret not in page.text
    before = client.get(f"/api/sessions/{sid}/review/feedback", headers=candidate)
    assert before.status_code == 403 and before.json()["error"]["code"] == "feedback_not_released"
    assert client.post(f"/api/sessions/{sid}/release", headers=jury).status_code == 200
    # After release: the automatic report, and the signed grids through their own route (jurors anonymous).
    assert secret not in client.get(f"/api/sessions/{sid}/report", headers=candidate).text
    feedback = client.get(f"/api/sessions/{sid}/review/feedback", headers=candidate).json()
    grid = feedback["grids"][0]
    assert grid["juror"] == "Juré·e 1" and grid["decision"] == "acquis" and "Jeanne" not in str(feedback)
    assert {c["id"]: (c["level"], c["comment"]) for c in grid["criteria"]}[CRIT] == (3, secret)


def test_double_marking_stays_blind_until_both_signed_then_agreement(client: TestClient) -> None:
    first = scored_session(client, jurors=("demo-jury", "jury-deux"))
    cohort_id, sid = first["cohort_id"], first["session_id"]
    a, b = login(client, "demo-jury"), login(client, "jury-deux")
    assert _put(client, a, sid, CRIT, 3, "Écoute remarquable.").status_code == 200
    _complete_and_sign(client, a, sid)
    assert client.get(f"/api/sessions/{sid}/review", headers=b).json()["other_grids"] == []
    audit_b = client.get(f"/api/sessions/{sid}/review/audit", headers=b).json()
    assert audit_b == [], "le juré B ne voit pas le journal du juré A avant d'avoir signé"
    assert client.get(f"/api/sessions/{sid}/review", headers=a).json()["other_grids"] == []
    _complete_and_sign(client, b, sid, decision="non_acquis", pnl=2)
    trainer = login(client, "demo-formateur")
    supervised = client.get(f"/api/sessions/{sid}/review", headers=trainer).json()
    assert supervised["grid"] is None and len(supervised["other_grids"]) == 2
    assert _put(client, trainer, sid, CRIT, 2, "x").status_code == 404, "seuls les jurés notent"
    review_a = client.get(f"/api/sessions/{sid}/review", headers=a).json()
    assert len(review_a["other_grids"]) == 1
    rows = {r["id"]: r for r in review_a["agreement"]}
    assert rows[CRIT]["levels"] == [3, 1] and not rows[CRIT]["agree"]
    assert rows["discours_structure"]["agree"] and not rows["decision"]["agree"]

    second = scored_session(client, jurors=("demo-jury", "jury-deux"), cohort_id=cohort_id, levels=(1, 2, None))
    for headers in (a, b):
        _complete_and_sign(client, headers, second["session_id"], decision="acquis", pnl=1)

    result = client.get(f"/api/reviews/cohorts/{cohort_id}/agreement", headers=trainer).json()
    assert result["double_marked_sessions"] == 2
    overall = result["jurors"]["overall"]
    # Pairs: (2,2) (3,1) (2,2) | (1,1) (2,2) (1,1) → 5 of 6 agree.
    assert overall["n"] == 6 and abs(overall["agreement"] - 5 / 6) < 1e-9
    assert 0 < overall["kappa"] < 1
    assert {d["criterion_id"] for d in result["disagreements"]} == {CRIT, "decision"}
    automatic = result["automatic"]["overall"]
    assert automatic["n"] == 8  # 2 automatic levels x 2 grids x 2 sessions
    assert client.get(f"/api/reviews/cohorts/{cohort_id}/agreement", headers=a).status_code == 404
    page = client.get(f"/jury/promotions/{cohort_id}/accord", headers=trainer)
    assert page.status_code == 200 and "Désaccords à concilier" in page.text


def test_blind_mode_is_persistent_and_hides_the_name(client: TestClient) -> None:
    sid = scored_session(client)["session_id"]
    jury = login(client, "demo-jury")
    assert client.put("/api/reviews/preferences", headers=jury, json={"blind": True}).json() == {"blind": True}
    again = login(client, "demo-jury")
    assert client.get("/api/reviews/preferences", headers=again).json() == {"blind": True}
    item = client.get("/api/reviews/queue", headers=again).json()["items"][0]
    assert item["candidate"].startswith("Candidat·e n° ") and "Camille" not in item["candidate"]
    assert "Camille Candidat" not in client.get(f"/api/sessions/{sid}/review", headers=again).text
    assert "Camille Candidat" not in client.get(f"/jury/sessions/{sid}", headers=again).text


def test_queue_filters_by_cohort_bloc_and_status(client: TestClient) -> None:
    one = scored_session(client)
    scored_session(client, cohort_id=one["cohort_id"])
    jury = login(client, "demo-jury")
    assert len(client.get("/api/reviews/queue", headers=jury).json()["items"]) == 2
    by_cohort = client.get(f"/api/reviews/queue?cohort_id={one['cohort_id']}", headers=jury).json()
    assert len(by_cohort["items"]) == 2 and by_cohort["cohorts"][0]["id"] == one["cohort_id"]
    assert client.get(f"/api/reviews/queue?cohort_id={one['cohort_id'] + 99}", headers=jury).json()["items"] == []
    assert client.get("/api/reviews/queue?bloc=4", headers=jury).json()["items"] == []
    assert client.get("/api/reviews/queue?status=signee", headers=jury).json()["items"] == []
    assert client.get("/api/reviews/queue?status=inconnu", headers=jury).status_code == 422


def test_exports_json_and_cohort_csv(client: TestClient) -> None:
    world = scored_session(client)
    sid = world["session_id"]
    jury = login(client, "demo-jury")
    assert _put(client, jury, sid, CRIT, 2, "Reformulations présentes.").status_code == 200
    _complete_and_sign(client, jury, sid)
    data = client.get(f"/api/sessions/{sid}/review/export.json", headers=jury).json()
    assert data["transcript"][-1]["text"] == "Peut-être."
    assert data["annotations"][1]["question_type"] == "closed"
    assert data["grids"][0]["decision"] == "acquis"
    assert [a["action"] for a in data["audit"]] == ["criterion", "criterion", "decision", "sign"]
    trainer = login(client, "demo-formateur")
    response = client.get(f"/api/reviews/cohorts/{world['cohort_id']}/export.csv", headers=trainer)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["session", "candidat", "persona"]
    assert len(rows) == 1 + 3
    assert any(r[10] == "Écoute active et reformulation" and r[12] == "2" and r[13] == "Reformulations présentes."
               for r in rows[1:])


def test_review_of_an_active_session_is_a_clear_409(client: TestClient) -> None:
    world = scored_session(client)
    candidate = login(client)
    persona_id = client.get("/api/personas", headers=candidate).json()[0]["id"]
    active = client.post("/api/sessions", headers=candidate, json={"persona_id": persona_id}).json()["id"]
    trainer = login(client, "demo-formateur")
    juror_id = world["juror_ids"][0]
    assert client.post(f"/api/sessions/{active}/jurors", headers=trainer,
                       json={"juror_id": juror_id}).status_code == 204
    response = client.get(f"/api/sessions/{active}/review", headers=login(client, "demo-jury"))
    assert response.status_code == 409 and "pas terminée" in response.json()["error"]["message"]


TRANSCRIPT = """# bloc: 2
Candidat : Bonjour Madame Roche, merci de me recevoir. Je suis Camille, de la société Optima.
Client : Bonjour. Je vous écoute.
Candidat : Pouvez-vous me décrire comment vous organisez vos livraisons aujourd'hui ?
Client : Nous avons beaucoup de retards, c'est notre principal souci.
Candidat : Si je comprends bien, les retards sont votre priorité ?
Client : Oui, exactement.
Candidat : Pour résumer : je vous envoie une proposition jeudi et nous en parlons mardi prochain.
"""


def test_import_live_transcript_is_scored_and_reviewable(client: TestClient) -> None:
    trainer = login(client, "demo-formateur")
    world = scored_session(client)
    bad = client.post("/api/reviews/imports", headers=trainer, data={"bloc": "2"},
                      files={"file": ("vide.txt", b"sans deux points\n", "text/plain")})
    assert bad.status_code == 422 and "Nom : texte" in bad.json()["error"]["message"]
    assert client.post("/api/reviews/imports", headers=trainer, data={"bloc": "3"},
                       files={"file": ("a.txt", TRANSCRIPT.encode(), "text/plain")}).status_code == 422
    response = client.post("/api/reviews/imports", headers=trainer,
                           data={"bloc": "2", "candidate_id": str(world["candidate_id"]), "title": "Oral blanc"},
                           files={"file": ("oral.txt", TRANSCRIPT.encode(), "text/plain")})
    assert response.status_code == 201, response.text
    imported = response.json()
    assert imported["turns"] == 7 and imported["criteria"] >= 3
    sid = imported["session_id"]
    assert client.post(f"/api/sessions/{sid}/jurors", headers=trainer,
                       json={"juror_id": world["juror_ids"][0]}).status_code == 204
    jury = login(client, "demo-jury")
    review = client.get(f"/api/sessions/{sid}/review", headers=jury).json()
    assert review["session"]["mode"] == "import" and review["session"]["persona_title"] == "Oral blanc"
    assert any(c["auto_level"] is not None for c in review["grid"]["criteria"])
    page = client.get(f"/jury/sessions/{sid}", headers=jury)
    assert page.status_code == 200 and "question ouverte" in page.text
    outsider = client.post("/api/reviews/imports", headers=trainer,
                           data={"bloc": "2", "candidate_id": str(world["juror_ids"][0])},
                           files={"file": ("oral.txt", TRANSCRIPT.encode(), "text/plain")})
    assert outsider.status_code == 404


def test_negotiation_offers_and_thresholds_only_for_an_ended_bloc_4_session() -> None:
    from api.models import RoleplaySession, SessionStatus
    from api.services.review import negotiation_view

    session = RoleplaySession(
        persona_id="b4", persona_version="1", candidate_id=1, bloc=4, status=SessionStatus.active,
        persona_snapshot={"negotiation": {"unit_label": "€ HT", "candidate_list_price": 50000,
                                          "candidate_floor": 42000, "opening": 36000, "target": 44000,
                                          "walk_away": 47000}},
        state={"negotiation": {"persona_offers": [36000, 39000], "candidate_offers": [50000, 46000],
                               "final_price": 45000, "deal": True}},
    )
    assert negotiation_view(session) is None, "rien tant que la session est en cours"
    session.status = SessionStatus.ended
    view = negotiation_view(session)
    assert view is not None and view["thresholds"]["walk_away"] == 47000
    assert view["persona_offers"] == [36000, 39000] and view["candidate_offers"] == [50000, 46000]
    session.bloc = 2
    assert negotiation_view(session) is None


def test_released_jury_feedback_shows_on_the_candidates_report_page(client: TestClient) -> None:
    sid = scored_session(client, mode="exam")["session_id"]
    jury = login(client, "demo-jury")
    comment = "Très bonne écoute, <b>synthèse</b> à compléter."
    assert _put(client, jury, sid, CRIT, 3, comment).status_code == 200
    _complete_and_sign(client, jury, sid)
    candidate = login(client)
    assert "Évaluation du jury" not in client.get(f"/sessions/{sid}/rapport", headers=candidate).text
    assert client.post(f"/api/sessions/{sid}/release", headers=jury).status_code == 200
    page = client.get(f"/sessions/{sid}/rapport", headers=candidate).text
    assert "Évaluation du jury" in page and "Juré·e 1" in page
    assert "Très bonne écoute, &lt;b&gt;synthèse&lt;/b&gt; à compléter." in page
