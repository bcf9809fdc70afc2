"""A trainer designs and tries a persona in the studio, in a real browser against the real stack."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.helpers import axe_violations, log_in, send

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]


def test_trainer_edits_versions_and_tries_a_persona(page: Any, live_stack: Any) -> None:
    base = live_stack.app_url
    log_in(page, base, "demo-formateur")
    page.get_by_role("link", name="Atelier des personas").click()
    page.wait_for_url(f"{base}/studio")
    page.get_by_label("Modèle (persona de la bibliothèque)").select_option(index=0)
    page.get_by_label("Identifiant (facultatif : minuscules, chiffres, « - »)").fill("b2-essai-navigateur")
    page.get_by_role("button", name="Créer le persona").click()
    page.wait_for_url(f"{base}/studio/personas/b2-essai-navigateur")
    assert axe_violations(page) == []

    editor = page.get_by_label("Définition YAML")
    original = editor.input_value()
    # Break it: the French field error shows as the trainer types, and again on save.
    editor.fill(original.replace("bloc: 2\n", "bloc: 3\n", 1))
    page.locator("#validation", has_text="bloc: valeur non autorisée").wait_for()
    page.get_by_role("button", name="Enregistrer une nouvelle version").click()
    errors = page.locator("#erreurs")
    errors.wait_for()
    assert "Rien n'a été enregistré" in errors.inner_text()
    assert "valeur non autorisée (attendu : 2, 4 ou 5)" in errors.inner_text()

    # Fix it: version 2 is listed.
    page.get_by_label("Définition YAML").fill(original.replace("title: ", 'title: "Essai navigateur" #', 1))
    page.locator("#validation", has_text="Définition valide.").wait_for()
    page.get_by_label("Commentaire de version").last.fill("Titre d'essai")
    page.get_by_role("button", name="Enregistrer une nouvelle version").click()
    page.wait_for_url(re.compile(r".*\?saved=2$"))
    assert "Version 2" in page.locator("#versions").inner_text()
    assert "Titre d'essai" in page.locator("#versions").inner_text()

    # The diff shows one line per line (it used to double-space them).
    page.get_by_role("link", name="différences avec la version 1").click()
    heights = page.evaluate("""() => {
        const spans = [...document.querySelectorAll('#diff span')];
        const line = parseFloat(getComputedStyle(spans[0]).lineHeight) || spans[0].getBoundingClientRect().height;
        const box = document.getElementById('diff');
        const pad = parseFloat(getComputedStyle(box).paddingTop) + parseFloat(getComputedStyle(box).paddingBottom);
        return {lines: spans.length, height: box.clientHeight - pad, line: line};
    }""")
    assert heights["height"] < heights["lines"] * heights["line"] * 1.3, heights
    assert axe_violations(page) == []
    page.go_back()

    # Lint on a copy says why, never « issue None ».
    page.get_by_role("link", name="Vérifier la conception (lint)").click()
    page.locator("#lint").wait_for()
    assert "None" not in page.locator("#lint").inner_text()

    # Try it: the hidden-state panel follows the conversation.
    page.get_by_role("button", name="Essayer ce persona").click()
    page.wait_for_url(re.compile(r".*/studio/essais/[0-9a-f]{32}$"))
    assert page.locator("#persona-titre").inner_text() == "Essai navigateur"
    assert page.locator("#st-turn").inner_text() == "0"
    send(page, "Bonjour Madame, merci de me recevoir. Pouvez-vous me décrire votre activité ?")
    page.wait_for_function("document.getElementById('st-turn').textContent === '1'")
    assert page.locator("#st-stage").inner_text() in ("découverte", "argumentation", "négociation", "conclusion")
    assert '"turn": 1' in page.locator("#st-raw").text_content()
