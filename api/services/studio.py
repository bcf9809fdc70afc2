"""Persona studio: validate, version, diff, import/export, lint and try out personas made by trainers.

Why the source text is the stored truth: trainers write YAML by hand, with comments and folded
paragraphs; keeping the exact text of every version makes export byte-exact and diffs readable.
The validated data (`Persona.model_dump`) is stored next to it, so sessions can pin it unchanged.

The built-in files of `PERSONAS_DIR` stay read-only here: they are the templates and can only be
duplicated. Studio persona ids therefore never collide with built-in ids.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlmodel import Session, col, select

from api import formatting
from api.errors import ApiError
from api.models import (
    RoleplaySession,
    SessionMode,
    StudioPersona,
    StudioPersonaVersion,
    StudioStatus,
    User,
)
from api.models.base import utcnow
from api.models.studio import StudioPersonaPublic, StudioVersionPublic
from api.services import dialogue
from api.services.personas import PersonaLibrary
from personas.errors import PersonaError
from personas.lint import lint_persona
from personas.loader import parse_persona, persona_files
from personas.schema import Persona

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
STATUS_LABELS = {"draft": "brouillon", "published": "publié", "archived": "archivé", "builtin": "bibliothèque"}


@dataclass(frozen=True)
class FieldError:
    """One validation problem, pointing at a dotted field path (French message)."""

    field: str
    message: str
    line: str  # "file: field.path: reason", as the command line prints it


def errors_json(errors: list[FieldError]) -> list[dict[str, str]]:
    return [asdict(e) for e in errors]


def invalid(errors: list[FieldError]) -> ApiError:
    """The 422 every save answers when the YAML is not a valid persona: nothing is stored."""
    return ApiError(
        422, "persona_invalid", "Persona invalide : " + errors[0].line, extra={"errors": errors_json(errors)}
    )


def validate_text(text: str, file: str, expected_id: str | None = None) -> tuple[Persona | None, list[FieldError]]:
    """Parse and validate persona YAML text the way `python -m personas check` does."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" ligne {mark.line + 1}" if mark is not None else ""
        message = f"syntaxe YAML invalide{where} (une réplique contenant « : » doit être entre guillemets)"
        return None, [FieldError("(yaml)", message, f"{file}: (yaml): {message}")]
    try:
        persona = parse_persona(data, file)
    except PersonaError as exc:
        return None, [FieldError(i.path, i.message, i.format(exc.file)) for i in exc.issues]
    if expected_id is not None and persona.id != expected_id:
        message = (
            f"l'identifiant ne peut pas changer (attendu : {expected_id}) ; dupliquez le persona pour en créer un autre"
        )
        return None, [FieldError("id", message, f"{file}: id: {message}")]
    return persona, []


# --- built-in library --------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _builtin_files(directory: str) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for path in persona_files([directory]):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            files[data["id"]] = path
    return files


def builtin_text(directory: Path, persona_id: str) -> str | None:
    """The exact text of a built-in persona file (None when it is not a built-in)."""
    path = _builtin_files(str(directory)).get(persona_id)
    return path.read_text(encoding="utf-8") if path else None


# --- text edits (keep the trainer's layout) -----------------------------------------------------


def set_top_level(text: str, key: str, value: str) -> str:
    """Replace a one-line top-level `key: value` in place, keeping every other line as written."""
    rendered = value if SLUG.match(value) else json.dumps(value, ensure_ascii=False)
    pattern = re.compile(rf"^{re.escape(key)}:[^\n]*$", re.MULTILINE)
    if pattern.search(text):
        return pattern.sub(lambda _: f"{key}: {rendered}", text, count=1)
    return f"{key}: {rendered}\n{text}"


def _set_nested_scalar(text: str, dotted: str, value: Any) -> str | None:
    """Edit `parent.key: scalar` in place when both sit on their own lines (None when not found)."""
    parent, _, key = dotted.partition(".")
    if "." in key or not isinstance(value, int | float):
        return None
    block = re.search(rf"^{re.escape(parent)}:[ \t]*\n((?:[ \t]+[^\n]*\n|[ \t]*\n)*)", text, re.MULTILINE)
    if block is None:
        return None
    line = re.compile(rf"^([ \t]+){re.escape(key)}:[ \t]*[-+0-9.eE]+[ \t]*(#[^\n]*)?$", re.MULTILINE)
    found = line.search(text, block.start(1), block.end(1))
    if found is None:
        return None
    comment = f"  {found.group(2)}" if found.group(2) else ""
    return text[: found.start()] + f"{found.group(1)}{key}: {value}{comment}" + text[found.end() :]


