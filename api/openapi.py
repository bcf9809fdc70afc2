"""The OpenAPI document as the app really answers: every error in the one French error shape.

FastAPI documents its own validation body (`detail` as an array) and only the statuses a route
declares. The app answers differently (api/errors.py) and some statuses come from layers a route
does not see (the request guard's 413 and 422, the access rules' 404, CSRF's 403). This module
rewrites the generated document once, by rules that follow those layers, so that clients and the
schemathesis test read what the app sends.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.errors import ErrorBody

_BODY_METHODS = {"post", "put", "patch", "delete"}
_PUBLIC_PATHS = {"/api/health", "/api/health/live", "/api/auth/login"}
_DESCRIPTIONS = {
    401: "Authentification requise",
    403: "Jeton CSRF absent ou invalide, ou retour pas encore publié",
    404: "Ressource introuvable, hors de portée du compte ou identifiant hors bornes",
    409: "Conflit avec l'état de la ressource (session terminée, message en attente…)",
    413: "Corps de requête trop volumineux",
    422: "Requête invalide (corps, encodage, champ manquant ou null, texte non enregistrable)",
    429: "Trop de tentatives",
    500: "Erreur interne",
    503: "Service dont dépend la réponse indisponible",
}


def _statuses(path: str, method: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses this operation can answer, from the layers every request crosses."""
    statuses = {422, 500}  # the guard checks every query string; anything may fail
    if method in _BODY_METHODS:
        statuses |= {413, 409}
    if path not in _PUBLIC_PATHS:
        statuses |= {401, 403, 404}
    if "{" in path:
        statuses.add(404)
    if path == "/api/auth/login":
        statuses |= {401, 429}
    return statuses


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """Generate the document, then document the real error bodies and statuses."""
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error_schema.pop("$defs", {}))
    components["ErrorBody"] = error_schema
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    error_content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            wanted = _statuses(path, method, operation) | {int(s) for s in responses if s.isdigit() and int(s) >= 400}
            for status in sorted(wanted):
                if path.startswith("/api/health") and status == 503:
                    continue  # the health body itself, documented by the route
                entry = responses.setdefault(str(status), {"description": _DESCRIPTIONS.get(status, "Erreur")})
                entry["content"] = error_content
    return schema


def install_openapi(app: FastAPI) -> None:
    """Serve the rewritten document at /openapi.json (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
