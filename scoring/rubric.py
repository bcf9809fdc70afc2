"""Rubric files (one YAML per bloc): criteria, the rule evaluating each, weights and thresholds.

Validated by pydantic so a typo in a rubric fails loudly at load time, not in front of a juror.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from scoring.errors import ScoringInputError

RUBRIC_DIR = Path(__file__).parent / "rubrics"
EVALUATORS = ("structure", "posture", "listening", "closing", "negotiation_plan", "negotiation_thresholds",
              "stakeholders", "context_presentation", "assertiveness", "jury")
DEFAULT_LEVELS = {0: "Non observé", 1: "Insuffisant", 2: "Satisfaisant", 3: "Maîtrisé"}
# Sub-weights and targets of each evaluator; a rubric criterion may override any of them in
# ``params`` (unknown keys are rejected so a typo cannot silently do nothing).
EVALUATOR_DEFAULTS: dict[str, dict[str, float]] = {
    "listening": {"w_questions": 0.4, "w_reformulations": 0.3, "w_balance": 0.15, "w_reception": 0.15,
                  "questions_per_turn": 0.35, "min_questions": 3, "reformulations_target": 2,
                  "partial_credit": 0.5, "inaccurate_penalty": 0.5, "pushback_target": 2,
                  "max_talk_share": 0.6, "insult_cap": 1, "closed_credit": 1.0},
    "closing": {"w_present": 0.4, "w_coverage": 0.25, "w_next_steps": 0.2, "w_deadline": 0.15,
                "coverage_target": 0.5, "contradicted_cap": 1, "imposed_cap": 1,
                # Grid 2.4 (0 keeps the 2.3 reading): read the partner's reception of the recap.
                "partner_confirmation": 0.0},
    # Defaults keep the pre-2.3 reading (stages' presence, mean turn length) so that rubric files written
    # for 2.0–2.2 score as before; rubric 2.3 sets the content weights (w_tied, w_synthesis…) and zeroes these.
    "structure": {"w_stages": 0.45, "w_framing": 0.15, "w_no_monologue": 0.15, "w_concise": 0.1,
                  "w_offer": 0.15, "w_discovered_first": 0.0, "w_tied": 0.0, "w_synthesis": 0.0,
                  "min_words_per_turn": 6, "max_words_per_turn": 60, "framing_turns": 2, "greeting_credit": 1.0,
                  "discovery_target": 2, "tied_target": 2, "per_turn": 0.3, "closed_credit": 0.5,
                  "early_pitch_penalty": 0.5, "partner_confirmation": 0.0},
    "posture": {"w_engaged": 0.3, "w_style": 0.2, "w_politeness": 0.05, "w_balance": 0.1, "w_reception": 0.2,
                "w_adaptation": 0.15, "w_discovery": 0.0, "w_members": 0.0, "pushback_target": 2,
                "min_talk_share": 0.25, "max_talk_share": 0.65, "min_engaged_share": 0.5,
                "adaptation_target": 1, "discovery_target": 3, "early_pitch_penalty": 0.5, "members_target": 3,
                "per_turn": 0.3, "sides_target": 2, "refused_penalty": 0.0, "refusals_target": 2, "insult_cap": 1,
                "blame_cap": 1, "imposed_cap": 1},
    "assertiveness": {"w_style": 0.35, "w_desc": 0.25, "w_listening": 0.4, "desc_target": 3,
                      "insult_cap": 1, "blame_cap": 1, "imposed_cap": 1},
    "negotiation_plan": {"w_stages": 0.6, "w_order": 0.4, "w_discovery": 0.0, "w_announced": 0.0,
                         "discovery_target": 4, "early_pitch_penalty": 0.0},
    "negotiation_thresholds": {"w_anchor": 0.25, "w_traded": 0.3, "w_limited": 0.15, "w_floor": 0.3,
                               "max_discount": 0.1, "plausible_low": 0.5, "plausible_high": 1.5,
                               "floor_crossed_cap": 1, "insult_cap": 1, "given_cap": 1,
                               "contradicted_cap": 1, "recap_on_scale": 0.0},
    "stakeholders": {"entities_target": 3, "w_question": 0.5, "w_used": 0.0},
    "context_presentation": {"first_turns": 3},
    "jury": {},
}


class ContentSettings(BaseModel):
    """How the grid reads the content of turns (shared by every criterion of a rubric).

    In the rubric file so that calibration can fit them with the criteria thresholds.
    """

    english_share: float = Field(default=0.35, ge=0, le=1)  # share of English function words
    english_min_words: int = Field(default=2, ge=1)
    answer_min_words: int = Field(default=6, ge=1)  # a persona answer shorter than this gave nothing
    uncertainty_margin: float = Field(default=0.03, ge=0, le=0.5)  # measure this close to a threshold: doubt
    min_support_turns: int = Field(default=2, ge=1)  # a level ≥ 2 resting on fewer turns: doubt
    price_tolerance: float = Field(default=0.005, ge=0, le=0.2)  # recap price vs agreed price


class Criterion(BaseModel):
    """One evaluation criterion of the framework."""

    id: str
    label: str = Field(min_length=3)
    source: str = ""  # where the criterion comes from in the framework
    evaluator: Literal["structure", "posture", "listening", "closing", "negotiation_plan",
                       "negotiation_thresholds", "stakeholders", "context_presentation", "assertiveness",
                       "jury"]
    weight: float = Field(default=1.0, ge=0)
    thresholds: list[float] = Field(default_factory=lambda: [0.25, 0.5, 0.75])
    min_candidate_turns: int = Field(default=3, ge=0)
    jury_note: str = ""
    params: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_params(self) -> Criterion:
        unknown = set(self.params) - set(EVALUATOR_DEFAULTS[self.evaluator])
        if unknown:
            raise ValueError(f"params: paramètre(s) inconnu(s) pour {self.evaluator} : {', '.join(sorted(unknown))}")
        return self

    def settings(self) -> dict[str, float]:
        """The evaluator's defaults overridden by this criterion's params."""
        return {**EVALUATOR_DEFAULTS[self.evaluator], **self.params}

    @field_validator("thresholds")
    @classmethod
    def _three_increasing(cls, v: list[float]) -> list[float]:
        if len(v) != 3 or any(b < a for a, b in itertools.pairwise(v)):
            raise ValueError("thresholds: trois seuils croissants attendus (niveaux 1, 2, 3)")
        return v


class Rubric(BaseModel):
    """A bloc's grid."""

    bloc: Literal[2, 4, 5]
    version: str
    title: str
    modality: str = ""
    levels: dict[int, str] = Field(default_factory=lambda: dict(DEFAULT_LEVELS))
    content: ContentSettings = Field(default_factory=ContentSettings)
    criteria: list[Criterion] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Rubric:
        ids = [c.id for c in self.criteria]
        if len(ids) != len(set(ids)):
            raise ValueError("criteria: identifiants en double")
        if sorted(self.levels) != [0, 1, 2, 3]:
            raise ValueError("levels: les niveaux 0, 1, 2 et 3 sont attendus")
        return self


def parse_rubric(data: object, where: str = "rubrique") -> Rubric:
    """Validate a rubric mapping with a readable bilingual error."""
    try:
        return Rubric.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise ScoringInputError(f"Rubrique invalide ({where}) : {loc} : {first['msg']}.",
                                f"Invalid rubric ({where}): {loc}: {first['msg']}.") from exc


def load_rubric_file(path: str | Path) -> Rubric:
    """Load and validate a rubric YAML file."""
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScoringInputError(f"Rubrique illisible : {p} ({exc}).", f"Cannot read rubric: {p} ({exc}).") from exc
    return parse_rubric(data, str(p))


@lru_cache(maxsize=8)
def load_rubric(bloc: int) -> Rubric:
    """The packaged rubric of a bloc (``scoring/rubrics/bloc<N>.yaml``), cached."""
    path = RUBRIC_DIR / f"bloc{bloc}.yaml"
    if not path.exists():
        raise ScoringInputError(f"Pas de grille pour le bloc {bloc} (blocs évalués : 2, 4, 5).",
                                f"No grid for bloc {bloc} (graded blocs: 2, 4, 5).")
    return load_rubric_file(path)
