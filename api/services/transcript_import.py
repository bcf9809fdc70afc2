"""Import of a live role-play transcript (JSON, CSV or « Nom : texte »), scored and reviewed like a
chat session.

Jurors also watch role-plays held in the room; their transcripts enter the same review workflow as
a RoleplaySession with mode "import" (no persona played it, so there is no hidden state). The
session belongs to a named candidate account when given (it then appears in their cohort's
agreement and exports), otherwise to the uploader.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from api.errors import ApiError
from api.models import RoleplaySession, SessionStatus, Turn, TurnStatus, User
from api.models.base import utcnow
from scoring.errors import ScoringInputError
from scoring.report import score_transcript
from scoring.transcript import Transcript, parse_csv, parse_text, validate_transcript

IMPORT_MODE = "import"
FORMATS = ("json", "csv", "text")


def detect_format(filename: str, content: str) -> str:
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix == "json" or content.lstrip().startswith("{"):
        return "json"
    if suffix == "csv":
        return "csv"
    return "text"


def parse_upload(raw: bytes, filename: str, bloc: int, candidate_name: str | None = None) -> Transcript:
    """The transcript in the scoring format, with the bloc chosen by the uploader."""
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApiError(422, "invalid_encoding", "Le fichier doit être encodé en UTF-8.") from None
    kind = detect_format(filename, content)
    try:
        if kind == "json":
            try:
                data: Any = json.loads(content)
            except json.JSONDecodeError as error:
                raise ApiError(422, "invalid_transcript",
                               f"JSON invalide ({error.msg}, ligne {error.lineno}).") from None
            transcript = validate_transcript(data)
        elif kind == "csv":
            transcript = parse_csv(content, "fr", candidate_name)
        else:
            transcript = parse_text(content, "fr", candidate_name)
    except ScoringInputError as error:
        raise ApiError(422, "invalid_transcript", error.message_fr) from None
    if not transcript.candidate_turns():
        raise ApiError(422, "invalid_transcript", "Aucun tour du candidat reconnu : précisez le nom du candidat.")
    # Turn ids become t1…tn, the ids stored sessions use, so evidence links point into the transcript.
    turns = [turn.model_copy(update={"id": f"t{seq}"}) for seq, turn in enumerate(transcript.turns, start=1)]
    return transcript.model_copy(update={"bloc": bloc, "turns": turns})


def import_session(db: Session, uploader: User, candidate: User, transcript: Transcript,
                   title: str) -> RoleplaySession:
    """Store the transcript as an ended session and score it (spaCy: a few seconds the first time)."""
    try:
        report = score_transcript(transcript).model_dump(mode="json")
    except ScoringInputError as error:
        raise ApiError(422, "invalid_transcript", error.message_fr) from None
    assert candidate.id is not None and transcript.bloc is not None
    now = utcnow()
    session = RoleplaySession(
        persona_id=f"import-bloc{transcript.bloc}", persona_version="import",
        persona_title=title or f"Jeu de rôle importé (bloc {transcript.bloc})", bloc=transcript.bloc,
        persona_snapshot={"imported_by": uploader.id}, seed=0, candidate_id=candidate.id,
        status=SessionStatus.ended, report=report, ended_at=now, mode=IMPORT_MODE, ended_reason="candidate",
    )
    db.add(session)
    db.flush()
    for seq, turn in enumerate(transcript.turns, start=1):
        role = "candidate" if turn.speaker_role == "candidate" else "persona"
        db.add(Turn(session_id=session.id, seq=seq, speaker_role=role, speaker_id=role,
                    speaker_name=turn.speaker_name[:120] or role, text=turn.text,
                    status=TurnStatus.answered if role == "candidate" else TurnStatus.persona,
                    created_at=turn.timestamp or now))
    db.commit()
    db.refresh(session)
    return session
