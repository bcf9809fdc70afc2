"""A persona never echoes words nobody said: a line opening with a quotation of the candidate
(« « Le même objectif »… C'est facile à dire ») is said only after the candidate said them."""

from __future__ import annotations

from personas.engine.models import EngineState
from personas.engine.voice import Voice, quotes_heard
from personas.loader import load_library

LIB = load_library()


def test_the_echo_needs_the_candidates_words():
    line = "« C'est un investissement »… Mon comité veut des chiffres."
    assert quotes_heard(line, "bon, c'est un investissement, vous savez")
    assert quotes_heard(line, "cest un investisement")  # a typo still counts
    assert not quotes_heard(line, "le cout total reste sous vos 5 %")
    assert quotes_heard("Il m'a traitée de « stagiaire » devant tout le monde.", "bonjour")  # a memory


def _voice(heard: str) -> Voice:
    persona = LIB["b2-client-flotte-electrique"]
    state = EngineState(persona_id=persona.id, persona_version=str(persona.version), trust=0.5, tension=0.2)
    return Voice(persona, state, seed=3, heard=heard)


def test_a_voice_skips_the_echo_when_the_words_were_not_said():
    variants = ["« C'est un investissement »… Mon comité veut des chiffres.", "Vous ne répondez pas sur le coût."]
    for turn in range(6):
        voice = _voice("Nos fourgons sont fiables.")
        voice.state.turn = turn
        assert voice._pick("k", variants) == variants[1]


def test_when_every_variant_echoes_the_quote_is_dropped():
    voice = _voice("Nos fourgons sont fiables.")
    assert voice._pick("k", ["« Le même objectif »… C'est facile à dire."]) == "C'est facile à dire."


def test_the_echo_is_said_when_the_candidate_said_it():
    variants = ["« C'est un investissement »… Mon comité veut des chiffres."]
    assert _voice("Franchement, c'est un investissement.")._pick("k", variants) == variants[0]