def apply_fields(text: str, fields: dict[str, Any]) -> str:
    """Apply the common-fields form, keeping the trainer's layout as far as possible.

    Top-level scalars are replaced in place; nested values (``brief.duration_minutes``) force a
    re-dump of the whole file, but only when they actually change, since a re-dump drops comments.
    """
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        return text
    changed_nested = {}
    for dotted, value in fields.items():
        if "." not in dotted:
            continue
        node: Any = data
        for part in dotted.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node != value:
            changed_nested[dotted] = value
    for key, value in fields.items():
        if "." not in key and data.get(key) != value:
            text = set_top_level(text, key, str(value))
    for dotted, value in list(changed_nested.items()):
        edited = _set_nested_scalar(text, dotted, value)
        if edited is not None:
            text = edited
            del changed_nested[dotted]
    if not changed_nested:
        return text
    data = yaml.safe_load(text)
    for dotted, value in changed_nested.items():
        target = data
        *parents, leaf = dotted.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = value
    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))


# --- personas ------------------------------------------------------------------------------------


def names_by_id(db: Session) -> dict[int, str]:
    return {u.id: (u.full_name or u.username) for u in db.exec(select(User)) if u.id is not None}


def public(db: Session, persona: StudioPersona, names: dict[int, str] | None = None) -> StudioPersonaPublic:
    names = names if names is not None else names_by_id(db)
    return StudioPersonaPublic(
        id=persona.id,
        bloc=persona.bloc,
        role=persona.role,
        title=persona.title,
        status=str(persona.status),
        builtin=False,
        author=names.get(persona.author_id, "?"),
        based_on=persona.based_on,
        latest_version=persona.latest_version,
        updated_at=persona.updated_at,
    )


def builtin_public(persona: Persona) -> StudioPersonaPublic:
    return StudioPersonaPublic(
        id=persona.id,
        bloc=int(persona.bloc),
        role=persona.role,
        title=persona.title,
        status="builtin",
        builtin=True,
        author="bibliothèque",
        based_on=None,
        latest_version=0,
        updated_at=None,
    )


def catalogue(
    db: Session,
    library: PersonaLibrary,
    *,
    bloc: int | None = None,
    role: str = "",
    author: str = "",
    status: str = "",
    q: str = "",
) -> list[StudioPersonaPublic]:
    """Built-in and studio personas, filtered as the studio list page asks (archived only on demand)."""
    names = names_by_id(db)
    items = [builtin_public(p) for p in library.builtins()]
    items += [
        public(db, p, names)
        for p in db.exec(select(StudioPersona).order_by(col(StudioPersona.bloc), col(StudioPersona.title)))
    ]
    needle = q.strip().lower()

    def keep(item: StudioPersonaPublic) -> bool:
        if bloc is not None and item.bloc != bloc:
            return False
        if role and role.lower() not in item.role.lower():
            return False
        if author and author.lower() not in item.author.lower():
            return False
        if status and item.status != status:
            return False
        if not status and item.status == StudioStatus.archived:
            return False
        return not needle or needle in f"{item.id} {item.title} {item.role}".lower()

    return [i for i in items if keep(i)]


def get_persona(db: Session, persona_id: str) -> StudioPersona:
    persona = db.get(StudioPersona, persona_id)
    if persona is None:
        raise ApiError(404, "persona_not_found", f"Persona introuvable dans l'atelier : {persona_id}.")
    return persona


def versions_of(db: Session, persona_id: str) -> list[StudioPersonaVersion]:
    return list(
        db.exec(
            select(StudioPersonaVersion)
            .where(StudioPersonaVersion.persona_id == persona_id)
            .order_by(col(StudioPersonaVersion.number))
        )
    )


