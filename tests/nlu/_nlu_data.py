"""Helpers shared by the NLU data tests: read bot/domain.yml, bot/config.yml and bot/data/**."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
BOT = ROOT / "bot"
DATA = BOT / "data"

# Intent names are a contract with bot/actions (action_persona_reply): see docs/nlu.md.
CONTRACT_INTENTS = [
    "greet", "introduce_self", "small_talk", "ask_situation", "ask_needs", "ask_pain_points",
    "ask_budget", "ask_decision_process", "ask_timing", "ask_competitors", "closed_question",
    "reformulate", "present_offer", "handle_objection", "propose_price", "concede",
    "ask_counterpart", "request_commitment", "propose_next_step", "summarize", "express_empathy",
    "assertive_statement", "aggressive_statement", "apologize", "invite_to_speak",
    "set_ground_rules", "reframe", "propose_solution", "ask_agreement", "goodbye", "out_of_scope",
]
CONTRACT_ENTITIES = ["amount", "percentage", "duration", "date", "quantity"]
PERSONA_ACTION = "action_persona_reply"
MIN_EXAMPLES = 30

# [texte](entite) or [texte]{"entity": "entite", ...}
_ENTITY_MARKUP = re.compile(
    r"\[(?P<text>[^\]]+)\]"
    r"(?:\((?P<name>[\w-]+)\)|\{[^}]*\"entity\"\s*:\s*\"(?P<jname>[\w-]+)\"[^}]*\})"
)


@dataclass(frozen=True)
class Example:
    intent: str
    raw: str
    file: str

    @property
    def text(self) -> str:
        return _ENTITY_MARKUP.sub(lambda m: m.group("text"), self.raw)

    @property
    def entities(self) -> list[tuple[str, str]]:
        return [(m.group("text"), m.group("name") or m.group("jname")) for m in _ENTITY_MARKUP.finditer(self.raw)]


def normalise(text: str) -> str:
    """The key used to detect duplicates: case, spacing and final punctuation do not count."""
    return re.sub(r"\s+", " ", text).strip().strip(" .!?").lower()


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=1)
def domain() -> dict[str, Any]:
    return load_yaml(BOT / "domain.yml")


@lru_cache(maxsize=1)
def config() -> dict[str, Any]:
    return load_yaml(BOT / "config.yml")


def domain_intents() -> list[str]:
    return [i if isinstance(i, str) else next(iter(i)) for i in domain()["intents"]]


def domain_entities() -> list[str]:
    return [e if isinstance(e, str) else next(iter(e)) for e in domain().get("entities", [])]


def data_files() -> list[Path]:
    return sorted(DATA.rglob("*.yml")) + sorted(DATA.rglob("*.yaml"))


@lru_cache(maxsize=1)
def _nlu_items() -> tuple[tuple[str, dict[str, Any]], ...]:
    items = []
    for path in data_files():
        content = load_yaml(path) or {}
        for item in content.get("nlu", []) or []:
            items.append((str(path.relative_to(ROOT)), item))
    return tuple(items)


def _example_lines(block: str) -> list[str]:
    lines = []
    for line in block.splitlines():
        stripped = line.strip()
        if stripped.startswith("- "):
            lines.append(stripped[2:].strip())
        elif stripped:
            raise AssertionError(f"unexpected line in an examples block: {line!r}")
    return lines


@lru_cache(maxsize=1)
def examples() -> tuple[Example, ...]:
    found = []
    for file, item in _nlu_items():
        if "intent" in item:
            for raw in _example_lines(item["examples"]):
                found.append(Example(intent=item["intent"], raw=raw, file=file))
    return tuple(found)


@lru_cache(maxsize=1)
def regexes() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for _file, item in _nlu_items():
        if "regex" in item:
            found.setdefault(item["regex"], []).extend(_example_lines(item["examples"]))
    return found


def regex_matches(name: str, text: str) -> list[str]:
    """What RegexEntityExtractor (case_sensitive: false) extracts for entity `name` in `text`."""
    out = []
    for pattern in regexes()[name]:
        out.extend(m.group(0) for m in re.finditer(pattern, text, flags=re.IGNORECASE))
    return out


@lru_cache(maxsize=1)
def rules() -> tuple[dict[str, Any], ...]:
    found = []
    for path in data_files():
        content = load_yaml(path) or {}
        found.extend(content.get("rules", []) or [])
    return tuple(found)
