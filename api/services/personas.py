"""The persona library as the app sees it: loaded once at start, public views for candidates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, SQLModel

from personas.loader import load_library
from personas.schema import Persona


class PersonaLibrary:
    """Built-in personas by id, plus (once `attach`ed to the database) personas published from the studio.

    Loading fails (naming the file) on any invalid built-in persona. Studio personas were validated
    when saved; a published one is served at its latest version, read from the database on each call
    so a new version or an archive takes effect without a restart.
    """

    def __init__(self, personas: dict[str, Persona]) -> None:
        self._personas = personas
        self._engine: Engine | None = None

    @classmethod
    def from_dir(cls, path: Path) -> PersonaLibrary:
        return cls(load_library(path))

    def attach(self, engine: Engine) -> None:
        self._engine = engine

    def builtin(self, persona_id: str) -> Persona | None:
        """Only the read-only files of the library (never a studio persona)."""
        return self._personas.get(persona_id)

    def builtins(self) -> list[Persona]:
        return sorted(self._personas.values(), key=lambda p: (p.bloc, p.title))

    def get(self, persona_id: str) -> Persona | None:
        return self._personas.get(persona_id) or self._published().get(persona_id)

    def all(self) -> list[Persona]:
        return self.builtins() + sorted(self._published().values(), key=lambda p: (p.bloc, p.title))

    def _published(self) -> dict[str, Persona]:
        if self._engine is None:
            return {}
        from api.services.studio import published_personas  # the studio imports this module

        with Session(self._engine) as db:
            return published_personas(db)


class SpeakerPublic(SQLModel):
    id: str
    name: str
    role: str
    gender: str | None = None


class BriefPublic(SQLModel):
    context: str
    candidate_role: str
    objectives: list[str]
    duration_minutes: int
    assessed: list[str]


class PersonaPublic(SQLModel):
    """What a candidate may read before and during a session: never the hidden needs or thresholds."""

    id: str
    version: str
    bloc: int
    role: str
    title: str
    speakers: list[SpeakerPublic]
    brief: BriefPublic


def public_view(persona: Persona) -> PersonaPublic:
    data: dict[str, Any] = persona.model_dump(mode="json")
    return PersonaPublic(
        id=data["id"], version=str(data["version"]), bloc=int(data["bloc"]), role=data["role"],
        title=data["title"],
        speakers=[SpeakerPublic(id=s["id"], name=s["name"], role=s["role"], gender=s.get("gender"))
                  for s in data["speakers"]],
        brief=BriefPublic(**{k: data["brief"][k] for k in BriefPublic.model_fields}),
    )
