"""Persona-side debrief of a session: what the candidate discovered, handled and negotiated.

The scoring package judges *how* the candidate spoke; only the persona knows what was hidden. This
turns the final engine state into facts a trainer can read (French), without revealing thresholds
during the session (call it once the session has ended).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from personas.engine.models import EngineState
from personas.engine.thresholds import with_thresholds
from personas.engine.voice import format_price
from personas.schema import SUCCESS_OUTCOMES, Persona
from scoring.engine_record import OUTCOME_FR, OUTCOME_FR_ONE_TO_ONE


class Debrief(BaseModel):
    """Facts of one session from the persona's side (JSON-able)."""

    outcome: str | None
    outcome_fr: str
    success: bool
    needs_revealed: list[str]
    needs_missed: list[str] = Field(description="Labels of essential needs never revealed")
    objections_resolved: list[str]
    objections_open: list[str]
    negotiation: dict[str, Any] | None
    lines_fr: list[str]


def debrief(persona: Persona, state: dict[str, Any]) -> Debrief:
    """Summarise a final engine state for the report; safe on an unfinished session too."""
    st = EngineState.model_validate(state)
    labels = {n.id: n.label for n in persona.needs}
    revealed = [labels[n] for n in st.revealed_needs if n in labels]
    missed = [n.label for n in persona.needs if n.essential and n.id not in st.revealed_needs]
    objections = {o.id: o for o in persona.objections}
    resolved = [o for o in st.resolved_objections if o in objections]
    words = OUTCOME_FR_ONE_TO_ONE if persona.team is not None and persona.team.one_to_one else OUTCOME_FR
    outcome_fr = words.get(st.outcome or "", "séance non terminée")
    lines = [
        f"Issue : {outcome_fr}.",
        f"Besoins découverts : {len(revealed)}/{len(persona.needs)}"
        + (f" (essentiels manqués : {', '.join(missed)})." if missed else "."),
    ]
    if persona.objections:
        lines.append(f"Objections levées : {len(st.raised_objections)}, traitées : {len(resolved)}.")
    lines.append(
        f"Questions ouvertes : {st.open_questions}, fermées : {st.closed_questions}, "
        f"reformulations : {st.reformulations}."
    )
    negotiation = None
    n, neg = persona.negotiation, st.negotiation
    if n is not None and st.thresholds is not None:  # the session's own draw, not the persona's centre
        n = with_thresholds(persona, st.thresholds).negotiation
    if n is not None and neg is not None:
        negotiation = neg.model_dump(mode="json")
        negotiation["thresholds"] = {"opening": n.opening, "target": n.target, "walk_away": n.walk_away,
                                     "candidate_floor": n.candidate_floor,
                                     "factor": st.thresholds.factor if st.thresholds else 1.0}
        if neg.agreed_price is not None:
            lines.append(
                f"Prix convenu : {format_price(neg.agreed_price, n.unit_label)} "
                f"(votre plancher : {format_price(n.candidate_floor, n.unit_label)}, "
                f"limite cachée de l'acheteur : {format_price(n.walk_away, n.unit_label)})."
            )
        lines.append(
            f"Concessions : {neg.candidate_concessions} dont {neg.concessions_without_counterpart} sans contrepartie ; "
            f"contreparties obtenues : {len(neg.counterparts_obtained)} ; tours de prix : {neg.rounds}."
        )
    if st.members:
        tensions = ", ".join(f"{persona.speaker(sid).name} {m.tension:.0%}" for sid, m in st.members.items())
        lines.append(f"Tension finale : {tensions}.")
    return Debrief(
        outcome=st.outcome,
        outcome_fr=outcome_fr,
        success=st.outcome in SUCCESS_OUTCOMES,
        needs_revealed=revealed,
        needs_missed=missed,
        objections_resolved=[objections[o].id for o in resolved],
        objections_open=list(st.open_objections),
        negotiation=negotiation,
        lines_fr=lines,
    )
