"""The persona library as the app sees it: loaded once at start, public views for candidates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlmodel import SQLModel

from personas.loader import load_library
from personas.schema import Persona


class PersonaLibrary:
    """Built-in personas by id. Loading fails (naming the file) on any invalid persona."""

    def __init__(self, personas: dict[str, Persona]) -> None:
        self._personas = personas

    @classmethod
    def from_dir(cls, path: Path) -> PersonaLibrary:
        return cls(load_library(path))

    def get(self, persona_id: str) -> Persona | None:
        return self._personas.get(persona_id)

    def all(self) -> list[Persona]:
        return sorted(self._personas.values(), key=lambda p: (p.bloc, p.title))


class SpeakerPublic(SQLModel):
    id: str
    name: str
    role: str


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
        speakers=[SpeakerPublic(id=s["id"], name=s["name"], role=s["role"]) for s in data["speakers"]],
        brief=BriefPublic(**{k: data["brief"][k] for k in BriefPublic.model_fields}),
    )
