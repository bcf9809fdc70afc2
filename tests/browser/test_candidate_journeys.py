"""The candidate's practice and exam journeys in a real browser, with accessibility checks."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.helpers import api_as, assign_to_demo_candidate, axe_violations, check_widths, log_in, send

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]

PRACTICE_TURNS = [
    "Bonjour, merci de me recevoir. Je suis Camille, responsable commerciale chez Optima.",
    "Pour commencer, pouvez-vous me décrire votre organisation actuelle ?",
    "Qu'est-ce qui vous pose le plus de difficultés aujourd'hui ?",
    "Si je comprends bien, ce sont surtout les retards et les pénalités qui vous pèsent ?",
    "Pour résumer : vous voulez réduire les retards ; je vous propose un rendez-vous mardi prochain "
    "avec votre équipe pour valider la démarche.",
]


def start_assignment(page: Any, base: str, assignment_id: int) -> None:
    page.goto(f"{base}/tableau")
    page.locator(f'a[href="/scenarios/{assignment_id}"]').click()
    page.wait_for_url(f"{base}/scenarios/{assignment_id}")
    assert page.get_by_role("heading", name="Ce qui sera évalué").is_visible()
    page.get_by_role("button", name="Commencer la session").click()
    page.wait_for_url(re.compile(r".*/sessions/[0-9a-f]{32}$"))


def end_session(page: Any) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Terminer la session").click()
    page.wait_for_url(re.compile(r".*/rapport$"))


def test_practice_journey_gives_feedback_at_once(page: Any, live_stack: Any) -> None:
    base = live_stack.app_url
    assignment = assign_to_demo_candidate(base, "practice")
    log_in(page, base)
    start_assignment(page, base, assignment["id"])
    assert page.locator("#timer").is_visible(), "une session assignée a un chronomètre"
    for text in PRACTICE_TURNS:
        assert len(send(page, text).strip()) > 3
    end_session(page)
    assert page.locator("#tips li").count() == 3
    assert int(page.locator("#fig-questions").inner_text()) >= 2
    assert page.locator("#grid tbody tr").count() >= 3
    assert page.locator(".annot-tag", has_text="question ouverte").count() >= 1
    page.goto(f"{base}/progression")
    assert page.locator("svg.chart").count() == 3


def test_exam_journey_hides_feedback(page: Any, live_stack: Any) -> None:
    base = live_stack.app_url
    assignment = assign_to_demo_candidate(base, "exam")
    log_in(page, base)
    start_assignment(page, base, assignment["id"])
    send(page, "Bonjour, pouvez-vous me présenter votre entreprise ?")
    end_session(page)
    assert page.locator("#exam-submitted").is_visible()
    assert page.locator("#tips").count() == 0 and page.locator("#grid").count() == 0
    session_id = page.url.split("/")[-2]
    report = api_as(base, "demo-candidat").get(f"/api/sessions/{session_id}/report")
    assert report.status_code == 403


def test_every_page_passes_axe(page: Any, live_stack: Any) -> None:
    """Every page at 1280 and 390 px wide: no serious or critical axe violation, no horizontal scrolling."""
    base = live_stack.app_url
    problems: dict[str, Any] = {}
    check_widths(page, f"{base}/connexion", "/connexion", problems)
    assignment = assign_to_demo_candidate(base, "practice")
    log_in(page, base)
    start_assignment(page, base, assignment["id"])
    send(page, "Bonjour, quels sont vos principaux enjeux cette année ?")
    chat_url = page.url
    check_widths(page, chat_url, "chat", problems)
    page.goto(chat_url)
    end_session(page)
    check_widths(page, page.url, "rapport", problems)
    for path in ("/tableau", f"/scenarios/{assignment['id']}", "/progression", "/compte",
                 f"/personas/{assignment['persona']['id']}", "/page-inconnue"):
        check_widths(page, base + path, path, problems)
    page.context.clear_cookies()
    log_in(page, base, "demo-formateur")
    cohort = assignment["cohort"]["id"]
    for path in ("/tableau", "/promotions", f"/promotions/{cohort}", f"/promotions/{cohort}?q=demo",
                 f"/jury/promotions/{cohort}/accord", "/studio", f"/studio/personas/{assignment['persona']['id']}",
                 "/studio/grilles/2"):
        check_widths(page, base + path, f"formateur {path}", problems)
    page.context.clear_cookies()
    log_in(page, base, "demo-jury")
    for path in ("/tableau", "/jury"):
        check_widths(page, base + path, f"juré {path}", problems)
    assert not problems, problems


def test_candidate_cannot_reach_trainer_or_juror_pages(page: Any, live_stack: Any) -> None:
    base = live_stack.app_url
    log_in(page, base)
    for path in ("/promotions", "/studio", "/jury"):
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 404, path


def test_the_axe_check_detects_a_violation(page: Any) -> None:
    page.set_content('<html lang="fr"><body><main><img src="x.png"><input type="text"></main></body></html>')
    violations = axe_violations(page)
    assert any(v.startswith("image-alt") for v in violations), violations
