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
