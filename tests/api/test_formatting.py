"""The French formatting layer (api/formatting.py): numbers, dates in the display zone, plurals,
labels, speaker words, the report summary and the one grid average."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from api import formatting as fr
from api.config import Settings
from api.services.progress import point_of


@pytest.fixture(autouse=True)
def paris() -> None:
    fr.set_timezone("Europe/Paris")


def test_numbers_use_the_decimal_comma_and_french_spaces() -> None:
    assert fr.number(2.4) == "2,4"
    assert fr.number(0.333) == "0,33"
    assert fr.average(2.4) == "2,40/3"
    assert fr.number(165000.0) == "165\u202f000"
    assert fr.percent(0.333) == "33\u00a0%"
    assert fr.number(None) == fr.percent(None) == "—"


def test_dates_are_shown_in_the_display_zone() -> None:
    winter = datetime(2026, 12, 4, 4, 4, 34, tzinfo=UTC)
    assert fr.date_time(winter) == "04/12/2026 à 05:04"
    assert fr.date_time(datetime(2026, 7, 1, 22, 30)) == "02/07/2026 à 00:30"  # naive = UTC, summer time
    assert fr.date_time("2026-12-04T04:04:34.946681+00:00") == "04/12/2026 à 05:04"
    assert fr.csv_date_time(winter) == "04/12/2026 05:04"
    assert fr.local_input(winter) == "2026-12-04T05:04"
    assert fr.from_local_input("2026-12-04T05:04") == datetime(2026, 12, 4, 4, 4, tzinfo=UTC)
    fr.set_timezone("America/Montreal")
    assert fr.date_time(winter) == "03/12/2026 à 23:04"
    assert fr.zone_name() == "fuseau America/Montreal"


def test_an_unknown_display_zone_stops_the_app() -> None:
    with pytest.raises(ValueError, match="DISPLAY_TIMEZONE"):
        Settings(display_timezone="Mars/Olympus")


def test_real_plurals() -> None:
    assert fr.count(14, "question") == "14 questions"
    assert fr.count(1, "session") == "1 session"
    assert fr.count(0, "suite à donner", "suites à donner") == "0 suite à donner"
    assert fr.count(2, "grille signée", "grilles signées") == "2 grilles signées"
    assert fr.count(3, "juré·e assigné·e", "juré·es assigné·es") == "3 juré·es assigné·es"


def test_every_code_has_a_french_label() -> None:
    for code in ("deal", "no_deal", "no_agreement", "follow_up_meeting", "walk_out", "agreement",
                 "deal_below_floor"):
        assert "_" not in fr.outcome(code)
    assert fr.stage("decouverte") == "découverte" and fr.stage("negociation") == "négociation"
    assert fr.persona_role("equipe") == "équipe"
    assert fr.bloc(5).startswith("Bloc 5 · management")
    assert fr.outcome("unknown_code") == "unknown code"  # never a raw code with underscores


def test_role_words_follow_the_speaker_data() -> None:
    claire = {"name": "Claire Vasseur", "role": "Directrice des opérations", "gender": None}
    nathalie = SimpleNamespace(name="Nathalie Perrin", role="Responsable des achats", gender="f")
    marc = {"name": "Marc Delorme", "role": "Acheteur senior", "gender": "m"}
    assert fr.interlocutor([claire]) == "Interlocutrice"
    assert fr.interlocutor([nathalie]) == "Interlocutrice"
    assert fr.interlocutor([marc]) == "Interlocuteur"
    assert fr.interlocutor([claire, marc]) == "Interlocuteurs"
    assert fr.interlocutor([claire, nathalie]) == "Interlocutrices"


def test_the_candidate_is_named_the_same_live_and_after_reload() -> None:
    turn = {"speaker_role": "candidate", "speaker_name": "Candidat·e"}
    assert fr.speaker_label(turn, viewer_is_candidate=True) == "Vous"  # chat.js writes « Vous » live
    assert fr.speaker_label(turn, viewer_is_candidate=False) == "Candidat·e"
    assert fr.speaker_label({"speaker_role": "persona", "speaker_name": "Claire"}, True) == "Claire"


REPORT = {
    "bloc": 2,
    "conversation": {"candidate_turns": 6, "talk_share_words": 0.42, "questions": 14, "open_questions": 1,
                     "closed_questions": 13, "reformulations": 0, "closing_summary": {"present": False}},
    "grid": {"bloc": 2, "overall": 2.4, "evaluated": 5, "for_jury": 1,
             "items": [{"id": "a", "level": 3, "weight": 2.0}, {"id": "b", "level": 2, "weight": 1.0},
                       {"id": "c", "level": 2, "weight": 1.0}, {"id": "d", "level": 2, "weight": 1.0},
                       {"id": "e", "level": 3, "weight": 1.0}, {"id": "f", "level": None}]},
    "summary_fr": "Le candidat a pris la parole 6 fois. Il a posé 14 question(s)… niveau moyen 2.40/3",
}


def test_the_summary_uses_inclusive_writing_plurals_and_the_decimal_comma() -> None:
    text = fr.report_summary(REPORT)
    assert "candidat·e" in text and "Le candidat" not in text and " Il " not in text
    assert "14 questions posées, dont 1 ouverte et 13 fermées ; 0 reformulation." in text
    assert "(s)" not in text and "2,40/3" in text and "2.40" not in text
    assert "1 critère à évaluer par le jury" in text


def test_one_average_for_the_report_and_the_progress_page() -> None:
    session = SimpleNamespace(id="s", persona_title="P", bloc=2, ended_at=None, report=REPORT)
    assert point_of(session).grid_average == fr.grid_average(REPORT) == 2.4  # type: ignore[arg-type]
    without_overall = {"grid": {"items": REPORT["grid"]["items"]}}  # type: ignore[index]
    assert fr.grid_average(without_overall) == 2.5  # the weighted mean (15/6), not the plain one (12/5)


def test_stored_rationales_written_with_parenthesised_plurals_agree() -> None:
    assert fr.fix_plurals("0 suite(s) à donner sans échéance") == "0 suite à donner sans échéance"
    assert fr.fix_plurals("14 question(s) dont 1 ouverte(s)") == "14 questions dont 1 ouverte"
    assert fr.fix_plurals("2 intervention(s) agressive(s) ou passive(s)") == "2 interventions agressives ou passives"
    assert fr.fix_plurals(None) == ""


def test_the_pdf_grid_writes_dates_like_the_pages_and_names_the_zone() -> None:
    from api.services.grid_pdf import _date

    assert _date(datetime(2026, 12, 4, 4, 4, tzinfo=UTC)) == "04/12/2026 à 05:04 (heure de Paris)"
    assert _date(None) == "—"
