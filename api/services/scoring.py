"""Turn a stored session into the scoring module's transcript and score it."""

from __future__ import annotations

from typing import Any

import yaml
from sqlmodel import Session, col, select

from api.models import RoleplaySession, RubricVersion, Turn, TurnStatus
from personas.errors import PersonaError
from personas.loader import parse_persona
from personas.reading_inputs import speaker_refs, topic_refs
from scoring.errors import ScoringInputError
from scoring.report import score_transcript
from scoring.rubric import Rubric, parse_rubric
from scoring.transcript import Transcript


def thresholds_of(session: RoleplaySession) -> dict[str, Any] | None:
    """The Bloc 4 price thresholds this session played, so the grid can place the final price: the
    buyer's draw within the persona's band as the engine recorded it (``state.thresholds``), else the
    pinned persona's own."""
    negotiation = (session.persona_snapshot or {}).get("negotiation")
    if not isinstance(negotiation, dict):
        return None
    drawn = (session.state or {}).get("thresholds")
    buyer = drawn if isinstance(drawn, dict) else negotiation
    return {
        "unit_label": negotiation.get("unit_label", "€ HT"),
        "list_price": negotiation.get("candidate_list_price"),
        "floor": negotiation.get("candidate_floor"),
        "buyer_opening": buyer.get("opening"),
        "buyer_target": buyer.get("target"),
        "walk_away": buyer.get("walk_away"),
    }


def _persona_refs(session: RoleplaySession) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Speakers and topics of the pinned persona, as the live reading saw them."""
    try:
        persona = parse_persona(session.persona_snapshot, f"session {session.id}")
    except PersonaError:
        return [], []
    return speaker_refs(persona), topic_refs(persona)


def answered_turns(turns: list[Turn]) -> list[Turn]:
    """The conversation as it happened: a candidate turn still pending was never heard by the persona,
    so it is neither part of the persona's history nor scored until it is answered."""
    return [turn for turn in turns if turn.status != TurnStatus.pending]


def engine_record_of(session: RoleplaySession) -> dict[str, Any] | None:
    """The engine's own record of the session (how it ended, its final state), so the grid can read
    prices, concessions and agreement as the persona lived them rather than re-reading the text."""
    if not session.state:
        return None
    return {"outcome": session.outcome, "ended_reason": session.ended_reason, "seed": session.seed,
            "persona_version": session.persona_version, "state": session.state}


def transcript_of(session: RoleplaySession, turns: list[Turn]) -> Transcript:
    """The documented transcript format, built from stored turns, with each candidate turn's stored
    reading and the engine's record. Pending candidate turns (never answered) are left out: the
    persona never heard them."""
    turns = answered_turns(turns)
    speakers, topics = _persona_refs(session)
    return Transcript.model_validate({
        "negotiation": thresholds_of(session),
        "engine": engine_record_of(session),
        "bloc": session.bloc,
        "language": "fr",
        "persona_id": session.persona_id,
        "speakers": speakers,
        "topics": topics,
        "turns": [
            {
                "id": f"t{turn.seq}",
                "speaker_role": "candidate" if turn.speaker_role == "candidate" else "persona",
                "speaker_name": turn.speaker_name,
                "speaker_id": None if turn.speaker_role == "candidate" else turn.speaker_id,
                "text": turn.text,
                "timestamp": turn.created_at,
                "reading": turn.reading if turn.speaker_role == "candidate" else None,
            }
            for turn in turns
        ],
    })


def empty_report(reason: str) -> dict[str, Any]:
    """What a session without anything to score reports (ended before the candidate spoke)."""
    return {"empty": True, "message": reason,
            "conversation": {"questions": 0, "open_questions": 0, "closed_questions": 0}}


def latest_rubric(db: Session, bloc: int) -> tuple[int, Rubric | None]:
    """The newest rubric version trainers saved for this bloc; (0, None) means the packaged file."""
    version = db.exec(
        select(RubricVersion).where(RubricVersion.bloc == bloc).order_by(col(RubricVersion.number).desc())
    ).first()
    if version is None:
        return 0, None
    return version.number, parse_rubric(yaml.safe_load(version.yaml_text))


def score_session(session: RoleplaySession, turns: list[Turn], db: Session | None = None) -> dict[str, Any]:
    """JSON-ready score report of a session, graded with the bloc's latest rubric version.

    The version number used is kept in the report (`rubric_version_number`), so that a later
    re-grade with a newer rubric can be shown beside it.
    """
    if not any(turn.speaker_role == "candidate" for turn in answered_turns(turns)):
        return empty_report("Aucun message du candidat : rien à évaluer.")
    number, rubric = latest_rubric(db, session.bloc) if db is not None else (0, None)
    try:
        report = score_transcript(transcript_of(session, turns), rubric=rubric)
    except ScoringInputError as error:
        return empty_report(str(error))
    data: dict[str, Any] = report.model_dump(mode="json")
    data["rubric_version_number"] = number
    return data
