"""Account creation, one by one or from a CSV file, with a per-line report."""

from __future__ import annotations

import csv
import io
import re
import secrets

from sqlmodel import Session, SQLModel, select

from api.errors import ApiError
from api.models import CohortMember, Role, User
from api.security import hash_password

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
ROLE_NAMES = {"candidat": Role.candidate, "candidate": Role.candidate, "jure": Role.juror, "juré": Role.juror,
              "juror": Role.juror, "formateur": Role.trainer, "trainer": Role.trainer,
              "admin": Role.admin, "administrateur": Role.admin}
MAX_IMPORT_LINES = 2000


class ImportLine(SQLModel):
    line: int
    username: str
    status: str  # created | rejected
    reason: str = ""
    initial_password: str | None = None


class ImportReport(SQLModel):
    created: int
    rejected: int
    lines: list[ImportLine]


def roles_creatable_by(user: User) -> set[Role]:
    if user.role == Role.admin:
        return set(Role)
    if user.role == Role.trainer:
        return {Role.candidate, Role.juror}
    return set()


def validate_new_account(db: Session, creator: User, username: str, role: Role, password: str) -> str | None:
    """The French reason an account cannot be created, or None."""
    if role not in roles_creatable_by(creator):
        return f"rôle non autorisé pour votre compte : {role.value}"
    return account_problem(db, username, password)


def account_problem(db: Session, username: str, password: str) -> str | None:
    """The French reason a new account with this identity cannot exist, whoever creates it, or None.

    Shared by the API (a trainer or admin creating accounts) and the operator's command line
    (`python -m api.admin`), so both refuse the same identifiers and passwords.
    """
    if not USERNAME.match(username):
        return "identifiant invalide (3 à 64 caractères : minuscules, chiffres, . _ -)"
    if problem := password_problem(password):
        return problem
    if db.exec(select(User).where(User.username == username)).first() is not None:
        return "identifiant déjà utilisé"
    return None


def password_problem(password: str) -> str | None:
    """The French reason a password is refused, or None."""
    if len(password) < 8:
        return "mot de passe trop court (8 caractères au moins)"
    return None


def create_account(db: Session, creator: User, username: str, full_name: str, role: Role, password: str,
                   extra_time_percent: int = 0, cohort_id: int | None = None) -> User:
    reason = validate_new_account(db, creator, username, role, password)
    if reason:
        raise ApiError(422, "account_rejected", f"Compte refusé : {reason}.")
    user = User(username=username, full_name=full_name, role=role, password_hash=hash_password(password),
                extra_time_percent=extra_time_percent)
    db.add(user)
    db.flush()
    if cohort_id is not None and role == Role.candidate:
        assert user.id is not None
        db.add(CohortMember(cohort_id=cohort_id, user_id=user.id))
    return user


def import_accounts(db: Session, creator: User, content: bytes, cohort_id: int) -> ImportReport:
    """Create the accounts of a CSV file into a cohort.

    Columns (header required, `;` or `,`): identifiant, nom, role (défaut candidat), mot_de_passe
    (généré si vide), tiers_temps (pourcentage de temps supplémentaire). Each line is created or
    rejected on its own; the report says which and why.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ApiError(422, "csv_encoding", "Le fichier CSV doit être encodé en UTF-8.") from error
    if not text.strip():
        raise ApiError(422, "csv_empty", "Le fichier CSV est vide.")
    dialect = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=dialect)
    headers = {h.strip().lower() for h in (reader.fieldnames or [])}
    if "identifiant" not in headers:
        raise ApiError(422, "csv_header", "Colonne obligatoire absente de l'en-tête : identifiant.")
    lines: list[ImportLine] = []
    seen: set[str] = set()
    for number, raw in enumerate(reader, start=2):
        if number > MAX_IMPORT_LINES + 1:
            raise ApiError(422, "csv_too_long", f"Le fichier dépasse {MAX_IMPORT_LINES} lignes.")
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        username = row.get("identifiant", "").lower()
        role_name = row.get("role", "") or row.get("rôle", "") or "candidat"
        role = ROLE_NAMES.get(role_name.lower())
        generated = not row.get("mot_de_passe")
        password = row.get("mot_de_passe") or secrets.token_urlsafe(9)
        extra = row.get("tiers_temps", "") or "0"
        reason: str | None
        if role is None:
            reason = f"rôle inconnu : {role_name}"
        elif username in seen:
            reason = "identifiant en double dans le fichier"
        elif not extra.rstrip("%").strip().isdigit() or int(extra.rstrip("%")) > 200:
            reason = f"temps supplémentaire invalide : {extra} (pourcentage de 0 à 200)"
        else:
            reason = validate_new_account(db, creator, username, role, password)
        seen.add(username)
        if reason or role is None:
            lines.append(ImportLine(line=number, username=username, status="rejected", reason=reason or ""))
            continue
        create_account(db, creator, username, row.get("nom", ""), role, password,
                       int(extra.rstrip("%")), cohort_id)
        lines.append(ImportLine(line=number, username=username, status="created",
                                initial_password=password if generated else None))
    db.commit()
    created = sum(1 for line in lines if line.status == "created")
    return ImportReport(created=created, rejected=len(lines) - created, lines=lines)
