"""Turn a stored session into the scoring module's transcript and score it."""

from __future__ import annotations

from typing import Any

from api.models import RoleplaySession, Turn
from scoring.errors import ScoringInputError
from scoring.report import score_transcript
from scoring.transcript import Transcript


def thresholds_of(session: RoleplaySession) -> dict[str, Any] | None:
    """The Bloc 4 price thresholds of the pinned persona, so the grid can place the final price."""
    negotiation = (session.persona_snapshot or {}).get("negotiation")
    if not isinstance(negotiation, dict):
        return None
    return {
        "unit_label": negotiation.get("unit_label", "€ HT"),
        "list_price": negotiation.get("candidate_list_price"),
        "floor": negotiation.get("candidate_floor"),
        "buyer_opening": negotiation.get("opening"),
        "buyer_target": negotiation.get("target"),
        "walk_away": negotiation.get("walk_away"),
    }


def transcript_of(session: RoleplaySession, turns: list[Turn]) -> Transcript:
    """The documented transcript format, built from stored turns."""
    return Transcript.model_validate({
        "negotiation": thresholds_of(session),
        "bloc": session.bloc,
        "language": "fr",
        "persona_id": session.persona_id,
        "turns": [
            {
                "id": f"t{turn.seq}",
                "speaker_role": "candidate" if turn.speaker_role == "candidate" else "persona",
                "speaker_name": turn.speaker_name,
                "text": turn.text,
                "timestamp": turn.created_at,
            }
            for turn in turns
        ],
    })


def empty_report(reason: str) -> dict[str, Any]:
    """What a session without anything to score reports (ended before the candidate spoke)."""
    return {"empty": True, "message": reason,
            "conversation": {"questions": 0, "open_questions": 0, "closed_questions": 0}}


def score_session(session: RoleplaySession, turns: list[Turn]) -> dict[str, Any]:
    """JSON-ready score report of a session."""
    if not any(turn.speaker_role == "candidate" for turn in turns):
        return empty_report("Aucun message du candidat : rien à évaluer.")
    try:
        report = score_transcript(transcript_of(session, turns))
    except ScoringInputError as error:
        return empty_report(str(error))
    data: dict[str, Any] = report.model_dump(mode="json")
    return data
