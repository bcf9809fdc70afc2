"""Blame needs blame: a person made responsible for a fault, not the noun « responsable » (a job)."""

from __future__ import annotations

import pytest

from personas.engine.cues import has_cue
from personas.engine.reading import fold
from personas.loader import load_library
from tests.personas.persona_helpers import Session

B5 = load_library()["b5-conflit-portefeuille"]


@pytest.mark.parametrize("text", [
    "Tu es responsable de ce retard de livraison.",
    "Vous êtes tous les deux responsables de la perte du contrat.",
    "Franchement, c'est ta faute si le client est parti.",
    "Là-dessus tu as tort.",
])
def test_a_person_made_responsible_for_a_fault_is_blame(text: str) -> None:
    assert has_cue(fold(text), "engine_blame")


@pytest.mark.parametrize("text", [
    "Le responsable de production nous rejoindra à dix heures.",
    "Elle est la responsable des achats depuis mars.",
    "Je suis responsable de l'équipe, c'est à moi de trancher.",
    "Il n'a pas tort sur le planning.",
])
def test_a_job_title_or_agreement_is_no_blame(text: str) -> None:
    assert not has_cue(fold(text), "engine_blame")


def test_naming_the_production_manager_to_a_member_takes_no_side() -> None:
    s = Session(B5)
    first = B5.speakers[0]
    s.say(f"{first.name.split()[0]}, le responsable de production peut-il valider ces dates ?", "ask_question")
    assert f"side_taken:{first.id}" not in s.events
    s.say(f"{first.name.split()[0]}, tu es responsable de ce retard.", "assertive_statement")
    assert f"side_taken:{first.id}" in s.events
