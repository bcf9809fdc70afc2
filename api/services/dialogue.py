"""One role-play session's life: start, candidate turns through Rasa, end and score.

The candidate's turn is committed before Rasa is called, so that a Rasa outage loses nothing: the
turn stays `pending` and can be sent again (`retry`) once Rasa is back.

Each candidate turn is answered exactly once:
- while a turn is pending, no other may be added (409 `turn_pending` with its id): the candidate
  sends it again (`retry`, which answers the oldest pending turn) instead of typing it twice;
- a message may carry a client key: posting it again resolves to the stored turn (its stored reply,
  or 409 while it is pending), never to a second turn;
- the checks and the writes run under the session's row lock (`lock_session`), which holds across
  app workers, and the reply is stored only if the turn is still pending (two retries racing store
  one answer). Rasa is never called with the lock held.
Pending turns are left out of the history sent to Rasa and out of scoring until answered.
"""

from __future__ import annotations

import random
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from api.errors import ApiError
from api.models import Assignment, RoleplaySession, SessionMode, SessionStatus, Turn, TurnStatus, User
from api.models.base import utcnow
from api.services.assignments import aware, check_can_start, deadline_for, status_of
from api.services.rasa_client import RasaClient, RasaUnavailable
from api.services.scoring import answered_turns, score_session
from api.validation import TextRefused, clean_message
from personas.engine import opening_lines
from personas.fingerprint import persona_ref
from personas.schema import Persona
from scoring.schema import READING_CONTEXT_TURNS


def persona_unavailable(reason: str) -> str:
    """The 503 message: which part is down, and that the message is kept."""
    return (f"Le persona est momentanément indisponible ({reason}) : votre message est bien enregistré. "
            "Réessayez dans un instant avec « Renvoyer ».")


def turns_of(db: Session, session_id: str) -> list[Turn]:
    return list(db.exec(select(Turn).where(Turn.session_id == session_id).order_by(col(Turn.seq))))


def _conversation_turns(db: Session, session_id: str) -> list[Turn]:
    """The session's turns without their JSON columns (readings, engine states, NLU), loaded only if
    touched: a turn needs the words said, not thirty stored readings decoded on every message."""
    return list(db.exec(select(Turn).where(Turn.session_id == session_id).order_by(col(Turn.seq))
                        .options(defer(Turn.reading), defer(Turn.state), defer(Turn.nlu))))  # type: ignore[arg-type]


def _next_seq(db: Session, session_id: str) -> int:
    """The position of the next turn of a session (the caller holds the session lock)."""
    last = db.exec(select(func.max(Turn.seq)).where(Turn.session_id == session_id)).one()
    return 0 if last is None else int(last) + 1


def lock_session(db: Session, session_id: str) -> RoleplaySession:
    """Take the session's lock until this transaction ends, and return the session as stored.

    Why the database: app workers are separate processes, an in-process lock would not see the
    others. PostgreSQL locks the session's row (SELECT … FOR UPDATE); SQLite has no row locks, so a
    no-op write takes its database write lock (pysqlite opens the transaction at that write).
    Either lock is released by the caller's commit or rollback; keep the transaction short.
    """
    if db.get_bind().dialect.name == "sqlite":
        db.connection().execute(
            update(RoleplaySession).where(col(RoleplaySession.id) == session_id).values(id=RoleplaySession.id)
        )
    statement = (select(RoleplaySession).where(RoleplaySession.id == session_id)
                 .with_for_update().execution_options(populate_existing=True))
    return db.exec(statement).one()


def oldest_pending(db: Session, session_id: str) -> Turn | None:
    """The first candidate turn still waiting for the persona's answer."""
    return db.exec(select(Turn).where(Turn.session_id == session_id, Turn.speaker_role == "candidate",
                                      Turn.status == TurnStatus.pending).order_by(col(Turn.seq))).first()


def replies_to(db: Session, turn: Turn) -> list[Turn]:
    """The persona lines stored as the answer to this candidate turn (up to the next candidate turn)."""
    replies: list[Turn] = []
    for later in db.exec(select(Turn).where(Turn.session_id == turn.session_id, Turn.seq > turn.seq)
                         .order_by(col(Turn.seq))):
        if later.speaker_role == "candidate":
            break
        replies.append(later)
    return replies


def turn_pending_error(turn: Turn) -> ApiError:
    return ApiError(409, "turn_pending",
                    "Un message précédent attend encore la réponse du persona : renvoyez-le (« Renvoyer ») "
                    "avant d'en écrire un autre.", extra={"turn_id": turn.id})


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
    return start_session(db, candidate, persona, seed=assignment.seed, mode=assignment.mode,
                         assignment_id=assignment.id,
                         deadline_at=deadline_for(assignment, candidate, datetime.now(UTC)))


