"""The FastAPI application: JSON API under /api and the web pages, from one process."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlmodel import Session

from api import formatting
from api.config import ROOT, Settings, get_settings
from api.db import make_engine, upgrade
from api.errors import install_error_handlers
from api.middleware import RequestGuard, SecurityHeaders
from api.openapi import install_openapi
from api.routers import (
    assignments,
    auth,
    cohort_pages,
    cohorts,
    health,
    me,
    pages,
    personas,
    review_pages,
    reviews,
    sessions,
    studio,
    studio_pages,
    users,
)
from api.routers.web import install_page_handlers
from api.security import dummy_password_hash
from api.seed import seed_demo_accounts
from api.services.personas import PersonaLibrary
from api.services.rasa_client import RasaClient
from api.services.readiness import WarmRoundTrip
from api.services.throttle import make_throttle

log = logging.getLogger("roleplay")


def _warm_models() -> None:
    """Load spaCy once at start so the first session end is not slow."""
    from scoring.annotate import annotate_turns
    from scoring.schema import AnnotateInput

    annotate_turns([AnnotateInput(id="warm", lang="fr", text="Bonjour, comment allez-vous ?", context=[])])


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; its lifespan migrates the database, loads personas and seeds demo accounts."""
    settings = settings or get_settings()
    formatting.set_timezone(settings.display_timezone)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # An invalid built-in persona stops the start here, naming the file and field.
        app.state.personas = PersonaLibrary.from_dir(settings.personas_dir)
        app.state.personas.attach(app.state.engine)  # serves personas published from the studio too
        upgrade(app.state.engine)
        with Session(app.state.engine) as db:
            seed_demo_accounts(db, settings)
        dummy_password_hash()  # computed once now, so the first unknown-account login costs what the others do
        if settings.warm_models:
            _warm_models()
        yield
        app.state.rasa.close()
        app.state.engine.dispose()

    app = FastAPI(
        title="Entraîneur de jeux de rôle commerciaux",
        description=(
            "API de l'entraîneur : sessions de jeu de rôle avec un persona, transcriptions et rapports."
        ),
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.rasa = RasaClient(settings.rasa_url, settings.rasa_token, settings.action_server_url,
                                settings.rasa_timeout_seconds, pairs=settings.rasa_pairs,
                                cooldown=settings.rasa_pair_cooldown_seconds)
    app.state.warm = WarmRoundTrip()
    app.state.throttle = make_throttle(settings.redis_url, settings.login_max_failures,
                                       settings.login_window_seconds)
    install_error_handlers(app)
    install_page_handlers(app)  # web pages: 303 to /connexion, the French 404 page
    app.add_middleware(RequestGuard, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)  # added last: outermost, so the guard's answers carry them too
    for router in (health.router, auth.router, me.router, users.router, cohorts.router, assignments.router,
                   personas.router, sessions.router, pages.router, cohort_pages.router, studio.router,
                   studio_pages.router):
        app.include_router(router)
    app.include_router(reviews.router)
    app.include_router(review_pages.router)
    app.mount("/static", StaticFiles(directory=ROOT / "web" / "static"), name="static")
    install_openapi(app)
    return app
