"""Money amounts and percentages in a turn, for negotiation figures.

Uses ``scoring.numbers.extract_quantities`` (owned by another module) when it is available and
falls back on a small regex otherwise, so scoring keeps working while that module evolves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_AMOUNT = re.compile(
    r"(?P<num>\d{1,3}(?:[ \u202f\u00a0.]\d{3})+|\d+(?:[.,]\d+)?)\s*(?P<mult>k|K|000)?\s*"
    r"(?P<unit>€|euros?|eur\b|k€|\$|dollars?|%|pour ?cent|percent)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Amount:
    """A number with its kind: "money" or "percent"."""

    value: float
    kind: str
    text: str


def _parse_number(raw: str) -> float:
    raw = raw.replace("\u202f", "").replace("\u00a0", "")
    if re.fullmatch(r"\d{1,3}(?:[ .]\d{3})+", raw):
        return float(re.sub(r"[ .]", "", raw))
    return float(raw.replace(",", "."))


def _from_numbers_module(text: str, lang: str) -> list[Amount] | None:
    try:
        from scoring.numbers import extract_quantities  # type: ignore[import-not-found,unused-ignore]
    except Exception:
        return None
    try:
        quantities: list[Any] = list(extract_quantities(text, lang))
    except Exception:
        return None
    out: list[Amount] = []
    for q in quantities:
        kind = str(getattr(q, "kind", getattr(q, "unit", ""))).lower()
        value = getattr(q, "value", None)
        if value is None:
            continue
        label = "percent" if ("percent" in kind or "%" in kind) else "money" if any(
            k in kind for k in ("money", "amount", "eur", "€", "currency", "usd", "$")) else ""
        if label:
            out.append(Amount(float(value), label, str(getattr(q, "text", value))))
    return out


def find_amounts(text: str, lang: str = "fr") -> list[Amount]:
    """Money amounts and percentages, in order of appearance."""
    delegated = _from_numbers_module(text, lang)
    if delegated:
        return delegated
    out: list[Amount] = []
    for m in _AMOUNT.finditer(text):
        try:
            value = _parse_number(m.group("num"))
        except ValueError:
            continue
        unit = m.group("unit").lower()
        if (m.group("mult") and m.group("mult").lower() == "k") or unit == "k€":
            value *= 1000
        kind = "percent" if unit in ("%", "pour cent", "pourcent", "percent") else "money"
        out.append(Amount(value, kind, m.group(0)))
    return out
