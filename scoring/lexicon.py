"""Marker lexicons: per-language YAML files of regular expressions, compiled once per process."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from scoring.errors import check_language

LEXICON_DIR = Path(__file__).parent / "lexicons"
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'"})


def normalise(text: str) -> str:
    """Unify apostrophes without changing string length (offsets stay valid).

    Case is handled by ``re.IGNORECASE``: ``str.lower`` may change the length (« İ »).
    """
    return text.translate(_APOSTROPHES)


@dataclass(frozen=True)
class Match:
    """One marker occurrence: its family, character offsets in the original text and the text."""

    family: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Lexicon:
    """Compiled marker families of one language."""

    language: str
    version: str
    patterns: dict[str, re.Pattern[str]]
    # Cues read by the turn reading (amount owners, addressee, stance, the engine's openers): not
    # markers of the annotation, so they never show up among a turn's markers.
    cues: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # Plain word lists compared with spaCy lemmas (lower case), from the ``lemmas`` section.
    lemmas: dict[str, frozenset[str]] = field(default_factory=dict)

    def lemma_set(self, name: str) -> frozenset[str]:
        """One lemma list (empty when the language's file has none of that name)."""
        return self.lemmas.get(name, frozenset())

    def find(self, text: str, families: tuple[str, ...] | None = None) -> list[Match]:
        """All marker matches in ``text`` (offsets refer to ``text``), sorted by position."""
        return self._find(self.patterns, text, families)

    def find_cues(self, text: str, families: tuple[str, ...] | None = None) -> list[Match]:
        """All cue matches in ``text`` (the ``cues`` section of the lexicon file)."""
        return self._find(self.cues, text, families)

    def cue(self, family: str) -> re.Pattern[str]:
        """The compiled pattern of one cue family (KeyError names a family missing from the file)."""
        return self.cues[family]

    @staticmethod
    def _find(patterns: dict[str, re.Pattern[str]], text: str, families: tuple[str, ...] | None) -> list[Match]:
        norm = normalise(text)
        out: list[Match] = []
        for family, pattern in patterns.items():
            if families is not None and family not in families:
                continue
            for m in pattern.finditer(norm):
                if m.end() > m.start():
                    out.append(Match(family, m.start(), m.end(), text[m.start() : m.end()]))
        out.sort(key=lambda x: (x.start, x.family))
        return out


def _compile(entries: list[str]) -> re.Pattern[str]:
    body = "|".join(f"(?:{e})" for e in entries)
    # The word boundary after a marker applies only when it ends on a letter: « qu' » or « ? »
    # ending an entry must still match before the next word (« vous ne pensez pas qu'il… »).
    return re.compile(rf"(?<!\w)(?:{body})(?!(?<=\w)\w)", re.IGNORECASE)


@lru_cache(maxsize=4)
def load_lexicon(lang: str) -> Lexicon:
    """Load and compile ``lexicons/<lang>.yaml`` (cached: the files are read once per process)."""
    lang = check_language(lang)
    data = yaml.safe_load((LEXICON_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))
    families = data.get("families") or {}
    patterns = {name: _compile([str(e) for e in entries]) for name, entries in families.items() if entries}
    cues = {name: _compile([str(e) for e in entries]) for name, entries in (data.get("cues") or {}).items()
            if entries}
    lemmas = {name: frozenset(str(w).lower() for w in words) for name, words in (data.get("lemmas") or {}).items()}
    return Lexicon(language=lang, version=str(data.get("version", "0")), patterns=patterns, cues=cues,
                   lemmas=lemmas)
