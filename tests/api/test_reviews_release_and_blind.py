"""Publishing the jury's feedback only once every assigned juror has signed, and blind marking that
also hides the candidate's name inside the transcript text and the evidence quotes."""

from __future__ import annotations

import io
import json

import pypdf
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import Turn
from api.services import dialogue
from api.services.review import mask_names
from tests.api.test_reviews_support import complete_and_sign, scored_session
from tests.conftest import login

LABEL = "Candidat·e n° 3F2A9C"


# --- release --------------------------------------------------------------------------------------

def test_release_without_any_grid_is_refused(client: TestClient) -> None:
    sid = scored_session(client, mode="exam")["session_id"]
    jury, candidate = login(client, "demo-jury"), login(client)
    refused = client.post(f"/api/sessions/{sid}/release", headers=jury)
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "grids_not_signed"
    assert error["message"] == "Impossible de publier : aucune grille du jury n'est encore signée (0 sur 1)."
    assert (error["signed"], error["jurors"]) == (0, 1)
    assert client.get(f"/api/sessions/{sid}", headers=candidate).json()["feedback_released_at"] is None
    assert client.get(f"/api/sessions/{sid}/report", headers=candidate).status_code == 403
    # A draft grid is not a signed grid either.
    assert client.put(f"/api/sessions/{sid}/review/decision", headers=jury,
                      json={"decision": "acquis"}).status_code == 200
    assert client.post(f"/api/sessions/{sid}/release", headers=jury).json()["error"]["code"] == "grids_not_signed"


def test_release_without_an_assigned_juror_is_refused(client: TestClient) -> None:
    sid = scored_session(client, jurors=(), mode="exam")["session_id"]
    refused = client.post(f"/api/sessions/{sid}/release", headers=login(client, "demo-formateur"))
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "grids_not_signed"
    assert "aucun juré" in refused.json()["error"]["message"]


def test_double_marking_release_waits_for_every_signature_and_is_audited(client: TestClient) -> None:
    sid = scored_session(client, jurors=("demo-jury", "jury-deux"), mode="exam")["session_id"]
    a, b = login(client, "demo-jury"), login(client, "jury-deux")
    trainer, candidate = login(client, "demo-formateur"), login(client)
    complete_and_sign(client, a, sid)
    for headers in (a, trainer):
        refused = client.post(f"/api/sessions/{sid}/release", headers=headers)
        assert refused.status_code == 409, refused.text
        assert refused.json()["error"]["code"] == "grids_not_signed"
        assert refused.json()["error"]["message"] == (
            "Impossible de publier : toutes les grilles du jury ne sont pas encore signées (1 sur 2).")
    assert client.get(f"/api/sessions/{sid}/review/feedback", headers=candidate).status_code == 403

    complete_and_sign(client, b, sid, decision="non_acquis")
    released = client.post(f"/api/sessions/{sid}/release", headers=b)
    assert released.status_code == 200, released.text
    released_at = released.json()["feedback_released_at"]
    assert released_at
    again = client.post(f"/api/sessions/{sid}/release", headers=trainer)
    assert again.status_code == 200 and again.json()["feedback_released_at"] == released_at
    feedback = client.get(f"/api/sessions/{sid}/review/feedback", headers=candidate)
    assert feedback.status_code == 200 and len(feedback.json()["grids"]) == 2

    audit = client.get(f"/api/sessions/{sid}/review/audit", headers=trainer).json()
    releases = [row for row in audit if row["action"] == "release"]
    assert len(releases) == 1, "publiée une seule fois, inscrite une seule fois"
    assert releases[0]["actor_name"] == "Juré jury-deux" and releases[0]["target"] == "retour"
    assert releases[0]["before"] == {"feedback_released_at": None}
    assert releases[0]["after"]["grids"] == 2
    page = client.get(f"/jury/sessions/{sid}", headers=a)
    assert page.status_code == 200 and "publication du retour au candidat" in page.text


# --- blind marking inside the text -------------------------------------------------------------------

def _add_turn(client: TestClient, session_id: str, text: str) -> None:
    with Session(client.app.state.engine) as db:  # type: ignore[attr-defined]
        seq = len(dialogue.turns_of(db, session_id)) + 1
        db.add(Turn(session_id=session_id, seq=seq, speaker_role="candidate", speaker_id="candidate",
                    speaker_name="Camille Candidat", text=text))
        db.commit()


