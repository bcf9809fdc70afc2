"""One role-play session's life: start, candidate turns through Rasa, end and score.

The candidate's turn is committed before Rasa is called, so that a Rasa outage loses nothing: the
turn stays `pending` and can be sent again (`retry`) once Rasa is back.
"""

from __future__ import annotations

import random
import threading
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from api.errors import ApiError
from api.models import Assignment, RoleplaySession, SessionMode, SessionStatus, Turn, TurnStatus, User
from api.models.base import utcnow
from api.services.assignments import aware, check_can_start, deadline_for, status_of
from api.services.rasa_client import RasaClient, RasaUnavailable
from api.services.scoring import score_session
from personas.engine import opening_lines
from personas.schema import Persona

_session_locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)

PERSONA_UNAVAILABLE = (
    "Le persona est momentanément indisponible : votre message est bien enregistré. "
    "Réessayez dans un instant."
)


def turns_of(db: Session, session_id: str) -> list[Turn]:
    return list(db.exec(select(Turn).where(Turn.session_id == session_id).order_by(col(Turn.seq))))


def start_session(db: Session, candidate: User, persona: Persona, seed: int | None = None, *,
                  mode: str = SessionMode.practice, assignment_id: int | None = None,
                  deadline_at: datetime | None = None) -> RoleplaySession:
    """Create a session pinned to this persona version, with the persona's opening lines if any."""
    assert candidate.id is not None
    seed = seed if seed is not None else random.SystemRandom().randrange(1, 2**31)
    session = RoleplaySession(
        persona_id=persona.id, persona_version=str(persona.version), persona_title=persona.title,
        bloc=int(persona.bloc), persona_snapshot=persona.model_dump(mode="json"),
        seed=seed, candidate_id=candidate.id, mode=mode, assignment_id=assignment_id, deadline_at=deadline_at,
    )
    db.add(session)
    db.flush()
    for seq, line in enumerate(opening_lines(persona, seed)):
        db.add(Turn(session_id=session.id, seq=seq, speaker_role="persona", speaker_id=line.speaker_id,
                    speaker_name=line.speaker, text=line.text, status=TurnStatus.persona))
    db.commit()
    db.refresh(session)
    return session


def start_or_resume_assignment(db: Session, candidate: User, assignment: Assignment,
                               persona: Persona) -> RoleplaySession:
    """The candidate's active session of this assignment, or a new timed one if the window and the
    attempts allow it (ApiError 409 with the reason otherwise). Resuming never burns an attempt."""
    status = status_of(db, assignment, candidate, persona.title, int(persona.bloc))
    if status.active_session_id:
        active = db.get(RoleplaySession, status.active_session_id)
        assert active is not None
        return active
    check_can_start(status)
    return start_session(db, candidate, persona, mode=assignment.mode, assignment_id=assignment.id,
                         deadline_at=deadline_for(assignment, candidate, datetime.now(UTC)))


def _history(turns: list[Turn]) -> list[dict[str, Any]]:
    return [{"speaker_role": t.speaker_role, "speaker_id": t.speaker_id, "text": t.text} for t in turns]


