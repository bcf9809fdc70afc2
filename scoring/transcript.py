"""Transcript format (see docs/scoring.md) and importers for JSON, plain text and CSV files.

JSON::

    {"bloc": 4, "language": "fr", "persona_id": "acheteur-industrie",
     "negotiation": {"list_price": 48000, "floor": 42000, "walk_away": 46000},   # optional
     "turns": [{"id": "t1", "speaker_role": "candidate", "speaker_name": "Candidat",
                "text": "Bonjour…", "timestamp": null}, …]}

Plain text: one ``Nom : texte`` line per turn (continuation lines are appended to the previous turn,
lines starting with ``#`` may set ``# bloc: 4`` or ``# langue: fr``). CSV: columns ``speaker`` (or
``speaker_name``/``nom``), ``text`` (or ``texte``), optional ``role``/``speaker_role`` and ``timestamp``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from scoring.errors import ScoringInputError, check_language
from scoring.schema import SpeakerRef, TopicRef

SpeakerRole = Literal["candidate", "persona", "other"]
CANDIDATE_NAMES = {"candidat", "candidate", "candidat(e)", "vendeur", "vendeuse", "commercial", "commerciale",
                   "manager", "moi", "me", "seller", "salesperson", "apprenant", "apprenante", "user",
                   "utilisateur", "responsable commercial", "responsable"}
MAX_FILE_BYTES = 5_000_000


class Turn(BaseModel):
    """One turn of the conversation."""

    id: str
    speaker_role: SpeakerRole
    speaker_name: str = ""
    text: str
    timestamp: datetime | None = None
    speaker_id: str | None = None  # which of the persona's speakers (Bloc 5 has two)
    # The reading stored with a candidate turn during the session (scoring.schema.TurnReading as
    # JSON): the report uses it as-is unless an older reader made it.
    reading: dict[str, Any] | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_str(cls, v: object) -> str:
        return str(v)


class NegotiationThresholds(BaseModel):
    """Prices known from the persona/brief, to place the final price (all optional)."""

    unit_label: str = "€ HT"
    list_price: float | None = None
    floor: float | None = None
    buyer_opening: float | None = None
    buyer_target: float | None = None
    walk_away: float | None = None


class EngineRecord(BaseModel):
    """The persona engine's own record of a played session (optional): how it ended and its final
    state (``personas.engine.models.EngineState`` as JSON). Kept as a plain mapping so the scoring
    package never imports the engine; ``scoring.engine_record`` reads the parts the grid needs."""

    outcome: str | None = None
    ended_reason: str | None = None
    seed: int | None = None
    persona_version: str | None = None
    state: dict[str, Any] = Field(default_factory=dict)

    @field_validator("state", mode="before")
    @classmethod
    def _no_state(cls, v: object) -> object:
        """A session that never reached the engine has ``"state": null`` in exports."""
        return {} if v is None else v


class Transcript(BaseModel):
    """A role-play conversation: the contract between the API, the CLI and the scorer."""

    bloc: Literal[2, 4, 5] | None = None
    language: str = "fr"
    persona_id: str | None = None
    turns: list[Turn] = Field(default_factory=list)
    negotiation: NegotiationThresholds | None = None
    speakers: list[SpeakerRef] = Field(default_factory=list)  # the persona's speakers (ids and names)
    topics: list[TopicRef] = Field(default_factory=list)  # the persona's needs, facts, objections
    engine: EngineRecord | None = None  # the engine's record when the session was played in the product

    @field_validator("language")
    @classmethod
    def _known_language(cls, v: str) -> str:
        return check_language(v)

    def candidate_turns(self) -> list[Turn]:
        """Turns said by the candidate, in order."""
        return [t for t in self.turns if t.speaker_role == "candidate"]


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScoringInputError(f"Fichier illisible : {path} ({exc.strerror}).",
                                f"Cannot read file: {path} ({exc.strerror}).") from exc
    if len(raw) > MAX_FILE_BYTES:
        raise ScoringInputError(f"Fichier trop volumineux : {path} ({len(raw)} octets).",
                                f"File too large: {path} ({len(raw)} bytes).")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScoringInputError(
            f"Le fichier {path} n'est pas encodé en UTF-8 (octet invalide en position {exc.start}).",
            f"File {path} is not UTF-8 encoded (invalid byte at position {exc.start}).",
        ) from exc


def _role_for(name: str, candidate: str | None, first_speaker: str) -> SpeakerRole:
    low = name.strip().lower()
    if candidate is not None:
        return "candidate" if low == candidate.strip().lower() else "persona"
    if low in CANDIDATE_NAMES or low.startswith(("candidat", "vendeu", "commercial")):
        return "candidate"
    return "candidate" if low == first_speaker.strip().lower() else "persona"


_LINE = re.compile(r"^\s*(?:\[(?P<ts>[^\]]+)\]\s*)?(?P<name>[^:#\n]{1,60}?)\s*:\s*(?P<text>.*)$")
_HEADER = re.compile(r"^\s*#\s*(?P<key>bloc|langue|language|lang|persona|candidat|candidate)\s*:\s*(?P<val>.+)$",
                     re.IGNORECASE)


def parse_text(content: str, language: str = "fr", candidate: str | None = None) -> Transcript:
    """Parse ``Nom : texte`` lines. Without a known role name, the first speaker is the candidate."""
    meta: dict[str, str] = {}
    rows: list[list[str]] = []
    for line in content.splitlines():
        if not line.strip():
            continue
        head = _HEADER.match(line)
        if head:
            meta[head.group("key").lower()] = head.group("val").strip()
            continue
        if line.lstrip().startswith("#"):
            continue
        m = _LINE.match(line)
        if m and m.group("text").strip():
            rows.append([m.group("name").strip(), m.group("text").strip()])
        elif rows:
            rows[-1][1] += " " + line.strip()
        else:
            raise ScoringInputError(
                f"Ligne sans « Nom : texte » au début du fichier : « {line[:60]} ».",
                f"Line without 'Name: text' at the start of the file: '{line[:60]}'.",
            )
    lang = meta.get("langue") or meta.get("language") or meta.get("lang") or language
    cand = candidate or meta.get("candidat") or meta.get("candidate")
    return _build(rows, lang, cand, meta.get("bloc"), meta.get("persona"))


def _build(rows: list[list[str]], lang: str, candidate: str | None, bloc: str | None,
           persona: str | None) -> Transcript:
    if not rows:
        raise ScoringInputError("Transcription vide : aucun tour de parole.", "Empty transcript: no turns.")
    names = [r[0] for r in rows]
    known = next((n for n in names if n.strip().lower() in CANDIDATE_NAMES), None)
    first = known or names[0]
    turns = [Turn(id=f"t{i + 1}", speaker_role=_role_for(name, candidate, first), speaker_name=name, text=text)
             for i, (name, text) in enumerate(rows)]
    bloc_value = int(bloc) if bloc and bloc.strip().isdigit() else None
    return validate_transcript({"bloc": bloc_value, "language": lang, "persona_id": persona,
                                "turns": [t.model_dump() for t in turns]})


def parse_csv(content: str, language: str = "fr", candidate: str | None = None) -> Transcript:
    """Parse a CSV with a header row (comma or semicolon separated)."""
    try:
        dialect = csv.Sniffer().sniff(content[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(content), dialect=dialect)
    fields = {f.strip().lower(): f for f in (reader.fieldnames or [])}
    name_key = next((fields[k] for k in ("speaker", "speaker_name", "nom", "locuteur", "name") if k in fields),
                    None)
    text_key = next((fields[k] for k in ("text", "texte", "message", "utterance") if k in fields), None)
    role_key = next((fields[k] for k in ("speaker_role", "role", "rôle") if k in fields), None)
    if name_key is None or text_key is None:
        raise ScoringInputError(
            "CSV : colonnes « speaker » et « text » (ou « nom » et « texte ») attendues.",
            "CSV: columns 'speaker' and 'text' expected.",
        )
    rows: list[list[str]] = []
    roles: list[str] = []
    for row in reader:
        text = (row.get(text_key) or "").strip()
        if text:
            rows.append([(row.get(name_key) or "").strip(), text])
            roles.append((row.get(role_key) or "").strip().lower() if role_key else "")
    transcript = _build(rows, language, candidate, None, None)
    if role_key and any(roles):
        mapping: dict[str, SpeakerRole] = {"candidate": "candidate", "candidat": "candidate", "persona": "persona",
                                           "other": "other", "autre": "other"}
        for turn, role in zip(transcript.turns, roles, strict=True):
            turn.speaker_role = mapping.get(role, turn.speaker_role)
    return transcript


def validate_transcript(data: object) -> Transcript:
    """Validate a JSON-like object into a Transcript, with a readable bilingual error."""
    try:
        transcript = Transcript.model_validate(data)
    except ScoringInputError:
        raise
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        if "language" in where and isinstance(data, dict):
            check_language(str(data.get("language")))
        raise ScoringInputError(f"Transcription invalide : {where} : {first['msg']}.",
                                f"Invalid transcript: {where}: {first['msg']}.") from exc
    return transcript


def load_transcript(path: str | Path, language: str = "fr", candidate: str | None = None) -> Transcript:
    """Load ``.json``, ``.txt`` or ``.csv`` (chosen by extension; unknown extensions are read as text)."""
    p = Path(path)
    content = _read_text(p)
    suffix = p.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(content)
        except json.JSONDecodeError as exc:
            raise ScoringInputError(f"JSON invalide ({exc.msg}, ligne {exc.lineno}).",
                                    f"Invalid JSON ({exc.msg}, line {exc.lineno}).") from exc
        return validate_transcript(data)
    if suffix == ".csv":
        return parse_csv(content, language, candidate)
    return parse_text(content, language, candidate)
