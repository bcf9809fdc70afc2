"""Issue 13, the candidate's traps, by clicking in a real browser: visible countdown warnings, the
character counter, focus on the message box, « Vous » live and after reload, attempts left, no start
button when none is left, no cached private page after logout, a login link on 401."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.helpers import assign_to_demo_candidate, axe_violations, log_in, overflow, send

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]


def test_exam_chat_warns_counts_and_leaves_no_attempt(page: Any, live_stack: Any) -> None:
    base = live_stack.app_url
    assignment = assign_to_demo_candidate(base, "exam", duration_minutes=5)
    page.clock.install()  # real time flows; fast_forward jumps to the 1-minute warning
    log_in(page, base)
    row = page.locator(f'tr[data-assignment="{assignment["id"]}"]')
    assert "1 tentative restante" in row.inner_text()
    row.get_by_role("link", name=re.compile("Voir le brief")).click()
    page.wait_for_url(f"{base}/scenarios/{assignment['id']}")
    assert "il vous reste 1 tentative sur 1" in page.locator("#attempts").inner_text()
    assert "Interlocut" in page.get_by_role("heading", name=re.compile("Interlocut")).inner_text()
    with page.expect_response(re.compile(r".*/sessions/[0-9a-f]{32}$")) as chat_response:
        page.get_by_role("button", name="Commencer la session").click()
    page.wait_for_url(re.compile(r".*/sessions/[0-9a-f]{32}$"))
    assert chat_response.value.headers["cache-control"] == "no-store"

    # Focus starts in the message box, and the 5-minute warning is visible (not only spoken).
    assert page.evaluate("document.activeElement.id") == "message"
    warning = page.locator("#timer-alert")
    warning.wait_for(state="visible")
    assert "il reste 5 minutes" in warning.inner_text()
    page.clock.fast_forward("04:10")
    page.wait_for_function("document.getElementById('timer-alert').textContent.includes('1 minute.')")
    assert warning.is_visible()

    # The counter: over the limit it says by how much and sending is refused, nothing is cut.
    box = page.get_by_label("Votre message")
    box.fill("a" * 2005)
    assert "5 de trop" in page.locator("#message-count").inner_text()
    page.get_by_role("button", name="Envoyer").click()
    assert "Message trop long" in page.locator("#chat-error").inner_text()
    assert page.locator(".turn.candidate").count() == 0 and len(box.input_value()) == 2005
    assert not axe_violations(page)

    send(page, "Bonjour, pouvez-vous me présenter votre entreprise ?")
    assert page.locator(".turn.candidate .speaker").first.inner_text() == "Vous"
    page.reload()
    assert page.locator(".turn.candidate .speaker").first.inner_text() == "Vous"
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Terminer la session").click()
    page.wait_for_url(re.compile(r".*/rapport$"))

    page.goto(f"{base}/tableau")
    row = page.locator(f'tr[data-assignment="{assignment["id"]}"]')
    assert "aucune tentative restante" in row.inner_text()
    page.goto(f"{base}/scenarios/{assignment['id']}")
    assert "aucune tentative restante" in page.locator("#attempts").inner_text()
    assert "tentative 2" not in page.content()
    assert page.locator("#cannot-start").is_visible()
    assert page.get_by_role("button", name="Commencer la session").count() == 0


def test_after_logout_no_cached_page_and_a_login_link_on_401(page: Any, live_stack: Any) -> None:
    base = live_stack.app_url
    log_in(page, base)
    page.locator(".card", has_text="Bloc 2").first.get_by_role("link").click()
    page.get_by_role("button", name="Commencer la session").click()
    page.wait_for_url(re.compile(r".*/sessions/[0-9a-f]{32}$"))
    chat_url = page.url
    send(page, "Bonjour, quels sont vos enjeux cette année ?")

    # The login goes away (logged out in another tab): the chat says so and offers the way back.
    page.context.clear_cookies()
    page.get_by_label("Votre message").fill("Pouvez-vous m'en dire plus ?")
    page.get_by_role("button", name="Envoyer").click()
    error = page.locator("#chat-error")
    error.get_by_role("link", name="Se reconnecter").wait_for()
    assert "connexion a expiré" in error.inner_text()
    assert page.get_by_label("Votre message").input_value() == "Pouvez-vous m'en dire plus ?"

    # Log in again, open the chat, log out, press Back: the private page is not shown from cache.
    log_in(page, base)
    page.goto(chat_url)
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{base}/connexion")
    page.go_back()
    page.wait_for_load_state()
    assert page.url.endswith("/connexion"), page.url
    assert page.locator("#transcript").count() == 0


def test_dashboard_and_report_fit_a_phone(page: Any, live_stack: Any) -> None:
    base = live_stack.app_url
    assignment = assign_to_demo_candidate(base, "practice")
    log_in(page, base)
    page.goto(f"{base}/scenarios/{assignment['id']}")
    page.get_by_role("button", name="Commencer la session").click()
    page.wait_for_url(re.compile(r".*/sessions/[0-9a-f]{32}$"))
    send(page, "Bonjour, pouvez-vous me décrire votre organisation actuelle ?")
    send(page, "Si je comprends bien, ce sont surtout les retards qui vous pèsent ?")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Terminer la session").click()
    page.wait_for_url(re.compile(r".*/rapport$"))
    report_url = page.url
    summary = page.locator("#summary").inner_text()
    assert "candidat·e" in summary and "(s)" not in summary and "Le candidat" not in summary
    average = page.locator("#fig-average").inner_text()
    problems = {}
    for path in (report_url, f"{base}/tableau", f"{base}/progression", f"{base}/scenarios/{assignment['id']}",
                 f"{base}/compte"):
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(path)
            found, extra = axe_violations(page), overflow(page)
            if found or extra > 0:
                problems[f"{path} @{width}"] = (found, extra)
    assert not problems, problems
    # One average: the progress page shows the report's figure.
    page.goto(f"{base}/progression")
    assert average in page.locator("td.grid-average").all_inner_texts()
