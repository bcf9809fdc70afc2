"""A recap that gets the persona's own facts wrong is set right, never confirmed (issue 12, item 4).

Readings are built by hand (the engine acts on the stored reading as-is); the sentences are our own.
"""

from __future__ import annotations

from personas.engine import TurnSignals
from personas.loader import load_library
from tests.personas.persona_helpers import Session, first_of_bloc

LIB = load_library()


def _recap(accuracy: str, mismatches: list[str]) -> TurnSignals:
    return TurnSignals(reader_version="4.2", is_summary=True, summary_accuracy=accuracy,
                       summary_mismatches=mismatches)


def _session(bloc: int) -> Session:
    s = Session(LIB[first_of_bloc(bloc)], seed=5)
    s.say("Bonjour, merci de me recevoir aujourd'hui.", "greet")
    return s


def test_a_recap_with_the_persona_facts_changed_is_corrected_with_the_right_fact():
    s = _session(2)
    trust = s.state["trust"]
    result = s.say("Pour résumer : 120 véhicules, un budget de 60 000 €, et vous décidez seul. On signe ?",
                   "summarize", analysis=_recap("inaccurate", ["« 60 000 € » au lieu de « 40 000 € »",
                                                               "« 120 véhicules » au lieu de « 85 véhicules »"]))
    text = " ".join(line.text for line in result.lines)
    assert "40 000 €" in text and "60 000 €" in text
    assert "summary_inaccurate" in " ".join(s.state["events"])
    assert not any("summary_ok" in e or "closing_recap" in e for e in s.state["events"])
    assert s.state["trust"] <= trust
    assert not s.state["ended"]


def test_a_closing_recap_with_wrong_facts_is_corrected_before_any_yes():
    s = _session(4)
    result = s.say("Je récapitule : 300 machines, votre DAF signe seul, on conclut sur cette base ?",
                   "request_commitment", analysis=_recap("inaccurate", ["« 300 machines » au lieu de « 42 machines »",
                                                  "« DAF » : personne que l'interlocuteur n'a pas citée"]))
    text = " ".join(line.text for line in result.lines)
    assert "42 machines" in text
    assert "summary_inaccurate" in " ".join(s.state["events"])
    assert s.state["closing_attempts"] == 0 and not s.state["ended"]


def test_a_true_recap_is_not_corrected():
    s = _session(2)
    s.say("Pour résumer ce que vous m'avez dit sur votre flotte et vos délais.", "summarize",
          analysis=_recap("accurate", []))
    assert not any("summary_inaccurate" in e for e in s.state["events"])
