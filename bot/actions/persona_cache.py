"""Parsed personas kept by content hash in the action server, so a turn can name its persona.

Why: every turn used to carry the whole pinned persona (15–19 KB of JSON) through Rasa, which
stored it in its tracker and sent it back to the action server, where it was validated again. A
turn now carries ``persona_ref = {"id", "version", "hash"}``; the body travels only when this
process has never seen that hash (the action answers ``persona_missing`` and the app sends the turn
again with the body). A body is checked once — its hash must be the one claimed, then it is
validated — and the parsed ``Persona`` is served from here afterwards. Studio drafts work the same
way: their hash names them, whatever their version label.

No rasa_sdk import: tested with plain dicts.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Any

from personas.errors import Issue, PersonaError
from personas.fingerprint import persona_hash
from personas.loader import load_library, parse_persona
from personas.schema import Persona

HASH_PATTERN = re.compile(r"^[0-9a-f]{64}$")
FIELD = "metadata.roleplay.persona"


class PersonaMissing(Exception):
    """The turn names a persona (by hash) that this process does not hold: the body must be sent."""


def valid_hash(value: Any) -> bool:
    """A sha256 in lower-case hex, as ``personas.fingerprint.persona_hash`` writes it."""
    return isinstance(value, str) and HASH_PATTERN.match(value) is not None


class PersonaCache:
    """A bounded, thread-safe LRU of parsed personas keyed by content hash.

    Bounded because studio drafts each have their own hash: a trainer editing all day must not grow
    the process without limit. An evicted persona costs one ``persona_missing`` round trip.
    """

    def __init__(self, max_size: int = 256) -> None:
        self.max_size = max_size
        self._items: OrderedDict[str, Persona] = OrderedDict()
        self._lock = threading.Lock()
        self.parsed = 0  # bodies validated by this cache (each at most once while it stays cached)

    def __len__(self) -> int:
        return len(self._items)

    def get(self, digest: str) -> Persona | None:
        """The persona with this hash, or None; a hit makes it the most recently used."""
        with self._lock:
            persona = self._items.get(digest)
            if persona is not None:
                self._items.move_to_end(digest)
            return persona

    def _put(self, digest: str, persona: Persona) -> None:
        with self._lock:
            self._items[digest] = persona
            self._items.move_to_end(digest)
            while len(self._items) > self.max_size:
                self._items.popitem(last=False)

    def add(self, body: Any, claimed_hash: str | None = None) -> tuple[str, Persona]:
        """Check a persona body once and keep it: its hash (which must equal `claimed_hash` when one
        is given) and the parsed persona. Raises ``PersonaError`` (French) when the body does not
        match its hash or is not a valid persona. A body already held is not validated again."""
        if not isinstance(body, dict):
            raise PersonaError(FIELD, [Issue("(racine)", "doit être un objet (clé: valeur)")])
        digest = persona_hash(body)
        if claimed_hash is not None and digest != claimed_hash:
            raise PersonaError(FIELD, [Issue("persona_ref.hash",
                                             "ne correspond pas au contenu du persona envoyé (refusé)")])
        known = self.get(digest)
        if known is not None:
            return digest, known
        persona = parse_persona(body, FIELD)
        self.parsed += 1
        self._put(digest, persona)
        return digest, persona

    def resolve(self, roleplay: dict[str, Any]) -> Persona:
        """The persona a turn's metadata names: by ``persona_ref.hash`` from the cache, else from the
        ``persona`` body sent with it. Raises ``PersonaMissing`` when only an unknown ref came, and
        ``PersonaError`` when the ref or the body is unusable."""
        ref = roleplay.get("persona_ref")
        body = roleplay.get("persona")
        if ref is None:
            if body is None:
                raise PersonaError(FIELD, [Issue("(racine)", "absent (ni persona_ref ni persona)")])
            return self.add(body)[1]  # an older client sending the body alone
        if not isinstance(ref, dict) or not valid_hash(ref.get("hash")):
            raise PersonaError(FIELD, [Issue("persona_ref.hash", "absent ou invalide (sha256 attendu)")])
        digest = str(ref["hash"])
        cached = self.get(digest)
        if cached is not None:
            return cached
        if body is None:
            raise PersonaMissing(digest)
        return self.add(body, digest)[1]

    def preload(self, personas: dict[str, Persona]) -> int:
        """Keep already-validated personas (the library, read at start) under their hash."""
        for persona in personas.values():
            self._put(persona_hash(persona.model_dump(mode="json")), persona)
        return len(personas)


PERSONAS = PersonaCache()


def preload_library() -> dict[str, Persona]:
    """Read the built-in library into the process cache, so its sessions never send the body.

    An unreadable library is not fatal here: its sessions then send their body once.
    """
    try:
        library = load_library()
    except PersonaError:
        return {}
    PERSONAS.preload(library)
    return library
