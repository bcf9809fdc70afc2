"""The chat page after a lost answer: « Renvoyer » stays, re-sending resolves to the stored turn
(same key), and no page breaks the Content-Security-Policy."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.browser.helpers import api_as, log_in

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]


def start_session(page: Any, base: str) -> str:
    page.locator(".card", has_text="Bloc 2").first.get_by_role("link").click()
    page.get_by_role("button", name="Commencer la session").click()
    page.wait_for_url(re.compile(r".*/sessions/[0-9a-f]{32}$"))
    return str(page.url.rsplit("/", 1)[1])


def candidate_texts(base: str, session_id: str) -> list[str]:
    turns = api_as(base, "demo-candidat").get(f"/api/sessions/{session_id}").json()["turns"]
    return [t["text"] for t in turns if t["speaker_role"] == "candidate"]


def test_a_lost_connection_keeps_renvoyer_and_resending_adds_no_turn(page: Any, live_stack: Any) -> None:
    base = live_stack.app_url
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    log_in(page, base)
    session_id = start_session(page, base)
    sent: list[dict[str, Any]] = []

    def lose_the_answer(route: Any) -> None:
        sent.append(json.loads(route.request.post_data))
        route.fetch()  # the server stores and answers the turn…
        route.abort("connectionreset")  # …but the page never hears it (a crash mid-answer)

    page.route("**/api/sessions/*/messages", lose_the_answer)
    text = "Bonjour, qu'est-ce qui vous amène à changer de fournisseur ?"
    page.get_by_label("Votre message").fill(text)
    page.get_by_role("button", name="Envoyer", exact=True).click()
    retry = page.get_by_role("button", name="Renvoyer le message en attente")
    retry.wait_for(state="visible")
    assert "Connexion perdue" in page.locator("#chat-error").inner_text()
    page.unroute("**/api/sessions/*/messages")

    before = page.locator(".turn.persona").count()
    page.route("**/api/sessions/*/messages",
               lambda route: (sent.append(json.loads(route.request.post_data)), route.continue_()))
    retry.click()
    page.locator(".turn.persona").nth(before).wait_for()
    assert retry.is_hidden()
    assert sent[0]["client_key"] and sent[0]["client_key"] == sent[1]["client_key"], "la même clé au renvoi"
    assert candidate_texts(base, session_id) == [text], "un seul tour enregistré"
    assert refused == [], refused


def test_a_503_keeps_renvoyer_and_blocks_a_new_message_until_answered(page: Any, live_stack: Any) -> None:
    base = live_stack.app_url
    log_in(page, base)
    session_id = start_session(page, base)
    unavailable = {"error": {"code": "persona_unavailable", "message": "Le persona est momentanément indisponible."},
                   "detail": "Le persona est momentanément indisponible."}
    page.route("**/api/sessions/*/messages",
               lambda route: route.fulfill(status=503, content_type="application/json", body=json.dumps(unavailable)))
    first = "Pouvez-vous me décrire votre organisation ?"
    page.get_by_label("Votre message").fill(first)
    page.get_by_role("button", name="Envoyer", exact=True).click()
    retry = page.get_by_role("button", name="Renvoyer le message en attente")
    retry.wait_for(state="visible")

    page.get_by_label("Votre message").fill("Et votre budget ?")
    page.get_by_role("button", name="Envoyer", exact=True).click()
    assert "attend encore sa réponse" in page.locator("#chat-error").inner_text()
    assert retry.is_visible()

    page.unroute("**/api/sessions/*/messages")
    before = page.locator(".turn.persona").count()
    retry.click()
    page.locator(".turn.persona").nth(before).wait_for()
    assert retry.is_hidden()
    assert candidate_texts(base, session_id) == [first]
