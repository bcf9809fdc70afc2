"""One error shape for the whole API: a French message and a machine-readable code.

    {"error": {"code": "message_empty", "message": "Le message est vide."}, "detail": "Le message est vide."}

`detail` repeats the message for clients that read FastAPI's usual field.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException


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
        if kind == "json_invalid":
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


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through the one shape above."""

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message, **exc.extra), status_code=exc.status_code,
                            headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(error_body("invalid_request", _validation_message(exc)), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "http_error")
        message = _STATUS_MESSAGES.get(exc.status_code, str(exc.detail))
        return JSONResponse(error_body(code, message), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))
