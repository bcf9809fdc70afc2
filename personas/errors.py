"""The one error type of the personas package, formatted ``file: field.path: reason`` (French)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem in a persona file: where (dotted field path) and why (French sentence)."""

    path: str
    message: str

    def format(self, file: str) -> str:
        return f"{file}: {self.path}: {self.message}"


class PersonaError(Exception):
    """A persona file cannot be used. ``str()`` is the first issue, ``issues`` holds all of them."""

    def __init__(self, file: str, issues: list[Issue]) -> None:
        self.file = file
        self.issues = issues or [Issue("(fichier)", "erreur inconnue")]
        super().__init__(self.issues[0].format(file))

    def lines(self) -> list[str]:
        """Every issue as a ``file: field: reason`` line, for the CLI."""
        return [issue.format(self.file) for issue in self.issues]