def _blind_and_sighted_jurors(client: TestClient) -> tuple[str, str, dict[str, str], dict[str, str]]:
    """A scored session whose turn names the candidate, marked by a blind and a sighted juror."""
    sid = scored_session(client, jurors=("demo-jury", "jury-deux"))["session_id"]
    _add_turn(client, sid, "Merci, c'était CAMILLE candidat <b>ici</b>, pas Camillette.")
    blind, sighted = login(client, "demo-jury"), login(client, "jury-deux")
    assert client.put("/api/reviews/preferences", headers=blind, json={"blind": True}).status_code == 200
    return sid, f"Candidat·e n° {sid[:6].upper()}", blind, sighted


def test_reopening_a_grid_after_release_withdraws_the_publication(client: TestClient) -> None:
    sid = scored_session(client, jurors=("demo-jury",), mode="exam")["session_id"]
    jury, trainer, candidate = login(client, "demo-jury"), login(client, "demo-formateur"), login(client)
    complete_and_sign(client, jury, sid)
    assert client.post(f"/api/sessions/{sid}/release", headers=trainer).status_code == 200
    assert client.get(f"/api/sessions/{sid}/review/feedback", headers=candidate).status_code == 200

    reopened = client.post(f"/api/sessions/{sid}/review/reopen", headers=jury,
                           json={"reason": "Erreur de niveau sur un critère."})
    assert reopened.status_code == 200, reopened.text
    assert client.get(f"/api/sessions/{sid}/review/feedback", headers=candidate).status_code == 403
    refused = client.post(f"/api/sessions/{sid}/release", headers=trainer)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "grids_not_signed"
    withdrawn = [row for row in client.get(f"/api/sessions/{sid}/review/audit", headers=trainer).json()
                 if row["action"] == "withdraw"]
    assert len(withdrawn) == 1 and withdrawn[0]["after"]["feedback_released_at"] is None

    complete_and_sign(client, jury, sid)
    assert client.post(f"/api/sessions/{sid}/release", headers=trainer).status_code == 200
    assert client.get(f"/api/sessions/{sid}/review/feedback", headers=candidate).status_code == 200


def test_blind_juror_reads_the_code_instead_of_the_name_inside_the_turns(client: TestClient) -> None:
    sid, label, blind, sighted = _blind_and_sighted_jurors(client)

    texts = [t["text"] for t in client.get(f"/api/sessions/{sid}", headers=blind).json()["turns"]]
    assert f"Bonjour, je suis {label}, de chez Optima." in texts
    assert f"Merci, c'était {label} <b>ici</b>, pas Camillette." in texts
    turns = client.get(f"/api/sessions/{sid}", headers=blind).json()["turns"]
    assert "Camille" not in json.dumps([(t["speaker_name"], t["text"]) for t in turns]).replace("Camillette", "")
    sighted_texts = [t["text"] for t in client.get(f"/api/sessions/{sid}", headers=sighted).json()["turns"]]
    assert "Bonjour, je suis Camille, de chez Optima." in sighted_texts
    assert not any(label in text for text in sighted_texts)
    # The candidate's own transcript is never rewritten.
    own = [t["text"] for t in client.get(f"/api/sessions/{sid}", headers=login(client)).json()["turns"]]
    assert "Bonjour, je suis Camille, de chez Optima." in own

    # Evidence quotes in the review, the report and the exports.
    quote = client.get(f"/api/sessions/{sid}/review", headers=blind).json()["grid"]["criteria"][0]["evidence"][0]
    assert quote["quote"] == f"Bonjour, je suis {label}" and quote["turn_id"] == "t1"
    sighted_quote = client.get(f"/api/sessions/{sid}/review", headers=sighted).json()["grid"]["criteria"][0]
    assert sighted_quote["evidence"][0]["quote"] == "Bonjour, je suis Camille"
    report = client.get(f"/api/sessions/{sid}/report", headers=blind).json()
    assert report["grid"]["items"][0]["evidence"][0]["quote"] == f"Bonjour, je suis {label}"
    assert report["grid"]["items"][0]["label"] == "Discours structuré et synthétique"
    exported = client.get(f"/api/sessions/{sid}/review/export.json", headers=blind).json()
    assert f"Bonjour, je suis {label}, de chez Optima." in [t["text"] for t in exported["transcript"]]
    assert exported["automatic_grid"]["items"][0]["evidence"][0]["quote"] == f"Bonjour, je suis {label}"
    assert "Camille," not in json.dumps(exported, ensure_ascii=False)
    pdf = client.get(f"/api/sessions/{sid}/review/grid.pdf", headers=blind)
    flat = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "Camille" not in flat

    # The review page: masked, and still escaped (never marked safe).
    page = client.get(f"/jury/sessions/{sid}", headers=blind).text
    assert f"Merci, c&#39;était {label} &lt;b&gt;ici&lt;/b&gt;, pas Camillette." in page
    assert "Camille " not in page and "Camille," not in page and "<b>ici" not in page
    sighted_page = client.get(f"/jury/sessions/{sid}", headers=sighted).text
    assert "Bonjour, je suis Camille, de chez Optima." in sighted_page and label not in sighted_page


