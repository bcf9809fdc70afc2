"""Data exchanged with the engine (contract types) and the JSON-able session state."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from personas.engine.thresholds import SessionThresholds

Stage = Literal["decouverte", "argumentation", "negociation", "conclusion"]


class TurnSignals(BaseModel):
    """The engine's view of the turn reading (``scoring.schema.TurnReading``), computed by the action.

    The engine acts on this reading as-is and keeps no word list of its own for what it covers:
    the same stored reading feeds the report and the grid. Evidence fields are ignored here.
    """

    model_config = ConfigDict(extra="ignore")

    is_question: bool = False
    question_type: Literal["open", "closed"] | None = None
    is_reformulation: bool = False
    is_summary: bool = False
    assertiveness: str | float | None = None
    question_subtype: str | None = None
    stakeholder_question: bool = False
    relance: bool = False
    offer: float | None = None
    offer_discount: float | None = None
    offer_ambiguous: bool = False
    amounts: list[dict[str, Any]] = Field(default_factory=list)
    dates: list[dict[str, Any]] = Field(default_factory=list)
    addressee: list[str] = Field(default_factory=list)
    reformulation_accuracy: Literal["accurate", "partial", "inaccurate"] | None = None
    reformulation_mismatches: list[str] = Field(default_factory=list)
    summary_accuracy: Literal["accurate", "partial", "inaccurate"] | None = None
    summary_mismatches: list[str] = Field(default_factory=list)
    stance: dict[str, Any] | None = None
    topics: list[str] = Field(default_factory=list)
    # Commitments stated in the turn (« je vous envoie le contrat vendredi 11 ») and the negotiation
    # moves the reading found (offer, concession, counterpart, firm): a closing recap is told by them.
    next_steps: list[dict[str, Any]] = Field(default_factory=list)
    negotiation: list[dict[str, Any]] = Field(default_factory=list)
    reader_version: str | None = None

    @property
    def has_content(self) -> bool:
        """Made by the content reader (reader 2 or later): amounts and offer can be trusted."""
        return self.reader_version is not None


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
    # Prices the engine computed (a discount applied to an offer), never said as figures by the seller,
    # and the seller's figures withdrawn since (« je n'ai jamais proposé … »).
    derived_offers: list[float] = Field(default_factory=list)
    withdrawn_offers: list[float] = Field(default_factory=list)
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
    reformulations_heard: list[str] = Field(default_factory=list)  # fingerprints: a repeat earns nothing
    summary_turn: int | None = None
    closing_objection_turn: int | None = None  # when a closing attempt raised the last-minute objection
    offer_presented: bool = False
    closing_attempts: int = 0
    ground_rules: bool = False
    reframed: bool = False
    solution_agreed: bool = False
    members: dict[str, MemberState] = Field(default_factory=dict)
    negotiation: NegotiationState | None = None
    # The buyer's thresholds drawn for this session (Bloc 4), recorded for the debrief after it.
    thresholds: SessionThresholds | None = None
    need_depth: dict[str, int] = Field(default_factory=dict)  # need id -> deeper layers said
    # The last date the candidate proposed (ISO day or date-time): a closing takes it up, not another day.
    proposed_date: str | None = None
    # The words the candidate used for it (« lundi 8 juin à 10 h »): the weekday they named is said back.
    proposed_date_text: str | None = None
    used_lines: dict[str, list[int]] = Field(default_factory=dict)
    english_turns: int = 0  # turns written in English (the first one gets the request to go on in French)
    # Bloc 4: the buyer's wants (``wants_in_exchange``) the candidate has named, granted or discussed:
    # the buyer no longer asks for them as if unheard.
    wants_named: list[str] = Field(default_factory=list)
    ended: bool = False
    outcome: str | None = None
    events: list[str] = Field(default_factory=list)