def get_version(db: Session, persona_id: str, number: int | None = None) -> StudioPersonaVersion:
    """A given version, or the latest one."""
    query = select(StudioPersonaVersion).where(StudioPersonaVersion.persona_id == persona_id)
    if number is None:
        query = query.order_by(col(StudioPersonaVersion.number).desc())
    else:
        query = query.where(StudioPersonaVersion.number == number)
    version = db.exec(query).first()
    if version is None:
        raise ApiError(404, "version_not_found", "Version introuvable.")
    return version


def version_public(versions: list[StudioPersonaVersion], names: dict[int, str]) -> list[StudioVersionPublic]:
    return [
        StudioVersionPublic(
            number=v.number, comment=v.comment, author=names.get(v.author_id, "?"), created_at=v.created_at
        )
        for v in versions
    ]


def source_text(
    db: Session, library: PersonaLibrary, directory: Path, source_id: str, number: int | None = None
) -> str:
    """The YAML text of a built-in file or of a studio version (latest by default)."""
    text = builtin_text(directory, source_id) if library.builtin(source_id) is not None else None
    if text is not None:
        return text
    return get_version(db, get_persona(db, source_id).id, number).yaml_text


def _id_taken(db: Session, library: PersonaLibrary, persona_id: str) -> bool:
    return library.builtin(persona_id) is not None or db.get(StudioPersona, persona_id) is not None


def _free_id(db: Session, library: PersonaLibrary, base: str) -> str:
    stem = re.sub(r"-copie(-\d+)?$", "", base)[:50]
    for n in range(1, 1000):
        candidate = f"{stem}-copie" if n == 1 else f"{stem}-copie-{n}"
        if not _id_taken(db, library, candidate):
            return candidate
    raise ApiError(409, "persona_id_taken", "Impossible de trouver un identifiant libre.")


def _store_version(
    db: Session, persona: StudioPersona, user: User, text: str, parsed: Persona, comment: str
) -> StudioPersonaVersion:
    assert user.id is not None
    persona.latest_version += 1
    persona.bloc, persona.role, persona.title = int(parsed.bloc), parsed.role, parsed.title
    persona.updated_at = utcnow()
    version = StudioPersonaVersion(
        persona_id=persona.id,
        number=persona.latest_version,
        yaml_text=text,
        data=parsed.model_dump(mode="json"),
        comment=comment.strip()[:500],
        author_id=user.id,
    )
    db.add(persona)
    db.add(version)
    return version


def create_from(
    db: Session,
    library: PersonaLibrary,
    directory: Path,
    user: User,
    source_id: str,
    new_id: str | None = None,
    title: str | None = None,
) -> StudioPersona:
    """A new editable persona copied from a built-in (a bloc's template) or a studio persona."""
    text = source_text(db, library, directory, source_id)
    persona_id = (new_id or "").strip() or _free_id(db, library, source_id)
    if not SLUG.match(persona_id) or len(persona_id) > 64:
        raise ApiError(422, "persona_invalid", "Identifiant invalide : minuscules, chiffres, « - » ou « _ ».")
    if _id_taken(db, library, persona_id):
        raise ApiError(409, "persona_id_taken", f"L'identifiant « {persona_id} » est déjà utilisé.")
    text = set_top_level(text, "id", persona_id)
    if title and title.strip():
        text = set_top_level(text, "title", title.strip())
    parsed, errors = validate_text(text, f"{persona_id}.yaml")
    if parsed is None:
        raise invalid(errors)
    assert user.id is not None
    persona = StudioPersona(id=persona_id, author_id=user.id, based_on=source_id)
    _store_version(db, persona, user, text, parsed, f"Créé à partir de {source_id}")
    db.commit()
    db.refresh(persona)
    return persona


def save_version(db: Session, persona: StudioPersona, user: User, text: str, comment: str) -> StudioPersonaVersion:
    """Validate and store a new immutable version; an invalid text raises 422 and stores nothing."""
    parsed, errors = validate_text(text, f"{persona.id}.yaml", expected_id=persona.id)
    if parsed is None:
        raise invalid(errors)
    if text == get_version(db, persona.id).yaml_text:
        raise ApiError(409, "no_change", "Aucune modification depuis la dernière version : rien à enregistrer.")
    version = _store_version(db, persona, user, text, parsed, comment)
    db.commit()
    db.refresh(version)
    return version