# --- mask_names ---------------------------------------------------------------------------------------

def test_mask_names_full_name_first_name_last_name_and_username() -> None:
    names = ["Alice Martin", "amartin"]
    assert mask_names("Bonjour, je suis Alice Martin.", names, LABEL) == f"Bonjour, je suis {LABEL}."
    assert mask_names("Alice, puis Martin, puis amartin.", names, LABEL) == f"{LABEL}, puis {LABEL}, puis {LABEL}."
    assert mask_names("Madame Martin\u00a0: c'est d'Alice qu'il s'agit", names, LABEL) == \
        f"Madame {LABEL}\u00a0: c'est d'{LABEL} qu'il s'agit"
    assert mask_names("alice  MARTIN", names, LABEL) == LABEL, "une seule étiquette pour le nom complet"


def test_mask_names_ignores_case_and_accents() -> None:
    names = ["Léa Béranger"]
    for said in ("Léa", "LÉA", "lea", "Lea", "Le\u0301a", "BERANGER", "béranger"):
        assert mask_names(f"Je suis {said} !", names, LABEL) == f"Je suis {LABEL} !", said
    assert mask_names("Je suis Lea Beranger.", ["Léa Béranger"], "X") == "Je suis X."
    assert mask_names("J'ai vu Élodie", ["elodie"], "X") == "J'ai vu X"


def test_mask_names_leaves_short_parts_and_longer_words_alone() -> None:
    names = ["Li Jo Marc"]
    assert mask_names("Li et Jo, Marc", names, "X") == "Li et Jo, X", "parties de moins de 3 lettres ignorées"
    assert mask_names("Marcel, marche, Marco, remarque", names, "X") == "Marcel, marche, Marco, remarque"
    assert mask_names("Alicette et Martinez", ["Alice Martin"], "X") == "Alicette et Martinez"
    assert mask_names("Marie de la Tour", ["Marie de la Tour"], "X") == "X"
    assert mask_names("rien à masquer", [], "X") == "rien à masquer"
    assert mask_names("", ["Alice"], "X") == ""


def test_mask_names_keeps_markup_as_text() -> None:
    # Masking happens before escaping: the result is plain text that the templates still escape.
    assert mask_names("<b>Alice</b> & Alice", ["Alice"], "X") == "<b>X</b> & X"


def test_blind_juror_reads_the_code_on_the_candidates_chat_and_report_pages(client: TestClient) -> None:
    sid, label, blind, sighted = _blind_and_sighted_jurors(client)

    for path in (f"/sessions/{sid}", f"/sessions/{sid}/rapport"):
        page = client.get(path, headers=blind)
        assert page.status_code == 200, page.text
        # Masked, and still escaped (never marked safe).
        assert f"Bonjour, je suis {label}, de chez Optima." in page.text, path
        assert f"Merci, c&#39;était {label} &lt;b&gt;ici&lt;/b&gt;, pas Camillette." in page.text, path
        assert "Camille" not in page.text.replace("Camillette", ""), path
        assert "<b>ici" not in page.text, path

        sighted_page = client.get(path, headers=sighted)
        assert sighted_page.status_code == 200, sighted_page.text
        assert "Bonjour, je suis Camille, de chez Optima." in sighted_page.text, path
        assert "Camille Candidat" in sighted_page.text, path
        assert label not in sighted_page.text, path

    # The report's evidence quotes are masked too.
    report = client.get(f"/sessions/{sid}/rapport", headers=blind).text
    assert f"« Bonjour, je suis {label} »" in report
    assert "« Bonjour, je suis Camille »" in client.get(f"/sessions/{sid}/rapport", headers=sighted).text
    # The candidate's own pages are never rewritten.
    own = client.get(f"/sessions/{sid}/rapport", headers=login(client)).text
    assert "Bonjour, je suis Camille, de chez Optima." in own and label not in own
