"""Read persona YAML files into validated ``Persona`` objects, with French ``file: field: reason`` errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from personas.checks import check_persona
from personas.errors import Issue, PersonaError
from personas.schema import Persona

LIBRARY_DIR = Path(__file__).resolve().parent / "library"

_MESSAGES: dict[str, str] = {
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "champ inconnu",
    "string_type": "doit être un texte",
    "string_too_short": "ne doit pas être vide",
    "string_too_long": "trop long (au plus {max_length} caractères)",
    "string_pattern_mismatch": "format invalide (attendu : {pattern})",
    "int_type": "doit être un nombre entier",
    "int_parsing": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier",
    "float_type": "doit être un nombre",
    "float_parsing": "doit être un nombre",
    "bool_type": "doit valoir true ou false",
    "bool_parsing": "doit valoir true ou false",
    "list_type": "doit être une liste",
    "dict_type": "doit être un objet (clé: valeur)",
    "model_type": "doit être un objet (clé: valeur)",
    "model_attributes_type": "doit être un objet (clé: valeur)",
    "too_short": "doit contenir au moins {min_length} élément(s)",
    "too_long": "doit contenir au plus {max_length} élément(s)",
    "greater_than": "doit être supérieur à {gt}",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "less_than": "doit être inférieur à {lt}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "literal_error": "valeur non autorisée (attendu : {expected})",
}


_PATTERNS = {
    r"^[a-z0-9][a-z0-9_-]*$": "minuscules, chiffres, « - » ou « _ », ex. b2-transport",
    r"^\d+(\.\d+){0,2}$": 'numéro de version, ex. "1.0"',
}


def _french(error: ErrorDetails) -> str:
    template = _MESSAGES.get(error["type"])
    if template is None:
        return f"valeur invalide ({error['msg']})"
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if "pattern" in ctx:
        ctx["pattern"] = _PATTERNS.get(str(ctx["pattern"]), ctx["pattern"])
    try:
        return template.format(**ctx).replace(" or ", " ou ")
    except (KeyError, IndexError):
        return template


def _path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(racine)"


def issues_from_validation(exc: ValidationError) -> list[Issue]:
    """Translate pydantic errors into French issues keyed by dotted field path."""
    return [Issue(_path(tuple(err["loc"])), _french(err)) for err in exc.errors()]


def parse_persona(data: Any, file: str = "<persona>") -> Persona:
    """Validate already-loaded data (e.g. the pinned ``persona`` of a session) into a ``Persona``."""
    if not isinstance(data, dict):
        raise PersonaError(file, [Issue("(racine)", "le fichier doit contenir un objet YAML (clé: valeur)")])
    try:
        persona = Persona.model_validate(data)
    except ValidationError as exc:
        raise PersonaError(file, issues_from_validation(exc)) from None
    issues = check_persona(persona)
    if issues:
        raise PersonaError(file, issues)
    return persona


def load_persona_file(path: str | Path) -> Persona:
    """Read and validate one persona YAML file; raise ``PersonaError`` (``file: field: reason``)."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PersonaError(file, [Issue("(fichier)", "fichier introuvable")]) from None
    except OSError:
        raise PersonaError(file, [Issue("(fichier)", "lecture impossible")]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" ligne {mark.line + 1}" if mark is not None else ""
        hint = " (une réplique contenant « : » doit être entre guillemets)"
        raise PersonaError(file, [Issue("(yaml)", f"syntaxe YAML invalide{where}{hint}")]) from None
    return parse_persona(data, file)


def persona_files(paths: list[str | Path] | None = None) -> list[Path]:
    """Expand files and folders (default: the library) into the sorted list of YAML files."""
    roots = [Path(p) for p in paths] if paths else [LIBRARY_DIR]
    files: list[Path] = []
    for root in roots:
        if root.is_dir():
            files += sorted([*root.glob("*.yaml"), *root.glob("*.yml")])
        else:
            files.append(root)
    return files


def load_library(path: str | Path | None = None) -> dict[str, Persona]:
    """Load every persona of a folder (default ``personas/library``), keyed by id.

    Raises ``PersonaError`` naming the first invalid file, or a duplicate id.
    """
    personas: dict[str, Persona] = {}
    for file in persona_files([path] if path is not None else None):
        persona = load_persona_file(file)
        if persona.id in personas:
            raise PersonaError(
                str(file), [Issue("id", f"identifiant « {persona.id} » déjà utilisé par un autre fichier")]
            )
        personas[persona.id] = persona
    return personas
