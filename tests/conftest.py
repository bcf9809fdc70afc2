"""Shared fixtures: settings, the app on SQLite or PostgreSQL, logged-in clients."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.config import Settings
from api.deps import get_rasa
from api.main import create_app
from scripts.stack import free_port
from tests.services import postgres_database

DEMO_PASSWORD = "mot-de-passe-demo-42"


class ScriptedRasa:
    """Stand-in for Rasa in API unit tests: answers by the REST contract of docs/contracts.md.

    Like the action server, it holds the personas it was sent by hash: a turn naming an unknown hash
    without the body gets ``persona_missing`` (recorded in `missing`, not in `calls`). The real Rasa
    server and action server are exercised by tests/integration.
    """

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.missing: list[dict[str, Any]] = []
        self.personas: dict[str, dict[str, Any]] = {}
        self.down = False

    def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        from api.services.rasa_client import RasaUnavailable
        from personas.fingerprint import persona_hash

        if self.down:
            raise RasaUnavailable("arrêté pour le test")
        roleplay = metadata["roleplay"]
        if "persona_ref" not in roleplay:  # the health check's warm-up turn: the « data missing » answer
            return [{"recipient_id": sender, "custom": {"kind": "line", "speaker_id": "systeme",
                                                        "speaker": "Système", "text": "données manquantes"}},
                    {"recipient_id": sender, "custom": {"kind": "state", "state": {}, "ended": False,
                                                        "outcome": None, "error": "absent"}}]
        digest = roleplay["persona_ref"]["hash"]
        if "persona" in roleplay:
            assert persona_hash(roleplay["persona"]) == digest, "le corps ne correspond pas à son empreinte"
            self.personas[digest] = roleplay["persona"]
        if digest not in self.personas:
            self.missing.append({"sender": sender, "text": text, "metadata": metadata})
            return [{"recipient_id": sender, "custom": {
                "kind": "state", "state": roleplay.get("state") or {}, "ended": False, "outcome": None,
                "nlu": {"intent": "greet", "confidence": 0.9}, "error": "persona_missing",
                "persona_missing": True, "persona_hash": digest}}]
        self.calls.append({"sender": sender, "text": text, "metadata": metadata})
        speaker = self.personas[digest]["speakers"][0]
        count = len(self.calls)
        return [
            {"recipient_id": sender, "custom": {"kind": "line", "speaker_id": speaker["id"],
                                                "speaker": speaker["name"], "text": f"Réponse {count}"}},
            {"recipient_id": sender, "custom": {"kind": "state", "state": {"turns": count}, "ended": False,
                                                "outcome": None, "nlu": {"intent": "greet",
                                                                         "confidence": 0.9}}},
        ]

    def rasa_status(self) -> dict[str, Any]:
        return {"ok": not self.down, "detail": "test"}

    def action_server_status(self) -> dict[str, Any]:
        return {"ok": not self.down, "detail": "test"}

    def close(self) -> None:
        pass


def make_settings(database_url: str, **overrides: Any) -> Settings:
    closed = free_port()  # nothing listens there: a "Rasa is down" that is real
    values: dict[str, Any] = {
        "app_env": "test", "database_url": database_url, "secret_key": "s" * 48,
        "demo_password": DEMO_PASSWORD, "rasa_url": f"http://127.0.0.1:{closed}",
        "action_server_url": f"http://127.0.0.1:{closed}", "rasa_timeout_seconds": 2.0,
        **overrides,
    }
    return Settings(**values)


@pytest.fixture(scope="session")
def migrated_postgres_template() -> Iterator[str]:
    """A PostgreSQL database migrated once, copied by each test (CREATE DATABASE … TEMPLATE)."""
    from api.db import make_engine, upgrade

    with postgres_database() as url:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url.rsplit("/", 1)[1]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """Every API test runs on SQLite and on a real PostgreSQL (a copy of the migrated template)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'app.db'}"
    else:
        template = request.getfixturevalue("migrated_postgres_template")
        with postgres_database(template=template) as url:
            yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """An empty database, for the migration tests."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        with postgres_database() as url:
            yield url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
def rasa() -> ScriptedRasa:
    return ScriptedRasa()


@pytest.fixture
def client(settings: Settings, rasa: ScriptedRasa) -> Iterator[TestClient]:
    app = create_app(settings)
    app.dependency_overrides[get_rasa] = lambda: rasa
    with TestClient(app) as test_client:
        if not settings.is_embedded_db:
            from sqlmodel import Session

            from api.seed import seed_demo_accounts

            with Session(app.state.engine) as db:
                seed_demo_accounts(db, settings, external_db=True)
        yield test_client


def login(client: TestClient, username: str = "demo-candidat", password: str = DEMO_PASSWORD) -> dict[str, str]:
    response = client.post("/api/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def candidate_headers(client: TestClient) -> dict[str, str]:
    return login(client)


@pytest.fixture(scope="session")
def live_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The real product: Rasa server, action server and app, on free loopback ports."""
    from scripts.paths import MODEL_PATH, RASA_BIN
    from scripts.stack import Ports, Stack
    from tests.services import missing

    if not RASA_BIN.exists() or not MODEL_PATH.exists():
        missing("Rasa ou son modèle absent : lancez `make setup`")
    run_dir = tmp_path_factory.mktemp("stack")
    stack = Stack(
        ports=Ports(app=free_port(), rasa=free_port(), actions=free_port()),
        run_dir=run_dir,
        app_env={"DATABASE_URL": f"sqlite:///{run_dir / 'app.db'}", "DEMO_PASSWORD": DEMO_PASSWORD,
                 "APP_ENV": "development", "SECRET_KEY": "t" * 48},
    )
    stack.start(timeout=300)
    try:
        yield stack
    finally:
        stack.stop()
