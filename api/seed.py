"""Demo accounts for the embedded database, so a newcomer can log in at once."""

from __future__ import annotations

from sqlmodel import Session, select

from api.config import Settings
from api.models import Role, User
from api.security import hash_password, verify_password

DEMO_USERS: tuple[tuple[str, str, Role], ...] = (
    ("demo-candidat", "Camille Candidat", Role.candidate),
    ("demo-formateur", "Fabien Formateur", Role.trainer),
    ("demo-jury", "Jeanne Jury", Role.juror),
)


def seed_demo_accounts(db: Session, settings: Settings, *, external_db: bool = False) -> bool:
    """Create (or re-key) the demo accounts; nothing in production or on an external database.

    `external_db=True` lets tests seed a PostgreSQL database they created themselves.
    """
    if settings.app_env == "production" or not settings.demo_password:
        return False
    if not settings.is_embedded_db and not external_db:
        return False
    for username, full_name, role in DEMO_USERS:
        user = db.exec(select(User).where(User.username == username)).first()
        if user is None:
            db.add(User(username=username, full_name=full_name, role=role,
                        password_hash=hash_password(settings.demo_password)))
        elif not verify_password(settings.demo_password, user.password_hash):
            user.password_hash = hash_password(settings.demo_password)
            db.add(user)
    db.commit()
    return True
