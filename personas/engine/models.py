"""Data exchanged with the engine (contract types) and the JSON-able session state."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Stage = Literal["decouverte", "argumentation", "negociation", "conclusion"]


class TurnSignals(BaseModel):
    """Per-turn labels from ``scoring.annotate`` (how the candidate spoke), computed by the action.

    Extra fields (evidence, markers) are ignored: the engine only needs these five.
    """

    model_config = ConfigDict(extra="ignore")

    is_question: bool = False
    question_type: Literal["open", "closed"] | None = None
    is_reformulation: bool = False
    is_summary: bool = False
    assertiveness: str | float | None = None


class CandidateTurn(BaseModel):
    """One candidate message as understood by the NLU (and optionally the scoring analysis)."""

    text: str
    intent: str
    confidence: float = 1.0
    entities: list[dict[str, Any]] = Field(default_factory=list)
    analysis: TurnSignals | None = None


class Line(BaseModel):
    """One line said by a persona speaker (``speaker`` is the display name)."""

    speaker_id: str
    speaker: str
    text: str


class TurnResult(BaseModel):
    """What ``play_turn`` returns; ``state`` is the JSON-able dict to pass back next turn."""

    lines: list[Line]
    state: dict[str, Any]
    ended: bool
    outcome: str | None


class NegotiationState(BaseModel):
    """Bloc 4 price talk, as recorded for the debrief (concessions on each side, rounds)."""

    rounds: int = 0
    step: int = 0
    persona_offer: float | None = None
    persona_offers: list[float] = Field(default_factory=list)
    candidate_offers: list[float] = Field(default_factory=list)
    candidate_concessions: int = 0
    concessions_without_counterpart: int = 0
    counterparts_obtained: list[str] = Field(default_factory=list)
    demands_made: list[str] = Field(default_factory=list)
    persona_concessions: int = 0
    agreed_price: float | None = None
    deal: bool | None = None
    final_price: float | None = None


class MemberState(BaseModel):
    """Bloc 5: how one team member feels and what they have said."""

    tension: float
    grievances_voiced: list[str] = Field(default_factory=list)
    solution_accepted: bool = False
    turns_spoken: int = 0


class EngineState(BaseModel):
    """Everything the engine remembers between turns (the API stores it, not Rasa)."""

    persona_id: str
    persona_version: str
    turn: int = 0
    stage: Stage = "decouverte"
    trust: float
    tension: float
    revealed_needs: list[str] = Field(default_factory=list)
    raised_objections: list[str] = Field(default_factory=list)
    open_objections: list[str] = Field(default_factory=list)
    resolved_objections: list[str] = Field(default_factory=list)
    greeted: bool = False
    small_talk: int = 0
    closed_streak: int = 0
    monologues: int = 0
    open_questions: int = 0
    closed_questions: int = 0
    reformulations: int = 0
    summary_turn: int | None = None
    closing_objection_turn: int | None = None  # when a closing attempt raised the last-minute objection
    offer_presented: bool = False
    closing_attempts: int = 0
    ground_rules: bool = False
    reframed: bool = False
    solution_agreed: bool = False
    members: dict[str, MemberState] = Field(default_factory=dict)
    negotiation: NegotiationState | None = None
    used_lines: dict[str, list[int]] = Field(default_factory=dict)
    ended: bool = False
    outcome: str | None = None
    events: list[str] = Field(default_factory=list)
