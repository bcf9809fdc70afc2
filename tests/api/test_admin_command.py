"""`python -m api.admin`: the first administrator of an empty database, and a lost password.

Run on an empty SQLite file and an empty real PostgreSQL database: the command must migrate it itself.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.admin import main
from api.config import Settings
from api.main import create_app
from tests.conftest import make_settings

PASSWORD = "premier-admin-2026"


@pytest.fixture
def production_like(empty_database_url: str) -> Settings:
    """Settings of an empty database where no demo account will ever be seeded."""
    return make_settings(empty_database_url, demo_password="")


@pytest.fixture
def app_client(production_like: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(production_like)) as client:
        yield client


def _run(settings: Settings, *argv: str, stdin: str = PASSWORD + "\n") -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), settings=settings, stdin=io.StringIO(stdin), stdout=out)
    return status, out.getvalue()


def _login(client: TestClient, username: str, password: str) -> int:
    return client.post("/api/auth/login", json={"username": username, "password": password}).status_code


def test_first_admin_on_an_empty_database_can_log_in_and_create_accounts(production_like: Settings) -> None:
    status, out = _run(production_like, "create-admin", "Alice", "--full-name", "Alice Martin", "--password-stdin")
    assert status == 0, out
    assert "Administrateur créé : alice" in out
    with TestClient(create_app(production_like)) as client:
        token = client.post("/api/auth/login", json={"username": "alice", "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        created = client.post("/api/users", headers=headers, json={
            "username": "formateur-1", "full_name": "F", "role": "trainer", "password": "mot-de-passe-1"})
        assert created.status_code == 201, created.text


def test_an_identifier_in_use_or_a_short_password_is_refused_and_changes_nothing(
        production_like: Settings, app_client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(production_like, "create-admin", "alice", "--password-stdin")[0] == 0
    status, _ = _run(production_like, "create-admin", "alice", "--password-stdin", stdin="autre-mot-de-passe\n")
    assert status == 2
    assert "identifiant déjà utilisé" in capsys.readouterr().err
    assert _login(app_client, "alice", PASSWORD) == 200
    status, _ = _run(production_like, "create-admin", "bob", "--password-stdin", stdin="court\n")
    assert status == 2
    assert "8 caractères" in capsys.readouterr().err
    assert _login(app_client, "bob", "court") == 401


def test_reset_password_replaces_it_and_closes_open_sessions(
        production_like: Settings, app_client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(production_like, "create-admin", "alice", "--password-stdin")[0] == 0
    token = app_client.post("/api/auth/login", json={"username": "alice", "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert app_client.get("/api/auth/me", headers=headers).status_code == 200
    status, out = _run(production_like, "reset-password", "alice", "--password-stdin", stdin="nouveau-secret-42\n")
    assert status == 0, out
    assert app_client.get("/api/auth/me", headers=headers).status_code == 401
    assert _login(app_client, "alice", PASSWORD) == 401
    assert _login(app_client, "alice", "nouveau-secret-42") == 200
    assert _run(production_like, "reset-password", "inconnu", "--password-stdin")[0] == 1
    assert "Compte inconnu : inconnu" in capsys.readouterr().err


def test_the_module_runs_from_the_shell_and_reads_the_environment(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = subprocess.run(
        [sys.executable, "-m", "api.admin", "create-admin", "root-admin", "--password-stdin"],
        input=PASSWORD + "\n", capture_output=True, text=True, timeout=120,
        env={"DATABASE_URL": database_url, "SECRET_KEY": "s" * 48, "PATH": "/usr/bin:/bin"}, check=False)
    assert result.returncode == 0, result.stderr
    assert "Administrateur créé : root-admin" in result.stdout
