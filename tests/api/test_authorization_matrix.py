"""Every role (and anonymous) against every API route, generated from the app's route table.

A new route without a rule below fails `test_every_api_route_has_a_rule`. A caller without the
right gets 401 (anonymous) or 404 (signed in: the resource's existence must not leak).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Assignment, Cohort, CohortMember, JurorAssignment, Role, User
from api.security import hash_password
from api.services import dialogue
from tests.api.access_rules import load_extensions
from tests.conftest import DEMO_PASSWORD, login

ANON, CANDIDATE, JUROR, TRAINER, ADMIN = "anonyme", "demo-candidat", "demo-jury", "demo-formateur", "admin-test"
SIGNED_IN = frozenset({CANDIDATE, JUROR, TRAINER, ADMIN})
EVERYONE = SIGNED_IN | {ANON}
MANAGERS = frozenset({TRAINER, ADMIN})

RULES: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/api/health"): EVERYONE,
    ("GET", "/api/health/live"): EVERYONE,
    ("POST", "/api/auth/login"): EVERYONE,
    ("POST", "/api/auth/logout"): SIGNED_IN,
    ("GET", "/api/auth/me"): SIGNED_IN,
    ("POST", "/api/me/password"): SIGNED_IN,
    ("PUT", "/api/me/settings"): SIGNED_IN,
    ("GET", "/api/me/progress"): SIGNED_IN,
    ("GET", "/api/users"): MANAGERS,
    ("POST", "/api/users"): MANAGERS,
    ("PATCH", "/api/users/{user_id}"): MANAGERS,
    ("GET", "/api/cohorts"): MANAGERS,
    ("POST", "/api/cohorts"): MANAGERS,
    ("GET", "/api/cohorts/{cohort_id}"): MANAGERS,
    ("PATCH", "/api/cohorts/{cohort_id}"): MANAGERS,
    ("POST", "/api/cohorts/{cohort_id}/members"): MANAGERS,
    ("DELETE", "/api/cohorts/{cohort_id}/members/{user_id}"): MANAGERS,
    ("POST", "/api/cohorts/{cohort_id}/import"): MANAGERS,
    ("GET", "/api/assignments/mine"): SIGNED_IN,
    ("GET", "/api/assignments"): MANAGERS,
    ("POST", "/api/assignments"): MANAGERS,
    ("DELETE", "/api/assignments/{assignment_id}"): MANAGERS,
    ("GET", "/api/personas"): SIGNED_IN,
    ("GET", "/api/personas/{persona_id}"): SIGNED_IN,
    ("GET", "/api/sessions"): SIGNED_IN,
    ("POST", "/api/sessions"): SIGNED_IN,
    ("GET", "/api/sessions/{session_id}"): frozenset({CANDIDATE, JUROR, TRAINER, ADMIN}),
    ("POST", "/api/sessions/{session_id}/messages"): frozenset({CANDIDATE}),
    ("POST", "/api/sessions/{session_id}/retry"): frozenset({CANDIDATE}),
    ("POST", "/api/sessions/{session_id}/end"): frozenset({CANDIDATE}),
    ("GET", "/api/sessions/{session_id}/report"): frozenset({CANDIDATE, JUROR, TRAINER, ADMIN}),
    ("POST", "/api/sessions/{session_id}/jurors"): MANAGERS,
    ("POST", "/api/sessions/{session_id}/release"): frozenset({JUROR, TRAINER, ADMIN}),
}


# Each feature area may add its own rules, world objects and request bodies in a module of
# tests/api/access_rules/ exporting RULES, extend_world(db, world) and bodies(world).
EXTENSIONS = load_extensions()
for extension in EXTENSIONS:
    RULES.update(extension.RULES)


def api_routes(client: TestClient) -> set[tuple[str, str]]:
    """Every (method, path) of the API, from the app's own route table as OpenAPI publishes it."""
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    return {
        (method.upper(), path) for path, operations in paths.items() if path.startswith("/api") for method in operations
    }