def _history(turns: list[Turn]) -> list[dict[str, Any]]:
    """The last turns the persona heard, as many as the turn's reading looks at (the engine itself
    reads only its state): pending candidate turns are not part of the conversation yet. Why not
    all of them: the metadata travels through Rasa on every turn, a whole conversation made each
    turn cost more than the one before."""
    turns = answered_turns(turns)[-READING_CONTEXT_TURNS:]
    return [{"speaker_role": t.speaker_role, "speaker_id": t.speaker_id, "text": t.text} for t in turns]


_REFS: OrderedDict[str, dict[str, str]] = OrderedDict()
_REFS_MAX = 4096


def session_persona_ref(session: RoleplaySession) -> dict[str, str]:
    """The persona ref of a session, hashed once per session and process (the snapshot is pinned:
    it never changes after the session starts)."""
    ref = _REFS.get(session.id)
    if ref is None:
        ref = _REFS[session.id] = persona_ref(session.persona_snapshot)
        while len(_REFS) > _REFS_MAX:
            _REFS.popitem(last=False)
    return ref


def turn_sender(session_id: str, turn_index: int) -> str:
    """Rasa's conversation id for one candidate turn: a new one per turn, the same for its retries.

    Why: the app owns the conversation (state, history, persona), Rasa needs none of it. With one
    Rasa conversation per session, Rasa's tracker kept every past message with its metadata, read
    and wrote it whole on every turn and sent it whole to the action server: each turn cost more
    than the last. One conversation per turn keeps each tracker a few events long, so a Rasa
    restart, or a turn served by another Rasa server, loses nothing.
    """
    return f"{session_id}:{turn_index}"


