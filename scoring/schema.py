"""Data models of the per-turn annotation contract (no spaCy import: cheap to import anywhere).

``scoring.annotate`` re-exports them; ``AnnotateInput``/``TurnAnnotation`` are the contract types.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

QuestionType = Literal["open", "closed"]
# The kind of conversation a turn belongs to: it sets the prior of the reformulation detector (in
# counselling most statements about the other person reflect; in a sales talk many are pitches).
Genre = Literal["sales", "negotiation", "mediation", "counselling"]
GENRE_OF_BLOC: dict[int, Genre] = {2: "sales", 4: "negotiation", 5: "mediation"}
Assertiveness = Literal["assertive", "aggressive", "passive", "neutral"]


QuestionSubtype = Literal["ouverte", "precise", "fermee", "alternative", "suggestive", "rhetorique"]
ReformulationAccuracy = Literal["accurate", "partial", "inaccurate"]
# Bump when the reading of a turn changes: a stored reading made by an older reader is re-read.
READER_VERSION = "4.2"
# Turns before a candidate turn that its reading sees (live in the action server and in the report).
# Whose figure an amount is needs the figures said long before (who said 310 000 € first, twenty turns
# ago): grouped CV of the amount roles on sets A–D 0.712 with 8 turns, 0.740 with 24, 0.742 with 32.
READING_CONTEXT_TURNS = 24
# The turns a restatement is checked against (``scoring.accuracy``): its figures and facts are those
# of the partner's recent turns (with all 24 turns the judgement fell from 0.833 to 0.755 on set D).
NEAR_CONTEXT_TURNS = 8


class ContextTurn(BaseModel):
    """A previous turn: "self" is the annotated speaker, "other" the interlocutor.

    ``speaker_id`` names which of the partner's speakers said it (Bloc 5 has two).
    """

    speaker: Literal["self", "other"]
    text: str
    speaker_id: str | None = None


class SpeakerRef(BaseModel):
    """One of the partner's speakers, as the candidate may address them."""

    id: str
    name: str = ""


class TopicRef(BaseModel):
    """A need, fact or objection of the persona a turn may be about (keywords and a description)."""

    id: str
    text: str = ""
    keywords: list[str] = Field(default_factory=list)


class AnnotateInput(BaseModel):
    """One turn to annotate, with its previous turns oldest first."""

    id: str | int
    lang: str = "fr"
    text: str
    context: list[ContextTurn] = Field(default_factory=list)
    genre: Genre | None = None  # None: the language default (see scoring.reformulation.config_for)
    speakers: list[SpeakerRef] = Field(default_factory=list)
    topics: list[TopicRef] = Field(default_factory=list)
    when: datetime | None = None  # when the turn was said: dates (« jeudi ») resolve against it


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


class AmountOut(BaseModel):
    """A money amount or percentage with its owner (see scoring.amount_roles)."""

    value: float
    unit: str
    role: Literal["own_offer", "partner_figure", "other"]
    text: str
    period: str | None = None
    tax: str | None = None
    computed: bool = False
    cue: str | None = None


class DateOut(BaseModel):
    """A date or delay stated in the turn, resolved against the session's day when possible."""

    text: str
    iso: str | None = None  # the resolved day (YYYY-MM-DD) or date-time
    kind: Literal["date", "delay", "deadline"] = "date"


class Stance(BaseModel):
    """Bloc 5: whom the candidate sides with or blames (speaker ids), with the words that show it."""

    sides_with: str | None = None
    blames: str | None = None
    evidence: list[str] = Field(default_factory=list)


class TurnAnnotation(BaseModel):
    """The one reading of a candidate turn: labels of the evaluation contract plus their evidence.

    Computed once (by the action server during the session), stored with the turn, and used as-is by
    the persona engine, the studio's live panel and the final report and grid.
    """

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
    # --- content of the turn (reader 2) ---
    question_subtype: QuestionSubtype | None = None
    relance: bool = False  # a question that follows up the partner's last words
    stakeholder_question: bool = False  # asks who takes part in the decision
    amounts: list[AmountOut] = Field(default_factory=list)
    offer: float | None = None  # the candidate's own price now (conditional offers included)
    offer_discount: float | None = None  # a discount in percent granted now, with no price
    offer_ambiguous: bool = False  # several different own prices: the persona should ask
    asks_counterpart: bool = False  # something asked in exchange (« si vous signez trois ans… »)
    dates: list[DateOut] = Field(default_factory=list)
    addressee: list[str] = Field(default_factory=list)  # speaker ids; [] = everyone / nobody in particular
    reformulation_accuracy: ReformulationAccuracy | None = None
    reformulation_mismatches: list[str] = Field(default_factory=list)
    # A closing recap checked against everything the partner said (null when the turn is no summary).
    summary_accuracy: ReformulationAccuracy | None = None
    summary_mismatches: list[str] = Field(default_factory=list)
    stance: Stance | None = None
    topics: list[str] = Field(default_factory=list)  # ids of the persona's needs/facts/objections
    reader_version: str = READER_VERSION


# The name the rest of the product uses: one reading per candidate turn.
TurnReading = TurnAnnotation
