"""A closing recap is checked against everything the partner said, not only the last turn.

The persona must not confirm a false recap and the grid must not credit it; a recap's own schedule
(hours, periods, years being agreed) is the candidate's to state and is not held against it.
"""

from __future__ import annotations

import pytest

from scoring.annotate import annotate_turns
from scoring.schema import TurnReading

CONTEXT = [
    {"speaker": "other",
     "text": "On a 85 camions, tous frigorifiques, et l'entretien nous coûte à peu près 40 000 € par an."},
    {"speaker": "self", "text": "Qu'est-ce qui vous gêne le plus aujourd'hui ?"},
    {"speaker": "other",
     "text": "Les pannes l'été. En juillet, douze camions sont restés au garage, et un client nous a pénalisés."},
    {"speaker": "self", "text": "Qui d'autre participe à la décision ?"},
    {"speaker": "other", "text": "Mon associé, Paul Girard, qui tient les finances."},
]


def _read(text: str) -> TurnReading:
    return annotate_turns([{"id": "t", "lang": "fr", "text": text, "context": CONTEXT}])[0]


def test_a_true_recap_of_the_whole_meeting_is_accurate() -> None:
    reading = _read("Pour résumer : vous avez 85 camions frigorifiques, environ 40 000 € d'entretien par an, "
                    "douze camions immobilisés en juillet, et Paul Girard décide côté finances. "
                    "Je vous propose qu'on se revoie jeudi 17 à 9 h avec lui.")
    assert reading.is_summary
    assert reading.summary_accuracy == "accurate"
    assert reading.summary_mismatches == []


def test_a_recap_with_the_partners_figures_changed_is_inaccurate_and_says_which() -> None:
    reading = _read("Pour résumer : vous avez 120 camions, 60 000 € d'entretien par an, et je vous propose "
                    "qu'on se revoie jeudi 17 avec M. Girard.")
    assert reading.is_summary
    assert reading.summary_accuracy == "inaccurate"
    joined = " ".join(reading.summary_mismatches)
    assert "60 000 €" in joined and "40 000 €" in joined
    assert "120 camions" in joined


@pytest.mark.parametrize("plan", ["un pilote de six mois dès 2027", "une réponse sous 48 heures",
                                  "un point chaque lundi à 8 h 30"])
def test_the_schedule_the_recap_proposes_is_not_held_against_it(plan: str) -> None:
    reading = _read("Pour résumer : 85 camions, 40 000 € d'entretien par an, des pannes l'été ; "
                    f"je vous propose {plan}.")
    assert reading.is_summary
    assert reading.summary_accuracy == "accurate", reading.summary_mismatches


def test_a_turn_that_is_no_recap_gets_no_summary_verdict() -> None:
    reading = _read("Combien de ces camions ont plus de cinq ans ?")
    assert not reading.is_summary
    assert reading.summary_accuracy is None


def test_a_recap_of_a_talk_longer_than_the_context_is_never_called_wrong_outright() -> None:
    from scoring.schema import READING_CONTEXT_TURNS

    filler = [{"speaker": "self" if i % 2 else "other", "text": "D'accord, je note." if i % 2 else "Oui, tout à fait."}
              for i in range(READING_CONTEXT_TURNS)]
    context = [*filler[: READING_CONTEXT_TURNS - len(CONTEXT)], *CONTEXT]
    text = "Pour résumer : vous avez 120 camions, 60 000 € d'entretien par an ; on se revoit jeudi 17."
    reading = annotate_turns([{"id": "t", "lang": "fr", "text": text, "context": context}])[0]
    assert reading.is_summary and reading.summary_mismatches
    assert reading.summary_accuracy == "partial"
