"""Shared steps of the browser tests: logging in, setting up a cohort through the API, axe checks."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import DEMO_PASSWORD

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


def log_in(page: Any, base_url: str, username: str = "demo-candidat") -> None:
    page.goto(f"{base_url}/connexion")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base_url}/tableau")


def api_as(base_url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=60)
    token = client.post("/api/auth/login", json={"username": username, "password": DEMO_PASSWORD})
    assert token.status_code == 200, token.text
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    return client


def assign_to_demo_candidate(base_url: str, mode: str, bloc: int = 2, duration_minutes: int = 30) -> dict[str, Any]:
    """A new cohort holding the demo candidate, with one scenario assigned; returns the assignment."""
    trainer = api_as(base_url, "demo-formateur")
    candidate_id = api_as(base_url, "demo-candidat").get("/api/auth/me").json()["id"]
    cohort = trainer.post("/api/cohorts", json={"name": f"Promo {uuid.uuid4().hex[:6]}"}).json()
    assert trainer.post(f"/api/cohorts/{cohort['id']}/members", json={"user_id": candidate_id}).status_code == 204
    persona = next(p for p in trainer.get("/api/personas").json() if p["bloc"] == bloc)
    assignment = trainer.post("/api/assignments", json={"cohort_id": cohort["id"], "persona_id": persona["id"],
                                                        "mode": mode, "duration_minutes": duration_minutes})
    assert assignment.status_code == 201, assignment.text
    return {**assignment.json(), "cohort": cohort, "persona": persona}


def send(page: Any, text: str) -> str:
    """Type a message, send it, wait for the persona's reply; return the reply."""
    before = page.locator(".turn.persona").count()
    page.get_by_label("Votre message").fill(text)
    page.get_by_role("button", name="Envoyer").click()
    reply = page.locator(".turn.persona").nth(before)
    reply.wait_for()
    return str(reply.locator(".text").inner_text())


def axe_violations(page: Any) -> list[str]:
    """Serious or critical WCAG 2 A/AA violations on the current page, as readable lines."""
    # Evaluated through the DevTools protocol: a <script> tag with axe inline would be refused by the
    # app's Content-Security-Policy (script-src 'self'), as any injected script should be.
    page.evaluate("() => {\n" + AXE.read_text() + "\n}")
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})"
    )
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the viewport (0: no horizontal scrolling)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def check_widths(page: Any, url: str, label: str, problems: dict[str, Any]) -> None:
    """Open `url` at 1280 and 390 px wide; record axe violations and horizontal overflow."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        found = axe_violations(page)
        extra = overflow(page)
        if found or extra > 0:
            problems[f"{label} @{width}"] = {"axe": found, "overflow_px": extra}
    page.set_viewport_size({"width": 1280, "height": 900})
