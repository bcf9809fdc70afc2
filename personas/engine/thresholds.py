"""The buyer's hidden thresholds for one session, drawn within the band the trainer set.

Why: with the same thresholds in every session, a candidate can find the walk-away price by
bisection over a handful of sessions and then "win" without negotiating. Each session therefore
moves the buyer's opening, target and walk-away by one common factor drawn from its seed within
``negotiation.session_band`` (± a share, e.g. 0.04 = ± 4 %). One common factor keeps the persona's
design intact (opening < target < walk-away, the concession steps in proportion) and the draw is
deterministic: the same seed (a trainer's try-it, an exam's equivalent form) gives the same
thresholds, which the engine records in its state for the juror's debrief after the session.

The candidate's own figures (list price, floor) come from the brief and never move.
"""

from __future__ import annotations

import math
import random

from pydantic import BaseModel

from personas.schema import Negotiation, Persona


class SessionThresholds(BaseModel):
    """What one session's buyer would accept: recorded in the engine state, shown after the session."""

    factor: float
    opening: float
    target: float
    walk_away: float


def _round_to(value: float, step: float) -> float:
    return math.floor(value / step + 0.5) * step


def draw_thresholds(n: Negotiation, seed: int) -> SessionThresholds:
    """The session's thresholds: the persona's own when it has no band, else one seeded draw."""
    if n.session_band <= 0:
        return SessionThresholds(factor=1.0, opening=n.opening, target=n.target, walk_away=n.walk_away)
    factor = 1.0 + random.Random(f"{seed}:thresholds").uniform(-n.session_band, n.session_band)
    opening, target, walk_away = (_round_to(v * factor, n.rounding) for v in (n.opening, n.target, n.walk_away))
    if not opening < target < walk_away:  # a band too narrow for the rounding step: keep the design
        return SessionThresholds(factor=1.0, opening=n.opening, target=n.target, walk_away=n.walk_away)
    return SessionThresholds(factor=round(factor, 6), opening=opening, target=target, walk_away=walk_away)


def with_thresholds(persona: Persona, thresholds: SessionThresholds) -> Persona:
    """The persona as this session plays it (a copy; the library's persona is never changed)."""
    n = persona.negotiation
    if n is None:
        return persona
    drawn = n.model_copy(update={"opening": thresholds.opening, "target": thresholds.target,
                                 "walk_away": thresholds.walk_away})
    return persona.model_copy(update={"negotiation": drawn})


def extreme_thresholds(n: Negotiation) -> tuple[SessionThresholds, SessionThresholds]:
    """The lowest and highest thresholds the band allows (for lint: is every draw still playable?)."""
    low, high = 1.0 - n.session_band, 1.0 + n.session_band
    return tuple(  # type: ignore[return-value]
        SessionThresholds(factor=f, opening=_round_to(n.opening * f, n.rounding),
                          target=_round_to(n.target * f, n.rounding), walk_away=_round_to(n.walk_away * f, n.rounding))
        for f in (low, high)
    )
