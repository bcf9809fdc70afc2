"""Persona studio: trainers and administrators only; a try-it session only for the trainer who started it."""

from __future__ import annotations

import uuid
from typing import Any

import yaml
from sqlmodel import Session, select

from api.models import StudioPersona, StudioPersonaVersion, User
from api.services import dialogue
from api.services.studio import builtin_text, set_top_level
from personas.loader import LIBRARY_DIR, parse_persona

TRAINER, ADMIN = "demo-formateur", "admin-test"
MANAGERS = frozenset({TRAINER, ADMIN})

RULES: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/api/studio/personas"): MANAGERS,
    ("POST", "/api/studio/personas"): MANAGERS,
    ("POST", "/api/studio/validate"): MANAGERS,
    ("POST", "/api/studio/import"): MANAGERS,
    ("GET", "/api/studio/personas/{studio_id}"): MANAGERS,
    ("POST", "/api/studio/personas/{studio_id}/versions"): MANAGERS,
    ("GET", "/api/studio/personas/{studio_id}/versions/{number}"): MANAGERS,
    ("GET", "/api/studio/personas/{studio_id}/diff"): MANAGERS,
    ("GET", "/api/studio/personas/{studio_id}/export"): MANAGERS,
    ("POST", "/api/studio/personas/{studio_id}/status"): MANAGERS,
    ("GET", "/api/studio/personas/{studio_id}/lint"): MANAGERS,
    ("POST", "/api/studio/personas/{studio_id}/trials"): MANAGERS,
    # A try-it session is private to the trainer who started it, administrators included.
    ("GET", "/api/studio/trials/{trial_id}/state"): frozenset({TRAINER}),
    ("GET", "/api/studio/rubrics/{bloc}"): MANAGERS,
    ("POST", "/api/studio/rubrics/{bloc}/versions"): MANAGERS,
    ("GET", "/api/studio/rubrics/{bloc}/diff"): MANAGERS,
    ("POST", "/api/studio/sessions/{session_id}/regrade"): MANAGERS,
    ("GET", "/api/studio/sessions/{session_id}/grades"): MANAGERS,
}


def extend_world(db: Session, world: dict[str, Any]) -> None:
    """A studio persona of the trainer (copy of the world's built-in persona) and a try-it session on it."""
    trainer = db.exec(select(User).where(User.username == TRAINER)).one()
    assert trainer.id is not None
    studio_id = f"atelier-{uuid.uuid4().hex[:10]}"
    text = set_top_level(builtin_text(LIBRARY_DIR, world["persona_id"]) or "", "id", studio_id)
    persona = parse_persona(yaml.safe_load(text), f"{studio_id}.yaml")
    db.add(
        StudioPersona(
            id=studio_id,
            bloc=int(persona.bloc),
            role=persona.role,
            title=persona.title,
            author_id=trainer.id,
            latest_version=1,
            based_on=world["persona_id"],
        )
    )
    db.flush()
    db.add(
        StudioPersonaVersion(
            persona_id=studio_id, number=1, yaml_text=text, data=persona.model_dump(mode="json"), author_id=trainer.id
        )
    )
    db.commit()
    trial = dialogue.start_session(db, trainer, persona, seed=1, mode="trial")
    world.update(
        studio_id=studio_id,
        number=1,
        bloc=2,
        trial_id=trial.id,
        import_yaml=set_top_level(text, "id", f"import-{uuid.uuid4().hex[:10]}"),
    )


def bodies(world: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        ("POST", "/api/studio/personas"): {"json": {"source_id": world["persona_id"]}},
        ("POST", "/api/studio/validate"): {"json": {"yaml": "id: x"}},
        ("POST", "/api/studio/import"): {
            "files": {"file": ("persona.yaml", world["import_yaml"].encode(), "application/x-yaml")}
        },
        ("POST", "/api/studio/personas/{studio_id}/versions"): {"json": {"yaml": "bloc: 9", "comment": ""}},
        ("GET", "/api/studio/personas/{studio_id}/diff"): {"params": {"a": 1, "b": 1}},
        ("POST", "/api/studio/personas/{studio_id}/status"): {"json": {"status": "draft"}},
        ("POST", "/api/studio/personas/{studio_id}/trials"): {"json": {}},
        ("POST", "/api/studio/rubrics/{bloc}/versions"): {"json": {"yaml": "bloc: 2", "comment": ""}},
        ("GET", "/api/studio/rubrics/{bloc}/diff"): {"params": {"a": 0, "b": 0}},
        ("POST", "/api/studio/sessions/{session_id}/regrade"): {"json": {}},
    }