def _ask_rasa(rasa: RasaClient, sender: str, text: str, metadata: dict[str, Any],
              snapshot: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One turn through Rasa, the persona named by its ref; sent again once with the persona's body
    when the action server answers that it does not hold that persona yet (see docs/contracts.md)."""
    lines, state_message = _parse_reply(rasa.send(sender, text, metadata))
    if not state_message.get("persona_missing"):
        return lines, state_message
    with_body = {"roleplay": {**metadata["roleplay"], "persona": snapshot}}
    lines, state_message = _parse_reply(rasa.send(sender, text, with_body))
    if state_message.get("persona_missing"):
        raise RasaUnavailable("le serveur d'actions ne reçoit pas le persona de la session")
    return lines, state_message


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
    turns = _conversation_turns(db, session.id)
    previous = [t for t in turns if t.id != candidate_turn.id]
    turn_index = sum(1 for t in answered_turns(previous) if t.speaker_role == "candidate")
    snapshot = session.persona_snapshot
    metadata = {"roleplay": {
        "session_id": session.id,
        "seed": session.seed,
        "turn_index": turn_index,
        "persona_ref": session_persona_ref(session),  # the body only if the action server asks for it
        "state": session.state,
        "history": _history(previous),
    }}
    text = candidate_turn.text
    db.commit()  # end the read transaction: no pooled connection is held while Rasa thinks
    try:
        lines, state_message = _ask_rasa(rasa, turn_sender(session.id, turn_index), text, metadata, snapshot)
    except RasaUnavailable as error:
        raise ApiError(503, "persona_unavailable", persona_unavailable(str(error)),
                       extra={"turn_id": candidate_turn.id, "reason": str(error)}) from error

    lock_session(db, session.id)  # until the commit below: one stored answer per turn, across workers
    db.refresh(candidate_turn)
    if candidate_turn.status != TurnStatus.pending:  # a concurrent retry stored its answer first
        db.commit()
        return replies_to(db, candidate_turn)
    next_seq = _next_seq(db, session.id)
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


def view_of(db: Session, session: RoleplaySession) -> RoleplaySession:
    """The session as readers should see it, without writing: once its time is up, an active session
    reads as ended (`time_up`, with its report computed on the fly). Nothing runs in the background,
    so the stored row is closed by the next write (a message, a retry, the end).

    Why not close it here: a read that writes takes the write lock on every page view and turns a
    GET into a change.
    """
    if session.status != SessionStatus.active or not time_is_up(session):
        return session
    view = RoleplaySession(**session.model_dump(warnings=False))  # detached: never added to the database session
    view.status = SessionStatus.ended
    view.ended_reason = "time_up"
    view.ended_at = session.deadline_at
    view.report = score_session(view, turns_of(db, session.id), db)
    return view


def _require_active(db: Session, session: RoleplaySession) -> None:
    if session.status == SessionStatus.active and time_is_up(session):
        _close(db, session, "time_up")
        db.commit()
        raise ApiError(409, "time_up", "Le temps imparti est écoulé : la session est terminée et remise.")
    if session.status != SessionStatus.active:
        raise ApiError(409, "session_ended",
                       "Cette session est terminée : aucun nouveau message n'est accepté.")


def checked_message(text: str, max_chars: int) -> str:
    """The message as it will be stored, or a French 422: storable, not empty once invisible
    characters are removed, not too long."""
    try:
        cleaned = clean_message(text)
    except TextRefused as refused:
        raise ApiError(422, "forbidden_character", refused.message) from refused
    if not cleaned:
        raise ApiError(422, "message_empty", "Le message est vide.")
    if len(cleaned) > max_chars:
        raise ApiError(422, "message_too_long",
                       f"Le message dépasse {max_chars} caractères ({len(cleaned)}). Raccourcissez-le.")
    return cleaned


def _turn_with_key(db: Session, session_id: str, client_key: str) -> Turn | None:
    return db.exec(select(Turn).where(Turn.session_id == session_id, Turn.client_key == client_key)).first()


def _resent(db: Session, turn: Turn, text: str) -> list[Turn]:
    """A message posted again with the key of a stored turn: its stored answer, never a new turn."""
    if turn.text != text:
        raise ApiError(409, "client_key_reused",
                       "Cette clé de message a déjà servi pour un autre texte : rechargez la page.")
    if turn.status == TurnStatus.pending:
        raise turn_pending_error(turn)
    return replies_to(db, turn)


def post_message(db: Session, rasa: RasaClient, session: RoleplaySession, text: str,
                 max_chars: int, client_key: str | None = None) -> list[Turn]:
    """Store the candidate's message, then get the persona's reply (503 if Rasa is down)."""
    cleaned = checked_message(text, max_chars)
    lock_session(db, session.id)
    try:
        existing = _turn_with_key(db, session.id, client_key) if client_key else None
        if existing is not None:
            replies = _resent(db, existing, cleaned)
            db.commit()
            return replies
        _require_active(db, session)
        candidate_turn = _insert_turn(db, session, cleaned, client_key)
    finally:
        if db.in_transaction():
            db.rollback()  # a refusal wrote nothing: end the transaction, release the lock
    return _forward(db, rasa, session, candidate_turn)


def _insert_turn(db: Session, session: RoleplaySession, text: str, client_key: str | None) -> Turn:
    """Store a new pending candidate turn (the caller holds the session lock), unless one is pending."""
    pending = oldest_pending(db, session.id)
    if pending is not None:
        raise turn_pending_error(pending)
    candidate_turn = Turn(
        session_id=session.id, seq=_next_seq(db, session.id), speaker_role="candidate",
        speaker_id="candidate", speaker_name="Candidat·e", text=text, status=TurnStatus.pending,
        client_key=client_key,
    )
    db.add(candidate_turn)
    try:
        db.commit()
    except IntegrityError as error:  # only if the lock did not hold (one shared test connection): never 500
        db.rollback()
        raise ApiError(409, "turn_conflict",
                       "Un autre message vient d'être enregistré pour cette session : rechargez la page.") from error
    db.refresh(candidate_turn)
    return candidate_turn


def retry_pending(db: Session, rasa: RasaClient, session: RoleplaySession) -> list[Turn]:
    """Send the oldest unanswered candidate turn again (after a Rasa or action server outage)."""
    lock_session(db, session.id)
    try:
        _require_active(db, session)
        pending = oldest_pending(db, session.id)
        if pending is None:
            raise ApiError(409, "nothing_to_retry", "Aucun message en attente de réponse.")
        db.commit()  # release the lock: Rasa is called without it
    finally:
        if db.in_transaction():
            db.rollback()
    return _forward(db, rasa, session, pending)


def _close(db: Session, session: RoleplaySession, reason: str) -> None:
    session.status = SessionStatus.ended
    session.ended_reason = reason
    session.ended_at = utcnow()
    session.report = score_session(session, turns_of(db, session.id), db)  # pending turns left out
    db.add(session)


def end_session(db: Session, session: RoleplaySession) -> RoleplaySession:
    """End the session (idempotent) and compute its score report."""
    lock_session(db, session.id)
    if session.status == SessionStatus.active:
        _close(db, session, "time_up" if time_is_up(session) else "candidate")
    db.commit()
    db.refresh(session)
    return session
