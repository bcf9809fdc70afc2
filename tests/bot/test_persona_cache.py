"""The persona travels by reference: the action server keeps parsed personas by content hash."""

from __future__ import annotations

from typing import Any

import pytest

import bot.actions.persona_cache as cache_module
from bot.actions.persona_cache import PersonaCache
from bot.actions.roleplay import MISSING_SESSION_FR, reply_messages
from personas.fingerprint import persona_hash, persona_ref
from personas.loader import load_library

PERSONA_ID = "b2-transport-frigorifique"
MESSAGE = {"text": "Bonjour, je suis Camille Martin, d'Optiroute.",
           "intent": {"name": "introduce_self", "confidence": 0.93}, "entities": []}


@pytest.fixture(scope="module")
def body() -> dict[str, Any]:
    return load_library()[PERSONA_ID].model_dump(mode="json")


def roleplay(ref: dict[str, str] | None, body: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"session_id": "s", "seed": 1234, "turn_index": 0, "state": None, "history": []}
    if ref is not None:
        out["persona_ref"] = ref
    if body is not None:
        out["persona"] = body
    return out


def test_ref_only_asks_for_the_body_then_the_body_is_kept_then_the_ref_is_enough(
        body: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    cache = PersonaCache()
    ref = persona_ref(body)

    asked = reply_messages(MESSAGE, roleplay(ref), cache=cache)
    assert asked == [{"kind": "state", "state": {}, "ended": False, "outcome": None,
                      "nlu": {"intent": "introduce_self", "confidence": 0.93}, "error": "persona_missing",
                      "persona_missing": True, "persona_hash": ref["hash"]}]

    played = reply_messages(MESSAGE, roleplay(ref, body), cache=cache)
    assert played[0]["kind"] == "line" and played[0]["speaker_id"] == "claire"
    assert played[-1]["state"]["persona_id"] == PERSONA_ID and "error" not in played[-1]
    assert len(cache) == 1 and cache.parsed == 1

    # Served from the cache: nothing is validated again (the validator would fail if called).
    def no_validation(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("persona validée une seconde fois")

    monkeypatch.setattr(cache_module, "parse_persona", no_validation)
    again = reply_messages(MESSAGE, roleplay(ref), cache=cache)
    assert again == played
    assert reply_messages(MESSAGE, roleplay(ref, body), cache=cache) == played  # a body sent again: not re-read
    assert cache.parsed == 1


def test_a_body_that_does_not_match_its_hash_is_refused_in_french(body: dict[str, Any]) -> None:
    cache = PersonaCache()
    ref = persona_ref(body)
    altered = {**body, "title": "Un autre titre"}
    refused = reply_messages(MESSAGE, roleplay(ref, altered), cache=cache)
    assert [m["kind"] for m in refused] == ["line", "state"]
    assert refused[0]["text"] == MISSING_SESSION_FR
    assert "persona_ref.hash" in refused[1]["error"] and refused[1]["ended"] is False
    assert len(cache) == 0
    assert cache.get(persona_hash(altered)) is None


@pytest.mark.parametrize("ref", [{"id": "x"}, {"hash": "abc"}, {"hash": "A" * 64}, "sha", 12])
def test_an_unusable_ref_is_the_missing_session_error(ref: Any) -> None:
    refused = reply_messages(MESSAGE, roleplay(ref), cache=PersonaCache())
    assert refused[0]["text"] == MISSING_SESSION_FR and refused[-1]["ended"] is False
    assert not refused[-1].get("persona_missing")


def test_an_invalid_body_with_its_true_hash_is_refused_and_not_kept(body: dict[str, Any]) -> None:
    cache = PersonaCache()
    broken = {**body, "bloc": 7}
    refused = reply_messages(MESSAGE, roleplay(persona_ref(broken), broken), cache=cache)
    assert refused[0]["text"] == MISSING_SESSION_FR and "bloc" in refused[-1]["error"]
    assert len(cache) == 0


def test_the_cache_is_bounded_and_keeps_the_most_recently_used(body: dict[str, Any]) -> None:
    cache = PersonaCache(max_size=2)
    bodies = [{**body, "title": f"Titre {n}"} for n in range(3)]
    digests = [cache.add(b)[0] for b in bodies[:2]]
    assert cache.get(digests[0]) is not None  # now the most recent
    digests.append(cache.add(bodies[2])[0])
    assert len(cache) == 2
    assert cache.get(digests[1]) is None and cache.get(digests[0]) is not None and cache.get(digests[2]) is not None


def test_the_library_preloaded_at_start_needs_no_body() -> None:
    cache = PersonaCache()
    library = load_library()
    assert cache.preload(library) == len(library)
    for persona in library.values():
        played = reply_messages(MESSAGE, roleplay(persona_ref(persona.model_dump(mode="json"))), cache=cache)
        assert not played[-1].get("persona_missing") and "error" not in played[-1]
    assert cache.parsed == 0
