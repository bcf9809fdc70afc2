"""Choose and render the persona's French lines: deterministic, varied, attributed to a speaker.

Variants rotate without repetition (per situation and speaker) using a seeded ``random.Random``,
so the same session replays identically but a persona does not say the same sentence twice in a row.
"""

from __future__ import annotations

import random
import re
from string import Formatter

from rapidfuzz import fuzz

from personas.engine.french import join_french
from personas.engine.models import EngineState, Line
from personas.engine.reading import fold
from personas.schema import Persona


def format_price(value: float, unit_label: str = "€ HT") -> str:
    """« 187 500 € HT »: French thousands grouping, no decimals for round amounts."""
    if abs(value - round(value)) < 0.005:
        digits = f"{round(value):,}".replace(",", "\u202f")
    else:
        digits = f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{digits} {unit_label}".strip()


class _SafeDict(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(text: str, fields: dict[str, str]) -> str:
    """Fill ``{prix}``-style placeholders; unknown ones stay visible rather than crash a session.

    Where a filled slot meets the template's words, French elision and contraction apply
    (« de {demande} » with « un délai » → « d'un délai »): see ``personas.engine.french``.
    """
    parts = list(Formatter().parse(text))
    if not any(name for _, name, _, _ in parts):
        return text
    safe = _SafeDict(fields)
    out = ""
    for literal, name, spec, conversion in parts:
        out = join_french(out, literal) if out else literal  # « {prix} » then « de … »: the slot's last word
        if name is None:
            continue
        slot = "{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
        out = join_french(out, slot.format_map(safe))
    return out


_ECHO = re.compile(r"^\s*«\s*([^»]+?)\s*»")
_LEADING_QUOTE = re.compile(r"^\s*«[^»]*»\s*(?:…|\.\.\.)?\s*")
# How close the candidate's words must be to a line's quotation for the persona to quote them back.
QUOTE_MATCH = 85


_SALUTATION = re.compile(r"^\s*(?:bonjour|bonsoir|salut|enchantée?)\b[^.!?…]*?(?:[.!?…]+\s*|,\s*)",
                         re.IGNORECASE)


def without_salutation(text: str) -> str:
    """« Bonjour. Asseyez-vous, je vous écoute. » → « Asseyez-vous, je vous écoute. » (capitalised)."""
    rest = text
    for _ in range(3):  # « Bonjour, bonjour ! Ravi. … »
        shorter = _SALUTATION.sub("", rest, count=1).strip()
        if shorter == rest:
            break
        rest = shorter
    return rest[:1].upper() + rest[1:] if rest else ""


def quotes_heard(variant: str, heard_folded: str) -> bool:
    """A line that opens by echoing the candidate (« « C'est un investissement »… ») may be said only
    when the candidate said (nearly) those words: a persona quoting words nobody said is a non-sequitur.
    A quotation inside a line (« il m'a traitée de « stagiaire » ») recalls the past and is not checked."""
    echo = _ECHO.match(variant)  # a quotation opening the line echoes the turn; one inside it is a memory
    return echo is None or fuzz.partial_ratio(fold(echo.group(1)), heard_folded) >= QUOTE_MATCH


class Voice:
    """Collects the lines of one turn for one persona and state."""

    def __init__(self, persona: Persona, state: EngineState, seed: int, heard: str = "") -> None:
        self.persona = persona
        self.state = state
        self.seed = seed
        self.heard = fold(heard)  # the candidate's turn being answered
        self.lines: list[Line] = []
        self.said: list[str] = []  # the situations said this turn, in order

    def _pick(self, key: str, variants: list[str]) -> str:
        used = self.state.used_lines.get(key, [])
        allowed = [i for i, v in enumerate(variants) if quotes_heard(v, self.heard)]
        fresh = [i for i in allowed if i not in used]
        if not fresh:
            last = used[-1] if used else None
            fresh = [i for i in allowed if i != last] or allowed[:1]
            used = []
        if not fresh:  # every variant quotes words the candidate did not say: say it without the quote
            index = random.Random(f"{self.seed}:{self.state.turn}:{key}").randrange(len(variants))
            return _LEADING_QUOTE.sub("", variants[index]) or variants[index]
        rng = random.Random(f"{self.seed}:{self.state.turn}:{key}:{len(self.lines)}")
        index = rng.choice(fresh)
        self.state.used_lines[key] = [*used, index]
        return variants[index]

    def has(self, situation: str, speaker_id: str | None = None) -> bool:
        by_speaker = self.persona.lines.get(situation, {})
        return bool(by_speaker.get(speaker_id) if speaker_id else any(by_speaker.values()))

    def say(self, situation: str, speaker_id: str | None = None, **fields: str) -> None:
        """Say a variant of ``situation``; falls back on whoever has lines for it."""
        by_speaker = self.persona.lines.get(situation, {})
        who = speaker_id or self.persona.main_speaker.id
        self.said.append(situation)
        if not by_speaker.get(who):
            who = next((sid for sid, variants in by_speaker.items() if variants), "")
            if not who:
                # Recorded so that ``python -m personas lint`` can report the gap.
                self.state.events.append(f"{self.state.turn}:missing_line:{situation}")
                return
        text = render(self._pick(f"{situation}/{who}", by_speaker[who]), fields)
        if situation == "greeting" and self.has("opening", who):
            # The persona greeted first (its opening): answering the candidate's « Bonjour » with another
            # « Bonjour. » greets twice. The rest of the line is said.
            text = without_salutation(text) or text
        self.say_text(text, who)

    def say_or(self, situation: str, default: str | list[str], speaker_id: str | None = None,
               **fields: str) -> None:
        """Say the persona's variant of ``situation``, or the engine's plain French default when the
        trainer wrote none (the default is neutral enough for any persona; lint lists the gap). Several
        defaults rotate like a persona's variants: a recurring situation is not said word for word."""
        if self.has(situation, speaker_id) or self.has(situation):
            self.say(situation, speaker_id, **fields)
            return
        self.state.events.append(f"{self.state.turn}:default_line:{situation}")
        variants = [default] if isinstance(default, str) else default
        text = self._pick(f"default:{situation}", variants)
        self.say_text(render(text, fields), speaker_id or self.persona.main_speaker.id)

    def say_from(self, key: str, variants: list[str], speaker_id: str | None, **fields: str) -> None:
        """Say one of the persona's own variants (a need, an objection, a grievance)."""
        who = speaker_id or self.persona.main_speaker.id
        self.say_text(render(self._pick(key, variants), fields), who)

    def said_all(self, key: str, variants: list[str]) -> bool:
        """Has every variant under ``key`` been said in this session already?"""
        return len(set(self.state.used_lines.get(key, []))) >= len(variants)

    def say_fresh(self, options: list[tuple[str, list[str]]], speaker_id: str | None) -> None:
        """Say the first option that still has a variant not said in this session, else the first option.

        Why: a line said word for word a second time (« Tu ne réponds pas : … » three turns running)
        sounds like a machine; the same point in the persona's other words does not."""
        usable = [(key, variants) for key, variants in options if variants]
        if not usable:
            return
        key, variants = next(((k, v) for k, v in usable if not self.said_all(k, v)), usable[0])
        self.say_from(key, variants, speaker_id)

    def say_text(self, text: str, speaker_id: str) -> None:
        speaker = self.persona.speaker(speaker_id)
        self.lines.append(Line(speaker_id=speaker.id, speaker=speaker.name, text=text))