def _parse_reply(messages: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Split Rasa's output into persona lines and the one state message (see docs/contracts.md)."""
    lines: list[dict[str, Any]] = []
    state_message: dict[str, Any] | None = None
    for message in messages:
        custom = message.get("custom")
        if not isinstance(custom, dict):
            continue
        if custom.get("kind") == "line" and isinstance(custom.get("text"), str):
            lines.append(custom)
        elif custom.get("kind") == "state":
            state_message = custom
    if state_message is None:
        raise RasaUnavailable("le serveur d'actions n'a pas répondu")
    return lines, state_message


def _forward(db: Session, rasa: RasaClient, session: RoleplaySession, candidate_turn: Turn) -> list[Turn]:
    """Send a stored candidate turn to Rasa and store the persona's answer."""
    turns = turns_of(db, session.id)
    previous = [t for t in turns if t.seq < candidate_turn.seq]
    metadata = {"roleplay": {
        "session_id": session.id,
        "seed": session.seed,
        "turn_index": sum(1 for t in previous if t.speaker_role == "candidate"),
        "persona": session.persona_snapshot,
        "state": session.state,
        "history": _history(previous),
    }}
    text = candidate_turn.text
    db.commit()  # end the read transaction: no pooled connection is held while Rasa thinks
    try:
        messages = rasa.send(session.id, text, metadata)
        lines, state_message = _parse_reply(messages)
    except RasaUnavailable as error:
        raise ApiError(503, "persona_unavailable", PERSONA_UNAVAILABLE,
                       extra={"turn_id": candidate_turn.id, "reason": str(error)}) from error

    next_seq = max(t.seq for t in turns) + 1
    stored: list[Turn] = []
    for offset, line in enumerate(lines):
        stored.append(Turn(
            session_id=session.id, seq=next_seq + offset, speaker_role="persona",
            speaker_id=str(line.get("speaker_id", "persona")), speaker_name=str(line.get("speaker", "")),
            text=line["text"], status=TurnStatus.persona,
        ))
    if stored:
        stored[-1].state = state_message.get("state")
    candidate_turn.status = TurnStatus.answered
    candidate_turn.nlu = state_message.get("nlu")
    reading = state_message.get("reading")
    if isinstance(reading, dict):
        # The one reading of this turn: the engine acted on it; the report and the grid reuse it.
        candidate_turn.reading = reading
        candidate_turn.reader_version = str(reading.get("reader_version") or "")[:20] or None
    session.state = state_message.get("state")
    db.add_all([candidate_turn, session, *stored])
    if state_message.get("ended"):
        session.outcome = state_message.get("outcome")
        _close(db, session, "persona")
    db.commit()
    return stored


def time_is_up(session: RoleplaySession, now: datetime | None = None) -> bool:
    deadline = aware(session.deadline_at)
    return deadline is not None and (now or datetime.now(UTC)) >= deadline


def expire_if_due(db: Session, session: RoleplaySession) -> bool:
    """End an active session whose time ran out (on any access: nothing runs in the background)."""
    if session.status == SessionStatus.active and time_is_up(session):
        with _session_locks[session.id]:
            db.refresh(session)
            if session.status == SessionStatus.active:
                _close(db, session, "time_up")
                db.commit()
                db.refresh(session)
        return True
    return False


def _require_active(db: Session, session: RoleplaySession) -> None:
    if session.status == SessionStatus.active and time_is_up(session):
        _close(db, session, "time_up")
        db.commit()
        raise ApiError(409, "time_up", "Le temps imparti est écoulé : la session est terminée et remise.")
    if session.status != SessionStatus.active:
        raise ApiError(409, "session_ended",
                       "Cette session est terminée : aucun nouveau message n'est accepté.")


def post_message(db: Session, rasa: RasaClient, session: RoleplaySession, text: str,
                 max_chars: int) -> list[Turn]:
    """Store the candidate's message, then get the persona's reply (503 if Rasa is down)."""
    cleaned = text.strip()
    if not cleaned:
        raise ApiError(422, "message_empty", "Le message est vide.")
    if len(cleaned) > max_chars:
        raise ApiError(422, "message_too_long",
                       f"Le message dépasse {max_chars} caractères ({len(cleaned)}). Raccourcissez-le.")
    with _session_locks[session.id]:
        db.refresh(session)
        _require_active(db, session)
        turns = turns_of(db, session.id)
        candidate_turn = Turn(
            session_id=session.id, seq=(turns[-1].seq + 1) if turns else 0, speaker_role="candidate",
            speaker_id="candidate", speaker_name="Candidat·e", text=cleaned, status=TurnStatus.pending,
        )
        db.add(candidate_turn)
        db.commit()
        db.refresh(candidate_turn)
        return _forward(db, rasa, session, candidate_turn)


def retry_pending(db: Session, rasa: RasaClient, session: RoleplaySession) -> list[Turn]:
    """Send the last unanswered candidate turn again (after a Rasa outage)."""
    with _session_locks[session.id]:
        db.refresh(session)
        _require_active(db, session)
        turns = turns_of(db, session.id)
        if not turns or turns[-1].speaker_role != "candidate" or turns[-1].status != TurnStatus.pending:
            raise ApiError(409, "nothing_to_retry", "Aucun message en attente de réponse.")
        return _forward(db, rasa, session, turns[-1])


def _close(db: Session, session: RoleplaySession, reason: str) -> None:
    session.status = SessionStatus.ended
    session.ended_reason = reason
    session.ended_at = utcnow()
    session.report = score_session(session, turns_of(db, session.id), db)
    db.add(session)


def end_session(db: Session, session: RoleplaySession) -> RoleplaySession:
    """End the session (idempotent) and compute its score report."""
    with _session_locks[session.id]:
        db.refresh(session)
        if session.status == SessionStatus.active:
            _close(db, session, "time_up" if time_is_up(session) else "candidate")
            db.commit()
            db.refresh(session)
    return session
