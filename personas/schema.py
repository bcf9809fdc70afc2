"""Typed model of one persona YAML file (pydantic v2).

Field-level rules live here; rules that relate several fields (thresholds, references between
needs/objections/speakers, lines for every situation) live in ``personas.checks`` so each can name
the exact field at fault. ``extra="forbid"`` everywhere: a misspelt key is an error, not a silent
default.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from personas.intents import Intent

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
Text = Annotated[str, Field(min_length=1)]
Unit = Annotated[float, Field(ge=0.0, le=1.0)]


def _number_as_text(value: Any) -> Any:
    """YAML reads ``- 900`` as a number; a keyword is always text."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


Keyword = Annotated[str, BeforeValidator(_number_as_text), Field(min_length=1)]
Outcome = Literal["deal", "follow_up_meeting", "agreement", "no_deal", "no_agreement", "walk_out", "deal_below_floor"]
SUCCESS_OUTCOMES: frozenset[str] = frozenset({"deal", "follow_up_meeting", "agreement"})
# The French words for each outcome, shown wherever an outcome is (web pages via api/formatting.py, lint).
OUTCOME_LABELS: dict[str, str] = {
    "deal": "accord conclu", "agreement": "accord trouvé", "follow_up_meeting": "rendez-vous de suivi obtenu",
    "no_deal": "pas d'accord", "no_agreement": "pas d'accord entre les parties", "walk_out": "départ du persona",
    "deal_below_floor": "accord sous le prix plancher",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Speaker(_Model):
    """Someone the engine speaks as. Bloc 5 has one per team member (one or two); blocs 2 and 4 one."""

    id: Slug
    name: Text
    role: Text
    # Grammatical gender for the words the site writes about the speaker (« Interlocutrice »); optional,
    # the web app otherwise reads it from a feminine role word (« Directrice… »).
    gender: Literal["f", "m"] | None = None


class Brief(_Model):
    """What the candidate reads before starting (shown by the web app)."""

    context: Text
    candidate_role: Text
    objectives: list[Text] = Field(min_length=1)
    duration_minutes: int = Field(ge=5, le=90)
    assessed: list[Text] = Field(min_length=1)


class Company(_Model):
    """The persona's organisation: gives the candidate material for discovery questions."""

    name: Text
    sector: Text
    size: Text
    location: Text
    figures: dict[str, str] = Field(default_factory=dict)
    context: str = ""


COMPANY_FIELDS = ("name", "sector", "size", "location")


class Fact(_Model):
    """A fact about the persona's organisation, said when the candidate asks for it directly.

    ``id`` is a ``company.figures`` key, one of ``name``, ``sector``, ``size``, ``location`` (the
    ``company`` fields), or a fact of its own (history, current supplier, decision process…). What
    makes it available: a direct question on it (``keywords``, or the reading's topic ``fact:<id>``),
    trust at least ``min_trust`` and the needs of ``after_needs`` already revealed (a topic opened);
    otherwise the persona refuses in character and says why (``refusal``).
    """

    id: Slug
    keywords: list[Keyword] = Field(min_length=1)
    answer: list[Text] = Field(min_length=1)
    # The figure the persona corrects a wrong one with (« Non, 85. »); by default the company value.
    value: Text | None = None
    min_trust: Unit = 0.0
    after_needs: list[Slug] = Field(default_factory=list)
    refusal: list[Text] = Field(default_factory=list)
    speaker: Slug | None = None


class Personality(_Model):
    """Temperament and the engine parameters that follow from it.

    The numbers make personalities play differently: a guarded buyer starts with low trust and
    needs more open questions; a hot-tempered one walks out sooner.
    """

    traits: list[Text] = Field(min_length=1)
    communication_style: Text
    initial_trust: Unit = 0.3
    initial_tension: Unit = 0.1
    walkout_tension: Unit = 0.9
    monologue_words: int = Field(default=70, ge=20, le=400)
    monologue_patience: int = Field(default=1, ge=0, le=5)
    closed_streak_limit: int = Field(default=3, ge=2, le=10)
    small_talk_patience: int = Field(default=2, ge=0, le=5)
    max_turns: int = Field(default=30, ge=8, le=80)


class HiddenNeed(_Model):
    """Information the persona gives only to a good open question on its topic, with enough trust."""

    id: Slug
    label: Text
    speaker: Slug | None = None
    topics: list[Intent] = Field(min_length=1)
    keywords: list[Keyword] = Field(default_factory=list)
    min_trust: Unit = 0.3
    reveal: list[Text] = Field(min_length=1)
    essential: bool = True
    # The next layers (SPIN: problem → implication → need-payoff), given one by one to follow-up
    # questions on this need once it is revealed; then the persona recalls what it said.
    deeper: list[Text] = Field(default_factory=list)


ObjectionTrigger = Literal[
    "price_before_discovery",
    "offer_before_discovery",
    "offer_presented",
    "price_proposed",
    "closing_attempt",
    "keyword",
]


def _default_resolution() -> list[Intent]:
    return ["handle_objection"]


class Objection(_Model):
    """An objection: when it is raised, and what the candidate must do to resolve it."""

    id: Slug
    speaker: Slug | None = None
    trigger: ObjectionTrigger
    keywords: list[Keyword] = Field(default_factory=list)
    lines: list[Text] = Field(min_length=1)
    resolved_by: list[Intent] = Field(default_factory=_default_resolution, min_length=1)
    requires_needs: list[Slug] = Field(default_factory=list)
    resolution_keywords: list[Keyword] = Field(default_factory=list)
    resolved_lines: list[Text] = Field(min_length=1)
    unresolved_lines: list[Text] = Field(min_length=1)


class Counterpart(_Model):
    """Something traded in a negotiation, recognised in the candidate's text by keywords."""

    id: Slug
    label: Text
    keywords: list[Keyword] = Field(min_length=1)


class Negotiation(_Model):
    """Hidden price thresholds of a buyer (the persona wants to pay less).

    ``opening`` < ``target`` < ``walk_away``: the buyer opens low, hopes for ``target`` and never
    pays more than ``walk_away`` (never said aloud). ``concession_pattern`` gives, per round, the
    share of ``walk_away - opening`` the buyer moves; its sum stays below 1 so a counter-offer never
    reaches the limit. ``candidate_floor`` is the seller's own minimum written in the brief: a deal
    below it is ``deal_below_floor``. ``session_band`` (a share, 0 to 0.15) moves the buyer's three
    thresholds by one factor drawn per session from its seed (``personas.engine.thresholds``), so
    that the limit cannot be found by bisection across sessions.
    """

    unit_label: Text = "€ HT"
    candidate_list_price: float = Field(gt=0)
    candidate_floor: float = Field(gt=0)
    opening: float = Field(gt=0)
    target: float = Field(gt=0)
    walk_away: float = Field(gt=0)
    concession_pattern: list[Annotated[float, Field(gt=0.0, lt=1.0)]] = Field(min_length=1)
    rounding: float = Field(default=500.0, gt=0)
    wants_in_exchange: list[Counterpart] = Field(min_length=1)
    can_give: list[Counterpart] = Field(min_length=1)
    patience_rounds: int = Field(ge=2, le=15)
    min_counterparts_for_deal: int = Field(default=1, ge=0, le=5)
    needs_before_price: int = Field(default=1, ge=0, le=10)
    session_band: float = Field(default=0.0, ge=0.0, le=0.15)


class Grievance(_Model):
    """What a team member holds against the other, voiced when invited to speak."""

    id: Slug
    lines: list[Text] = Field(min_length=1)
    keywords: list[Keyword] = Field(min_length=1)


class TeamMember(_Model):
    """One side of the Bloc 5 conflict, or the one team member of a manager's one-to-one."""

    speaker: Slug
    initial_tension: Unit = 0.5
    grievances: list[Grievance] = Field(min_length=1)
    interests: list[Slug] = Field(min_length=1)
    triggers: list[Keyword] = Field(min_length=1)
    calmed_by: list[Intent] = Field(min_length=1)
    solution_keywords: list[Keyword] = Field(min_length=1)


# How many members a Bloc 5 team may have: two in a mediation, one in a one-to-one (coaching,
# recadrage, motivation). Checked in ``personas.checks`` so the message can say what each count means.
TEAM_SIZES = (1, 2)


class Team(_Model):
    """Bloc 5: the two members in conflict, or the one member a manager meets (the engine plays them).

    ``conflict`` is the issue at stake: the dispute between two members, or what the manager must
    address with one (results, attitude, motivation).
    """

    members: list[TeamMember]
    conflict: Text

    @property
    def one_to_one(self) -> bool:
        """A single member: nobody interrupts, nobody takes sides, « both accept » means « they accept »."""
        return len(self.members) == 1


class EndConditions(_Model):
    """How the exercise can end and what makes it a success."""

    success_outcome: Literal["deal", "follow_up_meeting", "agreement"]
    min_needs_revealed: int = Field(default=2, ge=0, le=20)
    require_summary: bool = True
    require_objections_resolved: bool = True
    max_closing_attempts: int = Field(default=3, ge=1, le=10)


LineVariants = list[Text]


class Persona(_Model):
    """One role-play persona file. The API pins ``model_dump(mode="json")`` into each session."""

    id: Slug
    version: Annotated[str, Field(pattern=r"^\d+(\.\d+){0,2}$")]
    bloc: Literal[2, 4, 5]
    role: Text
    title: Text
    language: Literal["fr"] = "fr"
    speakers: list[Speaker] = Field(min_length=1, max_length=2)
    brief: Brief
    company: Company
    personality: Personality
    needs: list[HiddenNeed] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    objections: list[Objection] = Field(default_factory=list)
    negotiation: Negotiation | None = None
    team: Team | None = None
    lines: dict[str, dict[str, LineVariants]]
    end_conditions: EndConditions

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        """YAML reads ``version: 1.0`` as a float; accept it as the text the author meant."""
        return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value

    @field_validator("lines", mode="before")
    @classmethod
    def _lines_shorthand(cls, value: Any, info: Any) -> Any:
        """A plain list of variants belongs to the first speaker (the usual single-persona case)."""
        if not isinstance(value, dict):
            return value
        speakers = info.data.get("speakers") or []
        first = speakers[0].id if speakers else "_"
        return {key: ({first: variants} if isinstance(variants, list) else variants) for key, variants in value.items()}

    def speaker(self, speaker_id: str) -> Speaker:
        """The speaker with this id (the first one for unknown ids, which the checks forbid)."""
        return next((s for s in self.speakers if s.id == speaker_id), self.speakers[0])

    @property
    def main_speaker(self) -> Speaker:
        return self.speakers[0]

    def fact_value(self, fact: Fact) -> str | None:
        """The fact's value as said in a correction: its own, else the company's figure or field."""
        if fact.value is not None:
            return fact.value
        if fact.id in self.company.figures:
            return self.company.figures[fact.id]
        return getattr(self.company, fact.id) if fact.id in COMPANY_FIELDS else None
