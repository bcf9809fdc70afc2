"""What the persona engine recorded about a session, read from its final state (pure, no engine import).

The turn readings say what the candidate's words look like; the engine knows what they *did*: which
offers it heard, which concessions came with a counterpart it accepted, the price it agreed to, which
team member accepted or refused a solution. When a transcript carries that record
(``Transcript.engine``), the grid and the report use it rather than re-reading prices from the text.
Same parts as ``personas.debrief`` reads, without needing the persona file.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from scoring.transcript import Transcript

# Outcomes in the engine's words, said in French for the report (personas.debrief says them too).
OUTCOME_FR = {
    "deal": "accord conclu",
    "follow_up_meeting": "rendez-vous de suite obtenu",
    "agreement": "accord entre les membres de l'équipe",
    "deal_below_floor": "accord signé sous le plancher ou sans contreparties suffisantes",
    "no_deal": "pas d'accord",
    "no_agreement": "pas d'accord entre les membres",
    "walk_out": "l'interlocuteur a quitté l'entretien",
}
# A Bloc 5 one-to-one (one team member, the manager's coaching or recadrage): no « members » to agree.
OUTCOME_FR_ONE_TO_ONE = {
    **OUTCOME_FR,
    "agreement": "accord trouvé avec le membre de l'équipe",
    "no_agreement": "pas d'accord avec le membre de l'équipe",
}
_CONCESSION_EVENTS = {"counterpart", "concession_without_counterpart", "concession_vague",
                      "concession_with_counterpart"}


class Concession(BaseModel):
    """One concession of the candidate as the engine counted it (candidate turn number, 1-based)."""

    turn: int | None = None
    from_price: float | None = None
    to_price: float | None = None
    counterpart: str | None = None  # id of the counterpart the buyer granted in exchange; None: given
    traded: bool = False


class NegotiationRecord(BaseModel):
    """Bloc 4: the engine's price path and where the agreed price stands."""

    outcome: str | None = None
    outcome_fr: str = "séance non terminée"
    ended: bool = False
    unit_label: str = "€ HT"
    candidate_offers: list[float] = Field(default_factory=list)
    persona_offers: list[float] = Field(default_factory=list)
    candidate_opening: float | None = None
    persona_opening: float | None = None
    concessions: list[Concession] = Field(default_factory=list)
    concessions_given: int = 0  # without a counterpart the buyer granted
    counterparts_obtained: list[str] = Field(default_factory=list)
    agreed_price: float | None = None
    deal: bool | None = None
    floor: float | None = None
    list_price: float | None = None
    buyer_target: float | None = None
    walk_away: float | None = None
    offers_below_floor: list[float] = Field(default_factory=list)
    floor_kept: bool | None = None  # None: no price agreed or no floor known
    position_fr: str = ""


class MediationRecord(BaseModel):
    """Bloc 5: whether the members accepted the solution, as the engine decided it."""

    outcome: str | None = None
    ended: bool = False
    solution_agreed: bool = False
    accepted_by: list[str] = Field(default_factory=list)
    refused_by: list[str] = Field(default_factory=list)  # members who rejected a solution and never accepted


class EngineEvent(BaseModel):
    """One engine event: the candidate turn it happened on (1-based) and its name and argument."""

    turn: int
    name: str
    arg: str = ""


def events_of(transcript: Transcript) -> list[EngineEvent]:
    """The engine's events (« 3:need_revealed:budget ») parsed; [] without a record."""
    if transcript.engine is None:
        return []
    out = []
    for raw in transcript.engine.state.get("events") or []:
        head, _, rest = str(raw).partition(":")
        if not head.isdigit() or not rest:
            continue
        name, _, arg = rest.partition(":")
        out.append(EngineEvent(turn=int(head), name=name, arg=arg))
    return out


