"""Issue 13, the steps that only the API could do, by clicking in a real browser: a trainer assigns two
jurors from the review page (searchable list), publishes the exam feedback (refused with the reason
until both grids are signed), and manages the cohort (existing account, extra time, removal,
assignment edit and deletion, confirmations); axe and 390 px checks on these pages."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from tests.browser.helpers import api_as, axe_violations, check_widths, log_in
from tests.conftest import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]

TURNS = [
    "Bonjour, merci de me recevoir. Je suis Camille, responsable commerciale chez Optima.",
    "Pouvez-vous me décrire votre organisation actuelle ?",
    "Pour résumer : je vous envoie une proposition jeudi et nous en reparlons mardi prochain.",
]


def click_and_wait(page: Any, button: Any) -> None:
    with page.expect_navigation():
        button.click()


def exam_session(base: str) -> dict[str, Any]:
    """The demo candidate plays and ends an exam session of a new cohort (real Rasa); a second juror exists."""
    trainer, candidate = api_as(base, "demo-formateur"), api_as(base, "demo-candidat")
    candidate_id = candidate.get("/api/auth/me").json()["id"]
    cohort = trainer.post("/api/cohorts", json={"name": f"Promo examen {uuid.uuid4().hex[:6]}"}).json()
    assert trainer.post(f"/api/cohorts/{cohort['id']}/members", json={"user_id": candidate_id}).status_code == 204
    persona = next(p for p in trainer.get("/api/personas").json() if p["bloc"] == 2)
    assignment = trainer.post("/api/assignments", json={"cohort_id": cohort["id"], "persona_id": persona["id"],
                                                        "mode": "exam", "duration_minutes": 30}).json()
    session_id = candidate.post("/api/sessions", json={"assignment_id": assignment["id"]}).json()["id"]
    for text in TURNS:
        assert candidate.post(f"/api/sessions/{session_id}/messages", json={"text": text}).status_code == 200
    assert candidate.post(f"/api/sessions/{session_id}/end").status_code == 200
    second = f"jure-{uuid.uuid4().hex[:6]}"
    created = trainer.post("/api/users", json={"username": second, "full_name": "Zoé Seconde", "role": "juror",
                                               "password": DEMO_PASSWORD})
    assert created.status_code == 201, created.text
    return {"session_id": session_id, "cohort": cohort, "second": second}


def sign_as(base: str, username: str, session_id: str) -> None:
    """A juror's grid, levelled and signed (the signing by clicking is tested in test_juror_review)."""
    juror = api_as(base, username)
    for criterion in juror.get(f"/api/sessions/{session_id}/review").json()["grid"]["criteria"]:
        if criterion["auto_level"] is None:
            assert juror.put(f"/api/sessions/{session_id}/review/criteria/{criterion['id']}",
                             json={"level": 2, "comment": "Observé."}).status_code == 200
    assert juror.put(f"/api/sessions/{session_id}/review/decision",
                     json={"decision": "acquis", "comment": "Bien."}).status_code == 200
    assert juror.post(f"/api/sessions/{session_id}/review/sign").status_code == 200


def test_trainer_assigns_two_jurors_and_publishes_the_feedback(page: Any, live_stack: Any) -> None:
    base = live_stack.app_url
    world = exam_session(base)
    session_id = world["session_id"]
    log_in(page, base, "demo-formateur")
    page.get_by_role("link", name="Promotions").click()
    page.get_by_role("link", name=world["cohort"]["name"]).click()
    page.get_by_role("link", name=re.compile("Correction et jurés")).first.click()
    page.wait_for_url(f"{base}/jury/sessions/{session_id}")
    assert "0 grille signée sur 0 juré·e assigné·e." in page.locator("#signed-count").inner_text()

    for username in ("demo-jury", world["second"]):
        option = page.locator(f'#juror-options option[value$="({username})"]')
        assert option.count() == 1
        value = option.get_attribute("value")
        assert value
        page.get_by_label(re.compile("Assigner un·e juré·e|Ajouter un·e juré·e")).fill(value)
        click_and_wait(page, page.get_by_role("button", name="Assigner"))
        assert "est assigné·e à cette session" in page.locator("#review-message").inner_text()
    assert page.locator("#assigned-jurors li").count() == 2
    assert "Double correction" in page.locator("#jures-section").inner_text()

    click_and_wait(page, page.get_by_role("button", name="Publier le retour au candidat·e"))
    assert "Publication refusée" in page.locator("#review-error").inner_text()
    assert "sign" in page.locator("#review-error").inner_text()
    problems: dict[str, Any] = {}
    check_widths(page, f"{base}/jury/sessions/{session_id}", "correction (formateur)", problems)

    sign_as(base, "demo-jury", session_id)
    sign_as(base, world["second"], session_id)
    page.goto(f"{base}/jury/sessions/{session_id}")
    assert "2 grilles signées sur 2 juré·es assigné·es." in page.locator("#signed-count").inner_text()
    assert page.locator("#chart-legend").is_visible() and "Tension" in page.locator("#chart-legend").inner_text()
    click_and_wait(page, page.get_by_role("button", name="Publier le retour au candidat·e"))
    assert "Retour publié le" in page.locator("#release-status").inner_text()

    page.context.clear_cookies()
    log_in(page, base)
    page.goto(f"{base}/sessions/{session_id}/rapport")
    assert "décision du jury" in page.locator("#jury-decision-note").inner_text()
    assert page.locator("#jury-feedback h3").count() == 2
    assert "ne comptent pas" in page.locator("#grid-note").inner_text()
    check_widths(page, f"{base}/sessions/{session_id}/rapport", "retour publié", problems)
    page.context.clear_cookies()
    log_in(page, base, "demo-jury")
    check_widths(page, f"{base}/jury", "file du jury", problems)
    check_widths(page, f"{base}/jury/sessions/{session_id}", "correction (juré)", problems)
    assert not problems, problems


