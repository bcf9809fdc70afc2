"""The bridge between stored sessions and the scoring module."""

from __future__ import annotations

from api.models import RoleplaySession, Turn
from api.services.scoring import score_session, transcript_of
from personas.loader import load_library


def session_for(persona_id: str) -> RoleplaySession:
    persona = load_library()[persona_id]
    return RoleplaySession(id="s1", candidate_id=1, persona_id=persona.id, persona_version=str(persona.version),
                           bloc=int(persona.bloc), persona_snapshot=persona.model_dump(mode="json"))


def test_bloc4_transcripts_carry_the_persona_thresholds() -> None:
    bloc4 = next(p for p in load_library().values() if p.bloc == 4)
    transcript = transcript_of(session_for(bloc4.id), [])
    assert transcript.negotiation is not None
    assert bloc4.negotiation is not None
    assert transcript.negotiation.walk_away == bloc4.negotiation.walk_away
    assert transcript.negotiation.floor == bloc4.negotiation.candidate_floor


def test_bloc4_transcripts_carry_the_sessions_own_draw() -> None:
    """A buyer with a band plays thresholds drawn per session: the grid places the price against those."""
    from personas.engine.thresholds import draw_thresholds

    bloc4 = next(p for p in load_library().values() if p.bloc == 4 and p.negotiation and p.negotiation.session_band)
    assert bloc4.negotiation is not None
    drawn = next(d for seed in range(1, 50) if (d := draw_thresholds(bloc4.negotiation, seed)).factor != 1.0)
    session = session_for(bloc4.id)
    session.state = {"thresholds": drawn.model_dump(mode="json")}
    negotiation = transcript_of(session, []).negotiation
    assert negotiation is not None
    assert (negotiation.buyer_opening, negotiation.buyer_target, negotiation.walk_away) == (
        drawn.opening, drawn.target, drawn.walk_away)
    assert negotiation.walk_away != bloc4.negotiation.walk_away
    assert negotiation.floor == bloc4.negotiation.candidate_floor  # the candidate's brief never moves


def test_bloc2_transcripts_have_no_thresholds() -> None:
    bloc2 = next(p for p in load_library().values() if p.bloc == 2)
    assert transcript_of(session_for(bloc2.id), []).negotiation is None


def test_a_session_without_candidate_turns_gets_an_explained_empty_report() -> None:
    bloc2 = next(p for p in load_library().values() if p.bloc == 2)
    turns = [Turn(session_id="s1", seq=0, speaker_role="persona", speaker_id="p", speaker_name="P", text="Bonjour.")]
    report = score_session(session_for(bloc2.id), turns)
    assert report["empty"] is True and "candidat" in report["message"]
    assert report["conversation"]["questions"] == 0
