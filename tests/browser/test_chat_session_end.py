"""The chat page shows the end of the session as soon as the persona ends it: a banner, the box
closed, a link to the feedback; and the same after a reload."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]


def test_the_persona_ending_the_session_closes_the_chat_at_once(page: Any, live_stack: Any) -> None:
    base = live_stack.app_url
    log_in(page, base)
    page.locator(".card", has_text="Bloc 2").first.get_by_role("link").click()
    page.get_by_role("button", name="Commencer la session").click()
    page.wait_for_url(re.compile(r".*/sessions/[0-9a-f]{32}$"))
    session_id = page.url.rsplit("/", 1)[1]
    banner = page.locator("#session-ended")
    assert banner.is_hidden()

    before = page.locator(".turn.persona").count()
    page.get_by_label("Votre message").fill("Merci, au revoir.")  # a goodbye: the persona ends the session
    page.get_by_role("button", name="Envoyer", exact=True).click()
    page.locator(".turn.persona").nth(before).wait_for()
    banner.wait_for(state="visible")
    assert "a mis fin à la session" in banner.inner_text()
    link = banner.get_by_role("link", name="Voir le retour sur la session")
    assert link.get_attribute("href") == f"/sessions/{session_id}/rapport"
    assert page.get_by_label("Votre message").is_disabled()
    assert page.get_by_role("button", name="Envoyer", exact=True).is_disabled()

    page.reload()
    assert page.locator("#session-ended").is_visible()
    assert page.locator("#composer").count() == 0
    page.locator("#session-ended").get_by_role("link").click()
    page.wait_for_url(re.compile(rf".*/sessions/{session_id}/rapport$"))
