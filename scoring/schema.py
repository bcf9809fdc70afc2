"""Data models of the per-turn annotation contract (no spaCy import: cheap to import anywhere).

``scoring.annotate`` re-exports them; ``AnnotateInput``/``TurnAnnotation`` are the contract types.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

QuestionType = Literal["open", "closed"]
# The kind of conversation a turn belongs to: it sets the prior of the reformulation detector (in
# counselling most statements about the other person reflect; in a sales talk many are pitches).
Genre = Literal["sales", "negotiation", "mediation", "counselling"]
GENRE_OF_BLOC: dict[int, Genre] = {2: "sales", 4: "negotiation", 5: "mediation"}
Assertiveness = Literal["assertive", "aggressive", "passive", "neutral"]


class ContextTurn(BaseModel):
    """A previous turn: "self" is the annotated speaker, "other" the interlocutor."""

    speaker: Literal["self", "other"]
    text: str


class AnnotateInput(BaseModel):
    """One turn to annotate, with its previous turns oldest first."""

    id: str | int
    lang: str = "fr"
    text: str
    context: list[ContextTurn] = Field(default_factory=list)
    genre: Genre | None = None  # None: the language default (see scoring.reformulation.config_for)


class Marker(BaseModel):
    """One marker occurrence in the turn text (character offsets)."""

    family: str
    text: str
    start: int
    end: int


class Reformulation(BaseModel):
    """Evidence for the reformulation decision; ``target_index`` points into the input context."""

    score: float = 0.0
    overlap: float = 0.0
    similarity: float = 0.0
    target_index: int | None = None
    target_text: str | None = None
    target_turn_id: str | None = None  # set when scoring a transcript: the reformulated turn's id
    shared_words: list[str] = Field(default_factory=list)
    markers: list[str] = Field(default_factory=list)
    context_checked: bool = False


class NextStepOut(BaseModel):
    """A commitment stated in the turn."""

    who: str | None = None
    what: str
    when: list[str] = Field(default_factory=list)


class NegotiationMove(BaseModel):
    """An offer, concession, counterpart or firm refusal, with the amounts stated in the turn."""

    move: str
    text: str
    amounts: list[float] = Field(default_factory=list)
    percents: list[float] = Field(default_factory=list)


class TurnAnnotation(BaseModel):
    """Labels of the evaluation contract plus the evidence behind them."""

    id: str | int
    is_question: bool
    question_type: QuestionType | None
    is_reformulation: bool
    is_summary: bool
    assertiveness: Assertiveness
    question_form: str | None = None
    spin: str | None = None
    phatic: bool = False
    question_evidence: list[str] = Field(default_factory=list)
    reformulation: Reformulation = Field(default_factory=Reformulation)
    summary_markers: list[str] = Field(default_factory=list)
    summary_coverage: float | None = None
    next_steps: list[NextStepOut] = Field(default_factory=list)
    assertiveness_scores: dict[str, float] = Field(default_factory=dict)
    assertiveness_markers: list[str] = Field(default_factory=list)
    sentiment: float = 0.0
    subjectivity: float = 0.0
    politeness: list[str] = Field(default_factory=list)
    hesitations: int = 0
    negotiation: list[NegotiationMove] = Field(default_factory=list)
    markers: list[Marker] = Field(default_factory=list)
    words: int = 0
    lang: str = "fr"
