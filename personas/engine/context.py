"""The per-turn working set shared by the engine's rule modules."""

from __future__ import annotations

from dataclasses import dataclass

from personas.engine.models import EngineState
from personas.engine.reading import Reading
from personas.engine.voice import Voice
from personas.schema import Persona

SUMMARY_WINDOW = 2


def clamp(value: float) -> float:
    return max(0.0, min(1.0, round(value, 4)))


@dataclass
class TurnContext:
    """Persona, mutable state, the reading of the candidate turn and the voice collecting lines."""

    persona: Persona
    state: EngineState
    reading: Reading
    voice: Voice

    def event(self, name: str) -> None:
        """Record what happened (for tests, lint and the debrief)."""
        self.state.events.append(f"{self.state.turn}:{name}")

    def adjust(self, trust: float = 0.0, tension: float = 0.0) -> None:
        self.state.trust = clamp(self.state.trust + trust)
        self.state.tension = clamp(self.state.tension + tension)

    def advance(self, stage: str) -> None:
        """Move the stage forward only (découverte → argumentation → négociation → conclusion)."""
        order = ["decouverte", "argumentation", "negociation", "conclusion"]
        if order.index(stage) > order.index(self.state.stage):
            self.state.stage = stage  # type: ignore[assignment]

    def end(self, outcome: str) -> None:
        self.state.ended = True
        self.state.outcome = outcome
        self.event(f"end:{outcome}")

    def essential_revealed(self) -> int:
        essential = {n.id for n in self.persona.needs if n.essential}
        return sum(1 for n in self.state.revealed_needs if n in essential)

    def _news_since(self, turn: int) -> bool:
        """Did the persona tell a need or raise an objection after ``turn`` (the recap is then stale)?"""
        news = ("need_revealed:", "need_deepened:", "objection_raised:", "grievance:")
        for event in self.state.events:
            at, _, name = event.partition(":")
            if at.isdigit() and int(at) > turn and name.startswith(news):
                return True
        return False

    def summary_recent(self) -> bool:
        """A summary counts for a closing made in the same turn or the next two, or later as long as
        nothing new (a need told, an objection raised) came after it.

        The turns spent answering the persona's last-minute objection (raised by a closing attempt
        that followed the summary) do not age it: the candidate closes again once it is resolved.
        """
        if self.reading.summary:
            return True
        st = self.state
        if st.summary_turn is None:
            return False
        if st.turn - st.summary_turn <= SUMMARY_WINDOW:
            return True
        if not self._news_since(st.summary_turn):
            return True  # nothing new was told or objected since the recap: it still holds
        raised = st.closing_objection_turn
        return raised is not None and 0 <= raised - st.summary_turn <= SUMMARY_WINDOW