def _floats(values: Any) -> list[float]:
    return [float(v) for v in values or [] if isinstance(v, int | float)]


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def negotiation_record(transcript: Transcript) -> NegotiationRecord | None:
    """The engine's negotiation record, placed against the transcript's thresholds; None when the
    engine kept no negotiation (no record, or no price talk in the session)."""
    engine = transcript.engine
    if engine is None or not isinstance(engine.state.get("negotiation"), dict):
        return None
    neg: dict[str, Any] = engine.state["negotiation"]
    th = transcript.negotiation
    outcome = engine.outcome or engine.state.get("outcome")
    rec = NegotiationRecord(
        outcome=outcome, outcome_fr=OUTCOME_FR.get(outcome or "", "séance non terminée"),
        ended=bool(engine.ended_reason or engine.state.get("ended")),
        unit_label=th.unit_label if th else "€ HT",
        candidate_offers=_floats(neg.get("candidate_offers")), persona_offers=_floats(neg.get("persona_offers")),
        counterparts_obtained=[str(c) for c in neg.get("counterparts_obtained") or []],
        agreed_price=_num(neg.get("agreed_price")) or _num(neg.get("final_price")),
        deal=neg.get("deal") if isinstance(neg.get("deal"), bool) else None,
        floor=th.floor if th else None, list_price=th.list_price if th else None,
        buyer_target=th.buyer_target if th else None, walk_away=th.walk_away if th else None,
    )
    rec.candidate_opening = rec.candidate_offers[0] if rec.candidate_offers else None
    rec.persona_opening = rec.persona_offers[0] if rec.persona_offers else (th.buyer_opening if th else None)
    steps = [(a, b) for a, b in zip(rec.candidate_offers, rec.candidate_offers[1:], strict=False) if b < a]
    moves = [e for e in events_of(transcript) if e.name in _CONCESSION_EVENTS]
    # A priced concession is paired with the engine's concession events in order when they match one
    # to one; otherwise (concessions said without a price) the events stand alone, without prices.
    paired = len(moves) == len(steps)
    for k, event in enumerate(moves):
        traded = event.name in ("counterpart", "concession_with_counterpart")
        rec.concessions.append(Concession(
            turn=event.turn, traded=traded, counterpart=event.arg or None if event.name == "counterpart" else None,
            from_price=steps[k][0] if paired else None, to_price=steps[k][1] if paired else None))
    if not moves:
        # An older state without events: only the counts are known, not which concession was given.
        given = min(len(steps), int(neg.get("concessions_without_counterpart") or 0))
        rec.concessions = [Concession(from_price=a, to_price=b, traded=k < len(steps) - given)
                           for k, (a, b) in enumerate(steps)]
    rec.concessions_given = sum(1 for c in rec.concessions if not c.traded)
    if rec.floor is not None:
        rec.offers_below_floor = [v for v in rec.candidate_offers if v < rec.floor]
        if rec.agreed_price is not None:
            rec.floor_kept = rec.agreed_price >= rec.floor
    rec.position_fr = _position_fr(rec)
    return rec


def _position_fr(rec: NegotiationRecord) -> str:
    price = rec.agreed_price
    if price is None:
        return "aucun prix convenu"
    parts = []
    if rec.floor is not None:
        parts.append("au-dessus ou au niveau du plancher du candidat" if price >= rec.floor
                     else "sous le plancher du candidat")
    if rec.walk_away is not None and price <= rec.walk_away:
        parts.append("dans la limite de l'acheteur")
    if rec.buyer_target is not None and price <= rec.buyer_target:
        parts.append("au niveau de la cible de l'acheteur ou en dessous")
    return ", ".join(parts)


def mediation_record(transcript: Transcript) -> MediationRecord | None:
    """The engine's view of the mediation's outcome; None without a record or without members."""
    engine = transcript.engine
    members = engine.state.get("members") if engine is not None else None
    if engine is None or not isinstance(members, dict) or not members:
        return None
    accepted = sorted(str(k) for k, m in members.items() if isinstance(m, dict) and m.get("solution_accepted"))
    rejected = {e.arg for e in events_of(transcript) if e.name == "solution_rejected"}
    return MediationRecord(outcome=engine.outcome or engine.state.get("outcome"),
                           ended=bool(engine.ended_reason or engine.state.get("ended")),
                           solution_agreed=bool(engine.state.get("solution_agreed")), accepted_by=accepted,
                           refused_by=sorted(r for r in rejected if r and r not in accepted))


# How the engine's interlocutor received a recap: faithful enough to confirm it, or too thin (it left out
# what the interlocutor said, or announced what they never agreed to). Engine event names, not phrases.
RECAP_CONFIRMED_EVENTS = frozenset({"summary_ok", "summary_by_reformulation"})
RECAP_THIN_EVENTS = frozenset({"summary_thin", "summary_inaccurate"})  # inaccurate: the persona corrected it


def recap_reception(transcript: Transcript) -> str | None:
    """``"confirmed"`` when the engine's interlocutor accepted at least one of the candidate's recaps,
    ``"thin"`` when every recap it heard it found thin (not confirmed), None without a record or when it
    heard no recap. Why: a recap is worth what the partner confirms, not the recap phrase itself, and the
    engine decided this while the session ran."""
    names = {e.name for e in events_of(transcript)}
    if names & RECAP_CONFIRMED_EVENTS:
        return "confirmed"
    if names & RECAP_THIN_EVENTS:
        return "thin"
    return None
