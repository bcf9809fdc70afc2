"""Shared set-up of the review tests: an ended, scored session in a cohort, assigned to jurors.

The score report is written by hand (same shape as scoring.report.ScoreReport) so that the tests
are fast and their expected levels known; the import test exercises the real scorer.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Cohort, CohortMember, JurorAssignment, Role, RoleplaySession, SessionStatus, Turn, User
from api.security import hash_password
from api.services import dialogue
from tests.conftest import DEMO_PASSWORD

CRITERIA = [
    {"id": "discours_structure", "label": "Discours structuré et synthétique", "level": 2,
     "level_label": "Satisfaisant", "evidence": [{"turn_id": "t1", "quote": "Bonjour, je suis Camille", "note": ""}],
     "rationale": "Étapes de l'entretien repérées."},
    {"id": "ecoute_active", "label": "Écoute active et reformulation", "level": 1, "level_label": "Insuffisant",
     "evidence": [{"turn_id": "t3", "quote": "Est-ce que vous avez un budget ?", "note": "question fermée"}],
     "rationale": "Peu de questions ouvertes."},
    {"id": "techniques_communication", "label": "Techniques de communication (PNL)", "level": None,
     "level_label": "À évaluer par le jury", "evidence": [], "rationale": "Non lisible dans une transcription."},
]


def report(levels: tuple[int | None, ...] = (2, 1, None)) -> dict[str, Any]:
    items = [{**c, "level": level} for c, level in zip(CRITERIA, levels, strict=True)]
    return {
        "scorer_version": "test", "bloc": 2, "language": "fr", "persona_id": "p", "summary_fr": "Résumé.",
        "turns": [{"id": "t1", "is_question": False, "question_type": None, "is_reformulation": False,
                   "is_summary": False, "assertiveness": "assertive"},
                  {"id": "t3", "is_question": True, "question_type": "closed", "is_reformulation": False,
                   "is_summary": False, "assertiveness": "neutral"}],
        "conversation": {"questions": 2, "open_questions": 1, "closed_questions": 1, "reformulations": 1,
                         "talk_share_words": 0.45, "longest_monologue_words": 22, "candidate_turns": 2},
        "grid": {"bloc": 2, "rubric_version": "1.1", "title": "Bloc 2", "items": items},
    }


def user(db: Session, username: str, role: Role, full_name: str = "") -> User:
    found = db.exec(select(User).where(User.username == username)).first()
    if found is not None:
        return found
    account = User(username=username, role=role, full_name=full_name,
                   password_hash=hash_password(DEMO_PASSWORD))
    db.add(account)
    db.commit()
    db.refresh(account)
    return account


def scored_session(client: TestClient, jurors: tuple[str, ...] = ("demo-jury",), mode: str = "practice",
                   levels: tuple[int | None, ...] = (2, 1, None), cohort_id: int | None = None) -> dict[str, Any]:
    """An ended session of the demo candidate (in a cohort of the demo trainer), assigned to `jurors`."""
    engine = client.app.state.engine  # type: ignore[attr-defined]
    persona = next(p for p in client.app.state.personas.all() if int(p.bloc) == 2)  # type: ignore[attr-defined]
    with Session(engine) as db:
        candidate = user(db, "demo-candidat", Role.candidate)
        trainer = user(db, "demo-formateur", Role.trainer)
        assert candidate.id and trainer.id
        if cohort_id is None:
            cohort = Cohort(name=f"Promo {uuid.uuid4().hex[:6]}", trainer_id=trainer.id)
            db.add(cohort)
            db.flush()
            assert cohort.id
            cohort_id = cohort.id
            db.add(CohortMember(cohort_id=cohort_id, user_id=candidate.id))
            db.commit()
        session = dialogue.start_session(db, candidate, persona, seed=3, mode=mode)
        base = len(dialogue.turns_of(db, session.id))
        lines = [("candidate", "Bonjour, je suis Camille, de chez Optima."),
                 ("persona", "Bonjour."), ("candidate", "Est-ce que vous avez un budget ?"),
                 ("persona", "Peut-être.")]
        for offset, (role, text) in enumerate(lines):
            state = {"trust": 0.3 + 0.1 * offset, "tension": 0.5 - 0.1 * offset} if role == "persona" else None
            db.add(Turn(session_id=session.id, seq=base + offset + 1, speaker_role=role, speaker_id=role,
                        speaker_name="Candidat·e" if role == "candidate" else "Client", text=text, state=state))
        row = db.get(RoleplaySession, session.id)
        assert row is not None
        row.status, row.report, row.ended_at = SessionStatus.ended, report(levels), datetime.now(UTC)
        db.add(row)
        ids = []
        for username in jurors:
            juror = user(db, username, Role.juror, full_name=f"Juré {username}")
            assert juror.id
            ids.append(juror.id)
            db.add(JurorAssignment(session_id=session.id, juror_id=juror.id, assigned_by=trainer.id))
        db.commit()
        return {"session_id": session.id, "cohort_id": cohort_id, "juror_ids": ids, "candidate_id": candidate.id}


def put_criterion(client: TestClient, headers: dict[str, str], session_id: str, criterion: str, level: int,
                  comment: str = "") -> Any:
    return client.put(f"/api/sessions/{session_id}/review/criteria/{criterion}", headers=headers,
                      json={"level": level, "comment": comment})


def complete_and_sign(client: TestClient, headers: dict[str, str], session_id: str, decision: str = "acquis",
                      pnl: int = 2) -> None:
    """Level the criterion left to the jury, decide and sign (the other levels stay automatic)."""
    assert put_criterion(client, headers, session_id, "techniques_communication", pnl,
                         "Posture claire.").status_code == 200
    assert client.put(f"/api/sessions/{session_id}/review/decision", headers=headers,
                      json={"decision": decision, "comment": "Compétences démontrées."}).status_code == 200
    signed = client.post(f"/api/sessions/{session_id}/review/sign", headers=headers)
    assert signed.status_code == 200, signed.text
