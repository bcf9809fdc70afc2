"""Unified diff of two YAML texts, as plain lines the template escapes and colours by kind.

The diff is computed on the stored source texts (not on re-dumped data), so comments and layout
changes show up exactly as the trainer made them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add" | "del" | "hunk" | "head" | "ctx"
    text: str


def unified_diff(old: str, new: str, old_label: str, new_label: str, context: int = 3) -> list[DiffLine]:
    """The lines of a unified diff, each tagged so the page can style it without parsing HTML."""
    lines: list[DiffLine] = []
    for raw in difflib.unified_diff(old.splitlines(), new.splitlines(), old_label, new_label, n=context, lineterm=""):
        if raw.startswith(("---", "+++")):
            kind = "head"
        elif raw.startswith("@@"):
            kind = "hunk"
        elif raw.startswith("+"):
            kind = "add"
        elif raw.startswith("-"):
            kind = "del"
        else:
            kind = "ctx"
        lines.append(DiffLine(kind, raw))
    return lines


def diff_text(lines: list[DiffLine]) -> str:
    return "\n".join(line.text for line in lines)