def build_world(client: TestClient) -> dict[str, Any]:
    """Fresh objects for one request: the candidate's ended session in the trainer's cohort, assigned to
    the juror; an assignment without sessions; a spare cohort member."""
    engine = client.app.state.engine  # type: ignore[attr-defined]
    persona = client.app.state.personas.all()[0]  # type: ignore[attr-defined]
    with Session(engine) as db:
        users = {u.username: u for u in db.exec(select(User))}
        if ADMIN not in users:
            db.add(User(username=ADMIN, role=Role.admin, password_hash=hash_password(DEMO_PASSWORD)))
            db.commit()
            users = {u.username: u for u in db.exec(select(User))}
        candidate, trainer, juror = users[CANDIDATE], users[TRAINER], users[JUROR]
        assert trainer.id and candidate.id and juror.id
        cohort = Cohort(name=f"Promo {uuid.uuid4().hex[:6]}", trainer_id=trainer.id)
        db.add(cohort)
        db.flush()
        assert cohort.id
        spare = User(username=f"spare-{uuid.uuid4().hex[:8]}", role=Role.candidate, password_hash="x")
        db.add(spare)
        db.flush()
        assert spare.id
        db.add(CohortMember(cohort_id=cohort.id, user_id=candidate.id))
        db.add(CohortMember(cohort_id=cohort.id, user_id=spare.id))
        assignment = Assignment(cohort_id=cohort.id, persona_id=persona.id, created_by=trainer.id)
        db.add(assignment)
        db.commit()
        session = dialogue.start_session(db, candidate, persona, seed=1)
        db.add(JurorAssignment(session_id=session.id, juror_id=juror.id, assigned_by=trainer.id))
        db.commit()
        world = {
            "cohort_id": cohort.id,
            "user_id": spare.id,
            "assignment_id": assignment.id,
            "session_id": session.id,
            "persona_id": persona.id,
            "juror_id": juror.id,
            "candidate_id": candidate.id,
            "trainer_id": trainer.id,
        }
        for extension in EXTENSIONS:
            extension.extend_world(db, world)
        return world


def request_for(method: str, path: str, world: dict[str, Any]) -> dict[str, Any]:
    url = path.format(**world)
    bodies: dict[tuple[str, str], dict[str, Any]] = {
        ("POST", "/api/auth/login"): {"json": {"username": CANDIDATE, "password": DEMO_PASSWORD}},
        ("POST", "/api/me/password"): {"json": {"current_password": "faux-mot", "new_password": "nouveau-123"}},
        ("PUT", "/api/me/settings"): {"json": {"large_text": True}},
        ("POST", "/api/users"): {
            "json": {"username": f"u-{uuid.uuid4().hex[:8]}", "password": "motdepasse-1", "role": "candidate"}
        },
        ("PATCH", "/api/users/{user_id}"): {"json": {"extra_time_percent": 33}},
        ("POST", "/api/cohorts"): {"json": {"name": "Nouvelle promo"}},
        ("PATCH", "/api/cohorts/{cohort_id}"): {"json": {"description": "x"}},
        ("POST", "/api/cohorts/{cohort_id}/members"): {"json": {"user_id": world["candidate_id"]}},
        ("POST", "/api/cohorts/{cohort_id}/import"): {
            "files": {"file": ("comptes.csv", f"identifiant;nom\nimp-{uuid.uuid4().hex[:8]};Imp\n", "text/csv")}
        },
        ("POST", "/api/assignments"): {"json": {"cohort_id": world["cohort_id"], "persona_id": world["persona_id"]}},
        ("POST", "/api/sessions"): {"json": {"persona_id": world["persona_id"]}},
        ("POST", "/api/sessions/{session_id}/messages"): {"json": {"text": "Bonjour"}},
        ("POST", "/api/sessions/{session_id}/jurors"): {"json": {"juror_id": world["juror_id"]}},
    }
    for extension in EXTENSIONS:
        bodies.update(extension.bodies(world))
    return {"method": method, "url": url, **bodies.get((method, path), {})}


def test_every_api_route_has_a_rule(client: TestClient) -> None:
    routes = api_routes(client)
    missing = sorted(routes - set(RULES))
    stale = sorted(set(RULES) - routes)
    assert not missing, f"routes sans règle d'accès dans la matrice : {missing}"
    assert not stale, f"règles pour des routes qui n'existent plus : {stale}"


@pytest.mark.parametrize("role", [ANON, CANDIDATE, JUROR, TRAINER, ADMIN])
def test_each_role_against_each_route(client: TestClient, role: str) -> None:
    failures = []
    for method, path in sorted(api_routes(client)):
        world = build_world(client)
        if (method, path) == ("GET", "/api/sessions/{session_id}/report"):
            client.post(f"/api/sessions/{world['session_id']}/end", headers=login(client, CANDIDATE))
        headers = {} if role == ANON else login(client, role, DEMO_PASSWORD)
        response = client.request(**request_for(method, path, world), headers=headers)
        allowed = role in RULES[(method, path)]
        if allowed and response.status_code in (401, 403, 404):
            failures.append(f"{method} {path}: autorisé mais {response.status_code} {response.text[:120]}")
        if not allowed:
            expected = 401 if role == ANON else 404
            if response.status_code != expected:
                failures.append(f"{method} {path}: interdit, attendu {expected}, reçu {response.status_code}")
    assert not failures, "\n".join(failures)
