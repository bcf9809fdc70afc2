"""The date a persona confirms is the meeting the candidate proposed, and a correction is said as a
person says it (never the reader's evidence written for the juror)."""

from __future__ import annotations

from datetime import datetime

from personas.engine import TurnSignals
from personas.engine.core import meeting_date
from personas.engine.models import CandidateTurn
from personas.engine.reading import read_turn
from personas.engine.sales import spoken_correction
from scoring.dates import find_dates
from scoring.schema import READER_VERSION

NOW = datetime(2026, 12, 4, 20, 40)


def _dates(text: str) -> tuple[tuple[str, str], ...]:
    """The dates as the engine's reading gets them from the reader (``personas.engine.reading``)."""
    signals = TurnSignals(is_question=False, reader_version=READER_VERSION,
                          dates=[d.model_dump() for d in find_dates(text, NOW)])
    return read_turn(CandidateTurn(text=text, intent="inform", analysis=signals)).dates


def test_the_named_meeting_wins_over_a_relative_word_and_a_deadline() -> None:
    dates = _dates("On se voit le jeudi 11 mars à 14 h chez vous ; d'ici le 2 mars je vous "
                   "envoie les chiffres, et demain matin un premier mail.")
    assert meeting_date(dates, explicit_before=False) == ("jeudi 11 mars à 14 h", "2027-03-11T14:00")


def test_a_relative_day_alone_is_the_proposal_but_never_replaces_a_named_one() -> None:
    dates = _dates("Je vous rappelle demain.")
    assert meeting_date(dates, explicit_before=False) == ("demain", "2026-12-05")
    assert meeting_date(dates, explicit_before=True) is None


def test_a_relative_day_carries_no_clock_time_nobody_said() -> None:
    (found,) = find_dates("je passe demain", NOW)
    assert found.iso == "2026-12-05"
    (timed,) = find_dates("rendez-vous lundi 8 février à 9 h 30", NOW)
    assert timed.iso == "2027-02-08T09:30"


def test_corrections_are_spoken_french_never_evidence_labels() -> None:
    assert spoken_correction("« 300 km » au lieu de « 120 km »") == "c'est 120 km, pas 300 km"
    unsaid = spoken_correction("« votre directeur financier » : personne que l'interlocuteur n'a pas citée")
    assert unsaid == "je n'ai pas parlé de « votre directeur financier »"
    assert "interlocuteur" not in unsaid
    assert spoken_correction("« toujours » : généralisation absente des propos") == "je n'ai pas dit « toujours »"
    assert spoken_correction("quelque chose d'inattendu") == ""


def test_a_dated_meeting_wins_over_a_weekday_named_for_something_else() -> None:
    dates = _dates("Je vous envoie l'invitation pour mardi 9 mars à 11 h ; d'ici là, pouvez-vous me "
                   "sortir le planning de l'équipe du samedi ?")
    assert meeting_date(dates, explicit_before=True) == ("mardi 9 mars à 11 h", "2027-03-09T11:00")
