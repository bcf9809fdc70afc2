"""The candidate's walking skeleton in a real browser against the real stack."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]

XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def log_in(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/connexion")
    page.get_by_label("Identifiant").fill("demo-candidat")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base_url}/tableau")


def start_bloc2_session(page: Any, base_url: str) -> None:
    page.locator(".card", has_text="Bloc 2").first.get_by_role("link").click()
    page.get_by_role("button", name="Commencer la session").click()
    page.wait_for_url(re.compile(r".*/sessions/[0-9a-f]{32}$"))


def test_candidate_chats_and_history_survives_reload(page: Any, live_stack: Any) -> None:
    base = live_stack.app_url
    log_in(page, base)
    start_bloc2_session(page, base)
    persona_turns = page.locator(".turn.persona")
    before = persona_turns.count()

    page.get_by_label("Votre message").fill("Bonjour, pouvez-vous me présenter votre entreprise ?")
    page.get_by_role("button", name="Envoyer").click()
    page.locator(".turn.persona").nth(before).wait_for()
    reply = page.locator(".turn.persona").nth(before).locator(".text").inner_text()
    assert len(reply.strip()) > 3

    page.reload()
    texts = page.locator(".turn .text").all_inner_texts()
    assert "Bonjour, pouvez-vous me présenter votre entreprise ?" in texts
    assert reply in texts


def test_html_in_a_message_is_shown_as_text_and_never_runs(page: Any, live_stack: Any) -> None:
    base = live_stack.app_url
    log_in(page, base)
    start_bloc2_session(page, base)
    before = page.locator(".turn.persona").count()
    page.get_by_label("Votre message").fill(XSS)
    page.get_by_role("button", name="Envoyer").click()
    page.locator(".turn.persona").nth(before).wait_for()
    page.reload()
    assert XSS in page.locator(".turn.candidate .text").all_inner_texts()
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator(".turn img").count() == 0


def test_trainer_and_juror_see_html_as_text(page: Any, live_stack: Any) -> None:
    from tests.browser.helpers import api_as, assign_to_demo_candidate
    from tests.browser.helpers import log_in as log_in_as

    base = live_stack.app_url
    assignment = assign_to_demo_candidate(base, "practice")
    candidate = api_as(base, "demo-candidat")
    session = candidate.post("/api/sessions", json={"assignment_id": assignment["id"]}).json()
    assert candidate.post(f"/api/sessions/{session['id']}/messages", json={"text": XSS}).status_code == 200
    assert candidate.post(f"/api/sessions/{session['id']}/end").status_code == 200
    trainer = api_as(base, "demo-formateur")
    juror_id = api_as(base, "demo-jury").get("/api/auth/me").json()["id"]
    assert trainer.post(f"/api/sessions/{session['id']}/jurors", json={"juror_id": juror_id}).status_code == 204

    for username in ("demo-formateur", "demo-jury"):
        page.context.clear_cookies()
        log_in_as(page, base, username)
        for path in (f"/sessions/{session['id']}", f"/sessions/{session['id']}/rapport"):
            page.goto(base + path)
            assert XSS in page.locator(".turn.candidate .text").all_inner_texts(), (username, path)
            assert page.evaluate("window.__pwned === undefined"), (username, path)
            assert page.locator(".turn img").count() == 0