def import_text(
    db: Session, library: PersonaLibrary, user: User, text: str, filename: str = "import.yaml", comment: str = ""
) -> tuple[StudioPersona, StudioPersonaVersion]:
    """Import a persona file as is: a new studio persona, or a new version of the studio persona with its id."""
    parsed, errors = validate_text(text, filename)
    if parsed is None:
        raise invalid(errors)
    if library.builtin(parsed.id) is not None:
        raise ApiError(
            409,
            "persona_id_taken",
            f"« {parsed.id} » est un persona de la bibliothèque intégrée (lecture seule) : "
            "changez son id pour l'importer comme copie.",
        )
    persona = db.get(StudioPersona, parsed.id)
    assert user.id is not None
    if persona is None:
        persona = StudioPersona(id=parsed.id, author_id=user.id)
    elif text == get_version(db, persona.id).yaml_text:
        return persona, get_version(db, persona.id)
    version = _store_version(db, persona, user, text, parsed, comment or f"Import de {filename}")
    db.commit()
    db.refresh(persona)
    db.refresh(version)
    return persona, version


def set_status(db: Session, persona: StudioPersona, status: StudioStatus) -> StudioPersona:
    persona.status = status
    persona.updated_at = utcnow()
    db.add(persona)
    db.commit()
    db.refresh(persona)
    return persona


def persona_of(version: StudioPersonaVersion) -> Persona:
    return parse_persona(version.data, f"{version.persona_id}.yaml")


_published_cache: dict[tuple[str, int], Persona] = {}


def published_personas(db: Session) -> dict[str, Persona]:
    """Latest version of every published studio persona (what candidates may play and be assigned)."""
    result: dict[str, Persona] = {}
    for row in db.exec(select(StudioPersona).where(StudioPersona.status == StudioStatus.published)):
        key = (row.id, row.latest_version)
        if key not in _published_cache:
            _published_cache[key] = persona_of(get_version(db, row.id, row.latest_version))
        result[row.id] = _published_cache[key]
    return result


def lint_text(text: str, file: str, scripts_of: str | None = None) -> tuple[list[FieldError], list[str]]:
    """Errors (if invalid) or the lint warnings of a persona text, like `python -m personas lint`.

    Scripted strong/weak candidates are keyed by persona id; a copy of a built-in persona is
    played against its original's scripts (`scripts_of`), so edits that break the exercise show up.
    """
    parsed, errors = validate_text(text, file)
    if parsed is None:
        return errors, []
    if scripts_of and scripts_of != parsed.id:
        return [], lint_persona(parsed.model_copy(update={"id": scripts_of}))
    return [], lint_persona(parsed)


def scripts_of(db: Session, library: PersonaLibrary, persona_id: str) -> str | None:
    """The built-in persona whose scripted candidates test this one (itself, or the one it was copied from)."""
    seen: set[str] = set()
    current: str | None = persona_id
    while current and current not in seen:
        if library.builtin(current) is not None:
            return current
        seen.add(current)
        row = db.get(StudioPersona, current)
        current = row.based_on if row else None
    return None


# --- try it --------------------------------------------------------------------------------------


def start_trial(db: Session, user: User, persona: Persona, version_label: str,
                seed: int | None = None) -> RoleplaySession:
    """A `trial` session on this exact version: played through Rasa like any session, hidden from results.
    With a seed, the trial plays that form (thresholds, line choices) again."""
    session = dialogue.start_session(db, user, persona, seed=seed, mode=SessionMode.trial)
    session.persona_version = version_label[:40]
    db.add(session)
    db.commit()
    db.refresh(session)
    return session


def trial_session(db: Session, session_id: str, user: User) -> RoleplaySession:
    session = db.get(RoleplaySession, session_id)
    if session is None or session.mode != SessionMode.trial or session.candidate_id != user.id:
        raise ApiError(404, "session_not_found", "Session d'essai introuvable.")
    return session


_ROLE_FR = {"own_offer": "offre du candidat", "partner_figure": "chiffre de l'interlocuteur", "other": "autre"}
_SUBTYPE_FR = {"ouverte": "ouverte", "precise": "précise", "fermee": "fermée", "alternative": "alternative",
               "suggestive": "suggestive", "rhetorique": "rhétorique"}