def test_trainer_manages_the_cohort_from_its_page(page: Any, live_stack: Any) -> None:
    base = live_stack.app_url
    trainer = api_as(base, "demo-formateur")
    existing = f"lea-{uuid.uuid4().hex[:6]}"
    assert trainer.post("/api/users", json={"username": existing, "full_name": "Léa Existante",
                                            "role": "candidate", "password": DEMO_PASSWORD}).status_code == 201
    log_in(page, base, "demo-formateur")
    page.get_by_role("link", name="Promotions").click()
    name = f"Promo gestion {uuid.uuid4().hex[:6]}"
    page.get_by_label("Nom", exact=True).fill(name)
    click_and_wait(page, page.get_by_role("button", name="Créer la promotion"))
    cohort_url = page.url

    # An existing account: « identifiant déjà utilisé » points to the search, which adds it.
    page.get_by_label("Identifiant", exact=True).fill(existing)
    page.get_by_label("Mot de passe initial (8 caractères au moins)").fill("motdepasse-9")
    click_and_wait(page, page.get_by_role("button", name="Créer le compte"))
    assert "Ajouter un compte existant" in page.locator("#cohort-error").inner_text()
    page.get_by_label(re.compile("Rechercher un·e candidat·e")).fill(existing[:7])
    click_and_wait(page, page.get_by_role("button", name="Rechercher"))
    click_and_wait(page, page.locator("#search-results").get_by_role("button", name=re.compile("Ajouter")))
    assert "a rejoint la promotion" in page.locator("#confirmation").inner_text()
    row = page.locator(f'tr[data-member="{existing}"]')
    row.get_by_label(re.compile("Temps supplémentaire de")).fill("33")
    click_and_wait(page, row.get_by_role("button", name=re.compile("Enregistrer")))
    assert "Temps supplémentaire de « Léa Existante » enregistré." in page.locator("#confirmation").inner_text()
    assert page.locator(f'tr[data-member="{existing}"] input[type=number]').input_value() == "33"

    # A new account: a confirmation.
    fresh = f"nouveau-{uuid.uuid4().hex[:6]}"
    page.get_by_label("Identifiant", exact=True).fill(fresh)
    page.get_by_label("Nom complet", exact=True).fill("Noé Nouveau")
    page.get_by_label("Mot de passe initial (8 caractères au moins)").fill("motdepasse-9")
    click_and_wait(page, page.get_by_role("button", name="Créer le compte"))
    assert f"Compte « {fresh} » créé" in page.locator("#confirmation").inner_text()

    # An assignment, shown by its title, edited then deleted.
    page.get_by_label("Persona", exact=True).select_option(index=0)
    title = page.get_by_label("Persona", exact=True).locator("option").first.inner_text().split(" · ", 1)[1]
    page.get_by_label("Mode", exact=True).select_option("exam")
    page.get_by_label(re.compile(r"^Fermeture \(heure de Paris")).fill("2030-06-01T18:30")
    page.get_by_label(re.compile("Examen : masquer ce persona")).check()
    click_and_wait(page, page.get_by_role("button", name="Assigner le scénario"))
    item = page.locator("#assignments li").first
    assert title in item.inner_text() and "ferme le 01/06/2030 à 18:30" in item.inner_text()
    assert "masqué de l'entraînement libre" in item.inner_text()
    item.locator("summary").click()
    item.get_by_label("Durée (minutes)").fill("45")
    click_and_wait(page, item.get_by_role("button", name="Enregistrer les modifications"))
    assert "Scénario modifié." in page.locator("#confirmation").inner_text()
    assert "45 minutes" in page.locator("#assignments li").first.inner_text()
    problems: dict[str, Any] = {}
    check_widths(page, cohort_url, "promotion", problems)
    page.goto(cohort_url)
    click_and_wait(page, page.locator("#assignments li").first.get_by_role("button", name=re.compile("Retirer ce")))
    assert "Scénario retiré de la promotion." in page.locator("#confirmation").inner_text()

    row = page.locator(f'tr[data-member="{existing}"]')
    click_and_wait(page, row.get_by_role("button", name=re.compile("Retirer")))
    assert "a quitté la promotion" in page.locator("#confirmation").inner_text()
    assert page.locator(f'tr[data-member="{existing}"]').count() == 0
    assert page.locator("#csv-export").get_attribute("href", timeout=1000).endswith("/export.csv")
    assert not axe_violations(page)
    assert not problems, problems
