"""The content hash that names one persona definition between the app and the action server.

Why a hash and not ``(id, version)``: studio try-it sessions play drafts whose version label is not
unique and whose content is not in the library, and an edited YAML file may keep its version number.
Two definitions with the same hash are the same persona, whatever their labels say, so the action
server may keep the parsed persona under this name and never validate it twice.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(data: Any) -> bytes:
    """One byte string per JSON value: sorted keys, no spaces, UTF-8 (what both sides hash)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def persona_hash(snapshot: dict[str, Any]) -> str:
    """sha256 (hex) of the canonical JSON of a persona snapshot (``Persona.model_dump(mode="json")``)."""
    return hashlib.sha256(canonical_json(snapshot)).hexdigest()


def persona_ref(snapshot: dict[str, Any]) -> dict[str, str]:
    """``{"id", "version", "hash"}``: what a turn sends instead of the persona itself."""
    return {"id": str(snapshot.get("id", "")), "version": str(snapshot.get("version", "")),
            "hash": persona_hash(snapshot)}
