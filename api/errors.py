"""One error shape for the whole API: a French message and a machine-readable code.

    {"error": {"code": "message_empty", "message": "Le message est vide."}, "detail": "Le message est vide."}

`detail` repeats the message for clients that read FastAPI's usual field.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import DataError, StatementError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.validation import ID_OUT_OF_RANGE

log = logging.getLogger("roleplay")


class ApiError(Exception):
    """An error the client can act on."""

    def __init__(self, status_code: int, code: str, message: str, extra: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.extra = extra or {}
        self.headers = headers


class ErrorDetail(BaseModel):
    """`code` for programs, `message` in French for people; some errors add fields (e.g. `turn_id`)."""

    model_config = ConfigDict(extra="allow")
    code: str
    message: str


class ErrorBody(BaseModel):
    """The body of every error answer, as documented in OpenAPI (see api/openapi.py)."""

    error: ErrorDetail
    detail: str


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}, "detail": message}


_FIELD_NAMES = {"text": "texte", "username": "identifiant", "password": "mot de passe",
                "persona_id": "persona"}

_STATUS_CODES = {401: "not_authenticated", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 413: "payload_too_large"}
_STATUS_MESSAGES = {
    401: "Authentification requise.",
    403: "Accès refusé.",
    404: "Ressource introuvable.",
    405: "Méthode non autorisée.",
    413: "Requête trop volumineuse.",
}


def _validation_message(exc: RequestValidationError) -> str:
    parts: list[str] = []
    for error in exc.errors():
        kind = error.get("type", "")
        location = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path")]
        field = _FIELD_NAMES.get(location[-1], location[-1]) if location else ""
        if kind == ID_OUT_OF_RANGE:
            continue  # answered as 404 by the handler, never shown
        if error.get("input", ...) is None and (kind.endswith("_type") or kind == "none_forbidden"):
            parts.append(f"Le champ {field} ne peut pas être null." if field else "Valeur null refusée.")
        elif kind == "json_invalid":
            parts.append("Le corps de la requête n'est pas un JSON valide.")
        elif kind == "missing":
            parts.append(f"Champ obligatoire manquant : {field}." if field else "Corps de requête manquant.")
        elif kind in ("string_too_short",):
            parts.append(f"Le champ {field} est trop court.")
        elif kind in ("string_too_long",):
            parts.append(f"Le champ {field} est trop long.")
        elif kind.endswith("_type") or kind.endswith("_parsing"):
            parts.append(f"Type invalide pour le champ {field}." if field else "Corps de requête invalide.")
        else:
            parts.append(f"Valeur invalide pour le champ {field}." if field else "Requête invalide.")
    return " ".join(dict.fromkeys(parts)) or "Requête invalide."


def id_out_of_range(exc: RequestValidationError) -> bool:
    """True when the request names an id no row can have (see api.validation.DbId)."""
    return any(error.get("type") == ID_OUT_OF_RANGE for error in exc.errors())


def validation_response(exc: RequestValidationError) -> JSONResponse:
    """404 for an id out of the database's range (no such resource, and nothing leaks), else 422."""
    if id_out_of_range(exc):
        return JSONResponse(error_body("not_found", _STATUS_MESSAGES[404]), status_code=404)
    return JSONResponse(error_body("invalid_request", _validation_message(exc)), status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through the one shape above."""

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message, **exc.extra), status_code=exc.status_code,
                            headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return validation_response(exc)

    @app.exception_handler(DataError)
    async def _data(_: Request, exc: DataError) -> JSONResponse:
        # Last line of defence when a value slipped past validation and the database refused it.
        log.warning("valeur refusée par la base : %s", exc.orig)
        return JSONResponse(error_body("invalid_value", "Valeur refusée : elle ne peut pas être enregistrée."),
                            status_code=422)

    @app.exception_handler(StatementError)
    async def _statement(request: Request, exc: StatementError) -> JSONResponse:
        if isinstance(exc.orig, OverflowError):  # SQLite: an integer past 2**63 - 1 names no row
            return JSONResponse(error_body("not_found", _STATUS_MESSAGES[404]), status_code=404)
        return await _internal(request, exc)

    @app.exception_handler(Exception)
    async def _internal(_: Request, exc: Exception) -> JSONResponse:
        log.error("erreur interne", exc_info=exc)
        return JSONResponse(error_body("internal_error", "Erreur interne : l'incident est journalisé. Réessayez."),
                            status_code=500)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "http_error")
        message = _STATUS_MESSAGES.get(exc.status_code, str(exc.detail))
        return JSONResponse(error_body(code, message), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))
