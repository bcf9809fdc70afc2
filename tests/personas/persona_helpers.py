"""Small builders shared by the persona tests."""

from pathlib import Path

import yaml

from personas.engine import CandidateTurn, TurnSignals, play_turn
from personas.engine.thresholds import draw_thresholds, with_thresholds
from personas.loader import LIBRARY_DIR

LIBRARY_FILES = sorted(LIBRARY_DIR.glob("*.yaml"))


def session_negotiation(persona, seed: int):
    """The persona's negotiation with the thresholds a session of this seed draws."""
    return with_thresholds(persona, draw_thresholds(persona.negotiation, seed)).negotiation


def raw(persona_id: str) -> dict:
    return yaml.safe_load((LIBRARY_DIR / f"{persona_id}.yaml").read_text(encoding="utf-8"))


def first_of_bloc(bloc: int) -> str:
    for path in LIBRARY_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data["bloc"] == bloc:
            return data["id"]
    raise AssertionError(f"no bloc {bloc} persona")


def write(tmp_path: Path, data: dict, name: str = "persona.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def turn(text: str, intent: str, confidence: float = 0.95, analysis: TurnSignals | None = None) -> CandidateTurn:
    return CandidateTurn(text=text, intent=intent, confidence=confidence, analysis=analysis)


class Session:
    """Drives the engine turn by turn, keeping the state like the API does."""

    def __init__(self, persona, seed: int = 11):
        self.persona = persona
        self.seed = seed
        self.state = None
        self.results = []

    def say(self, text: str, intent: str, **kwargs):
        result = play_turn(self.persona, self.state, turn(text, intent, **kwargs), self.seed)
        self.state = result.state
        self.results.append(result)
        return result

    @property
    def negotiation(self):
        """The buyer's negotiation as this session plays it (thresholds drawn from its seed)."""
        return session_negotiation(self.persona, self.seed)

    @property
    def events(self) -> list[str]:
        return [e.split(":", 1)[1] for e in self.state["events"]]
