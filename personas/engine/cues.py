"""The engine's cue words, read from ``scoring/lexicons/fr.yaml``: one place for every word list.

The engine is pure and fast: the lexicon is plain YAML compiled once per process (no spaCy). Cues
of the ``engine_*`` families are written folded (lower case, no accents) and matched on the folded
turn text, except ``engine_wh`` which reads the raw text.
"""

from __future__ import annotations

from scoring.lexicon import load_lexicon


def has_cue(text: str, family: str) -> bool:
    """Does ``family`` (a ``cues`` family of the French lexicon) occur in ``text``?"""
    return load_lexicon("fr").cue(family).search(text) is not None


def count_cues(text: str, family: str) -> int:
    """How many times ``family`` occurs in ``text`` (non-overlapping matches)."""
    return sum(1 for _ in load_lexicon("fr").cue(family).finditer(text))