_ACCURACY_FR = {"accurate": "exacte", "partial": "en partie exacte", "inaccurate": "inexacte"}
_STYLE_FR = {"assertive": "assertif", "aggressive": "agressif", "passive": "passif", "neutral": "neutre"}


def reading_panel(turns: list[Any]) -> dict[str, Any] | None:
    """How the last answered candidate turn was read (the reading the engine acted on), in French."""
    last = next((t for t in reversed(turns) if t.speaker_role == "candidate" and t.reading), None)
    if last is None:
        return None
    r: dict[str, Any] = last.reading
    amounts = [f"{a.get('text')} → {_ROLE_FR.get(str(a.get('role')), a.get('role'))}"
               for a in r.get("amounts") or [] if isinstance(a, dict)]
    stance = r.get("stance") or {}
    return {
        "text": last.text,
        "question": _SUBTYPE_FR.get(str(r.get("question_subtype")), "—") if r.get("question_subtype") else "—",
        "amounts": amounts,
        "offer": r.get("offer"),
        "offer_ambiguous": bool(r.get("offer_ambiguous")),
        "addressee": r.get("addressee") or [],
        "reformulation": _ACCURACY_FR.get(str(r.get("reformulation_accuracy")), "—")
        if r.get("is_reformulation") else "—",
        "mismatches": r.get("reformulation_mismatches") or [],
        "summary": _ACCURACY_FR.get(str(r.get("summary_accuracy")), "—") if r.get("is_summary") else "—",
        "summary_mismatches": r.get("summary_mismatches") or [],
        "stance": ", ".join(x for x in (f"donne raison à {stance['sides_with']}" if stance.get("sides_with") else "",
                                        f"met en cause {stance['blames']}" if stance.get("blames") else "") if x),
        "tone": _STYLE_FR.get(str(r.get("assertiveness")), "—"),
        "topics": r.get("topics") or [],
        "reader_version": r.get("reader_version"),
    }


def state_panel(session: RoleplaySession, turns: list[Any] | None = None) -> dict[str, Any]:
    """The persona's hidden state after the last turn, with the thresholds it is measured against,
    and the reading of the last candidate turn (what the engine acted on)."""
    state: dict[str, Any] = dict(session.state or {})
    persona = session.persona_snapshot or {}
    personality = persona.get("personality") or {}
    negotiation = persona.get("negotiation") or {}
    talk = state.get("negotiation") or {}
    return {
        "session_id": session.id,
        "status": str(session.status),
        "outcome": session.outcome,
        "turn": state.get("turn", state.get("turns", 0)),
        "trust": state.get("trust", personality.get("initial_trust")),
        "tension": state.get("tension", personality.get("initial_tension")),
        "walkout_tension": personality.get("walkout_tension"),
        "stage": state.get("stage", "decouverte"),
        "revealed_needs": state.get("revealed_needs", []),
        "needs": [n.get("id") for n in persona.get("needs", []) if isinstance(n, dict)],
        "open_objections": state.get("open_objections", []),
        "resolved_objections": state.get("resolved_objections", []),
        "persona_offers": talk.get("persona_offers", []),
        "candidate_offers": talk.get("candidate_offers", []),
        "counterparts_obtained": talk.get("counterparts_obtained", []),
        # The session's own draw within the trainer's band, once the engine has recorded it.
        "thresholds": {
            k: (state.get("thresholds") or {}).get(k, negotiation.get(k))
            for k in ("opening", "target", "walk_away", "candidate_floor", "candidate_list_price")
            if k in negotiation
        },
        "seed": session.seed,
        "members": state.get("members", {}),
        "state": state,
        "reading": reading_panel(turns or []),
        # What the panel prints, in French (the codes above stay for scripts and tests).
        "stage_label": formatting.stage(state.get("stage", "decouverte")),
        "outcome_label": formatting.outcome(session.outcome) if session.outcome else None,
        "thresholds_text": "; ".join(
            f"{formatting.THRESHOLD_LABELS.get(k, k)} : {formatting.number(negotiation.get(k))}"
            for k in ("opening", "target", "walk_away", "candidate_floor", "candidate_list_price")
            if k in negotiation) or "—",
    }
