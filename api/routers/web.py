"""What every server-rendered page shares: the Jinja2 templates, `render`, and the page guards.

A page handler declares who may see it with a dependency and raises when a resource is missing:

    @router.get("/personas/{persona_id}")
    def brief(persona_id: str, request: Request, user: PageUser) -> Response:
        persona = persona_library(request).get(persona_id)
        if persona is None:
            raise PageNotFound("Persona introuvable.")
        ...

- `PageUser`: any signed-in user; an anonymous caller is sent to /connexion (303).
- `TrainerPageUser`: a trainer or an administrator; `JurorPageUser`: a juror. Any other role gets the
  same 404 page as a missing page (the app reports forbidden as missing, never 403).
- `PageNotFound(message)`: the French 404 page (error.html), rendered with the signed-in user so the
  navigation still shows. An unknown address asked by a browser gets the same page (without the
  navigation: no user is read there).

The handlers are registered by `install_page_handlers` (called from `api.main.create_app`). The JSON
API keeps its own errors (api/errors.py): a page that calls a service may still answer an `ApiError`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any, ParamSpec, TypeVar

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import formatting
from api.access import is_manager
from api.config import ROOT
from api.deps import SESSION_COOKIE, OptionalUser
from api.errors import ApiError, id_out_of_range, validation_response
from api.models import Role, User
from api.security import csrf_token_for
from api.services.personas import PersonaLibrary

P = ParamSpec("P")
T = TypeVar("T")

templates = Jinja2Templates(directory=ROOT / "web" / "templates")

ROLE_LABELS = formatting.ROLE_LABELS
MODE_LABELS = formatting.MODE_LABELS
STATE_LABELS = formatting.STATE_LABELS
ENDED_LABELS = formatting.ENDED_LABELS

templates.env.filters.update(formatting.FILTERS)  # French numbers, dates (display zone), labels
templates.env.globals.update(formatting.GLOBALS)  # plurals, speaker labels, the report summary


def render(request: Request, name: str, user: User | None, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    """A page, with what the layout needs (the user for the navigation, the CSRF token, labels)."""
    token = getattr(request.state, "session_token", None) or request.cookies.get(SESSION_COOKIE)
    settings = request.app.state.settings
    csrf = csrf_token_for(settings.secret_key, token) if user is not None and token else ""
    return templates.TemplateResponse(
        request, name,
        {"user": user, "csrf_token": csrf, "role_labels": ROLE_LABELS, "mode_labels": MODE_LABELS,
         "state_labels": STATE_LABELS, "ended_labels": ENDED_LABELS,
         "max_chars": settings.max_message_chars, **context},
        status_code=status_code,
    )


def login_redirect() -> RedirectResponse:
    return RedirectResponse("/connexion", status_code=303)


def persona_library(request: Request) -> PersonaLibrary:
    """The personas loaded at start: the built-in library and those published from the studio."""
    library: PersonaLibrary = request.app.state.personas
    return library


# --- guards --------------------------------------------------------------------------------------

class LoginRequired(Exception):
    """The page needs a signed-in user: the caller is sent to the login page."""


class PageNotFound(Exception):
    """A missing page or resource, or one the caller may not see: the 404 page with `message`."""

    def __init__(self, message: str = "Page introuvable.") -> None:
        super().__init__(message)
        self.message = message


async def page_user(request: Request, user: OptionalUser) -> User:
    if user is None:
        raise LoginRequired()
    request.state.page_user = user  # for the 404 page's navigation
    return user


PageUser = Annotated[User, Depends(page_user)]


async def trainer_page_user(user: PageUser) -> User:
    if not is_manager(user):
        raise PageNotFound()
    return user


async def juror_page_user(user: PageUser) -> User:
    if user.role != Role.juror:
        raise PageNotFound()
    return user


TrainerPageUser = Annotated[User, Depends(trainer_page_user)]
JurorPageUser = Annotated[User, Depends(juror_page_user)]


def or_not_found(message: str, fetch: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fetch(*args, **kwargs)`, or the 404 page with `message` when the service refuses (ApiError)."""
    try:
        return fetch(*args, **kwargs)
    except ApiError as error:
        raise PageNotFound(message) from error


def install_page_handlers(app: FastAPI) -> None:
    """Turn the guards' exceptions into today's answers: 303 to /connexion, or the 404 page."""

    @app.exception_handler(LoginRequired)
    async def _login_required(_: Request, __: LoginRequired) -> RedirectResponse:
        return login_redirect()

    json_http_error = app.exception_handlers.get(StarletteHTTPException)

    @app.exception_handler(StarletteHTTPException)
    async def _unknown_page(request: Request, exc: StarletteHTTPException) -> Response:
        """An unknown address asked by a browser gets the French 404 page, not a JSON body; the API and
        other callers keep the JSON error shape (api/errors.py)."""
        path = request.url.path
        wants_html = "text/html" in request.headers.get("accept", "")
        if exc.status_code == 404 and wants_html and not path.startswith(("/api/", "/static/")):
            return render(request, "error.html", None, status_code=404, message="Page introuvable.",
                          heading="Page introuvable")
        assert json_http_error is not None
        answer = json_http_error(request, exc)
        return await answer if inspect.isawaitable(answer) else answer

    @app.exception_handler(PageNotFound)
    async def _page_not_found(request: Request, exc: PageNotFound) -> HTMLResponse:
        user = getattr(request.state, "page_user", None)
        return render(request, "error.html", user, status_code=404, message=exc.message,
                      heading="Page introuvable")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        # A page naming an impossible id gets the same French 404 page as a missing one.
        if id_out_of_range(exc) and not request.url.path.startswith("/api/"):
            return await _page_not_found(request, PageNotFound())
        return validation_response(exc)
