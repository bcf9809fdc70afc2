"""Published reliability of each automatic criterion, measured against jurors on untouched transcripts.

``python -m scoring.validity DIR --part untouched --publish`` writes ``scoring/rubrics/reliability.json``;
the juror's review page reads it to say, per criterion, how far the automatic level can be trusted
(« fiabilité mesurée : κ 0,72 sur 24 transcriptions »). A criterion without a published figure —
or measured with another rubric version than the one that graded the session — is « fiabilité non
mesurée »: a juror must never read a figure that belongs to other thresholds.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

RELIABILITY_FILE = Path(__file__).parent / "rubrics" / "reliability.json"


class CriterionReliability(BaseModel):
    """Agreement of the automatic level with the graders' consensus on one criterion."""

    n: int
    exact: float | None = None
    within_one: float | None = None
    kappa_w: float | None = None
    bias: float | None = None
    auto_high_where_zero: int = 0


class BlocReliability(BaseModel):
    """One bloc: the rubric version measured and each criterion's figures."""

    rubric_version: str
    criteria: dict[str, CriterionReliability] = Field(default_factory=dict)


class Reliability(BaseModel):
    """The published file."""

    part: str = "untouched"
    source: str = ""
    transcripts: int = 0
    blocs: dict[str, BlocReliability] = Field(default_factory=dict)


@lru_cache(maxsize=4)
def load_reliability(path: str | None = None) -> Reliability | None:
    """The published reliability (cached); None when nothing was published or the file is unreadable."""
    p = Path(path) if path else RELIABILITY_FILE
    try:
        return Reliability.model_validate(json.loads(p.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def criterion_reliability(bloc: int | None, criterion_id: str, rubric_version: str | None = None,
                          path: str | None = None) -> CriterionReliability | None:
    """The measured figures of one criterion, if published for that bloc (and rubric version, if given)."""
    data = load_reliability(path)
    if data is None or bloc is None:
        return None
    entry = data.blocs.get(str(bloc))
    if entry is None or (rubric_version and entry.rubric_version != rubric_version):
        return None
    return entry.criteria.get(criterion_id)
