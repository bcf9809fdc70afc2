"""The juror sees, per criterion, whether the automatic level is to be confirmed and how reliable it was
measured to be; the engine's record reaches the transcript the grid reads."""

from __future__ import annotations

import csv
import io
import json

import pypdf
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import RoleplaySession, Turn
from api.services.scoring import transcript_of
from personas.loader import load_library
from scoring import reliability
from tests.api.test_reviews_support import scored_session
from tests.conftest import login

DOUBT = "À confirmer par le jury : niveau appuyé sur une seule intervention."


def flag_uncertain(client: TestClient, session_id: str) -> None:
    """Mark the first automatic criterion as uncertain in the stored report (as the grid writes it)."""
    with Session(client.app.state.engine) as db:  # type: ignore[attr-defined]
        row = db.get(RoleplaySession, session_id)
        assert row is not None and row.report is not None
        report = json.loads(json.dumps(row.report))
        report["grid"]["items"][0].update(uncertain=True, uncertainty_fr=DOUBT)
        row.report = report
        db.add(row)
        db.commit()


@pytest.fixture
def no_published_reliability(tmp_path, monkeypatch):
    monkeypatch.setattr(reliability, "RELIABILITY_FILE", tmp_path / "absent.json")
    reliability.load_reliability.cache_clear()
    yield tmp_path
    reliability.load_reliability.cache_clear()


def test_review_shows_doubt_and_unmeasured_reliability(client: TestClient, no_published_reliability) -> None:
    sid = scored_session(client)["session_id"]
    flag_uncertain(client, sid)
    jury = login(client, "demo-jury")
    criteria = {c["id"]: c for c in client.get(f"/api/sessions/{sid}/review", headers=jury).json()["grid"]["criteria"]}
    assert criteria["discours_structure"]["uncertain"] is True
    assert criteria["discours_structure"]["uncertainty_fr"] == DOUBT
    assert criteria["ecoute_active"]["uncertain"] is False
    assert criteria["discours_structure"]["reliability_fr"] == "fiabilité non mesurée"
    assert criteria["techniques_communication"]["reliability_fr"] == ""  # no automatic level, nothing to trust
    page = client.get(f"/jury/sessions/{sid}", headers=jury).text
    assert DOUBT in page and 'id="doute-discours_structure"' in page
    assert 'id="fiabilite-discours_structure"' in page and "fiabilité non mesurée" in page
    exported = client.get(f"/api/sessions/{sid}/review/export.json", headers=jury).json()
    assert exported["automatic_grid"]["items"][0]["uncertainty_fr"] == DOUBT
    assert exported["grids"][0]["criteria"][0]["uncertain"] is True
    assert "negotiation_record" in exported
    pdf = client.get(f"/api/sessions/{sid}/review/grid.pdf", headers=jury)
    assert pdf.status_code == 200
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "confirmer par le jury" in " ".join(text.split()) and "fiabilité non mesurée" in " ".join(text.split())
    trainer = login(client, "demo-formateur")
    world_csv = client.get(f"/api/reviews/cohorts/{scored_cohort(client, sid)}/export.csv", headers=trainer).text
    rows = list(csv.reader(io.StringIO(world_csv.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][-2:] == ["à confirmer par le jury", "fiabilité du niveau automatique"]


def scored_cohort(client: TestClient, session_id: str) -> int:
    from sqlmodel import select

    from api.models import CohortMember

    with Session(client.app.state.engine) as db:  # type: ignore[attr-defined]
        row = db.get(RoleplaySession, session_id)
        assert row is not None
        member = db.exec(select(CohortMember).where(CohortMember.user_id == row.candidate_id)).first()
        assert member is not None
        return member.cohort_id


def test_review_shows_published_reliability_in_french(client: TestClient, no_published_reliability,
                                                      monkeypatch) -> None:
    published = no_published_reliability / "reliability.json"
    published.write_text(json.dumps({"part": "untouched", "transcripts": 24, "blocs": {"2": {
        "rubric_version": "1.1", "criteria": {"ecoute_active": {"n": 24, "kappa_w": 0.7123}}}}}), encoding="utf-8")
    monkeypatch.setattr(reliability, "RELIABILITY_FILE", published)
    reliability.load_reliability.cache_clear()
    sid = scored_session(client)["session_id"]
    jury = login(client, "demo-jury")
    page = client.get(f"/jury/sessions/{sid}", headers=jury).text
    assert "fiabilité mesurée : κ 0,71 sur 24 transcriptions" in page
    assert page.count("fiabilité non mesurée") == 1  # discours_structure has no published figure


def test_transcript_carries_the_engine_record() -> None:
    persona = next(p for p in load_library().values() if p.bloc == 4)
    session = RoleplaySession(id="s1", candidate_id=1, persona_id=persona.id, persona_version=str(persona.version),
                              bloc=4, persona_snapshot=persona.model_dump(mode="json"), seed=11, outcome="deal",
                              ended_reason="persona",
                              state={"turn": 3, "negotiation": {"candidate_offers": [230000, 215000],
                                                                "agreed_price": 215000, "deal": True},
                                     "events": ["2:counterpart:engagement_3_ans"]})
    turns = [Turn(session_id="s1", seq=1, speaker_role="candidate", speaker_name="C", text="Bonjour.")]
    transcript = transcript_of(session, turns)
    assert transcript.engine is not None
    engine = transcript.engine
    assert (engine.outcome, engine.seed, engine.ended_reason) == ("deal", 11, "persona")
    assert transcript.engine.state["negotiation"]["agreed_price"] == 215000
    session.state = None
    assert transcript_of(session, turns).engine is None


def test_negotiation_record_macro_renders_the_engine_record() -> None:
    """The table the report and review pages show for an ended Bloc 4 session (French numbers)."""
    from api.routers.web import templates
    from scoring.report import score_transcript
    from tests.scoring.test_grid_content import CASES

    record = score_transcript(CASES["below_floor_engine"]).model_dump(mode="json")["negotiation_record"]
    macro = templates.env.from_string('{% from "_negotiation_record.html" import negotiation_record %}'
                                      "{{ negotiation_record(rec, 'x') }}")
    html = macro.render(rec=record)
    assert "Négociation : relevé du persona" in html
    assert "accord signé sous le plancher" in html
    assert "70\u202f000 → 66\u202f000 € HT par an, <strong>sans contrepartie</strong>" in html
    assert "63\u202f000 € HT par an · sous le plancher du candidat" in html
