"""Health of the app and of what it depends on."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.deps import RasaDep, SessionDep
from api.services.throttle import FallbackStore

router = APIRouter(prefix="/api/health", tags=["santé"])


@router.get("", summary="État de la base, du serveur Rasa, du serveur d'actions, d'un tour d'essai et de Redis "
                        "(s'il est configuré)",
            responses={503: {"description": "Une partie est indisponible (même corps, `status: degraded`)"}})
def health(request: Request, db: SessionDep, rasa: RasaDep) -> JSONResponse:
    """200 when every part the app uses is up and one warm-up turn has gone through them (once per
    app process: the first call waits for it), 503 with the same body otherwise."""
    try:
        db.exec(text("SELECT 1"))  # type: ignore[call-overload]
        database: dict[str, Any] = {"ok": True, "detail": "joignable"}
    except Exception as error:  # any driver error means "down" here
        database = {"ok": False, "detail": f"injoignable ({error.__class__.__name__})"}
    parts = {"database": database, "rasa": rasa.rasa_status(), "action_server": rasa.action_server_status()}
    if parts["rasa"]["ok"] and parts["action_server"]["ok"]:
        # Up is not enough: 200 only once a turn went through (the next candidate turn is fast).
        parts["round_trip"] = request.app.state.warm.check(rasa)
    else:
        parts["round_trip"] = {"ok": False, "detail": "en attente de Rasa et du serveur d'actions"}
    store = request.app.state.throttle.store
    if isinstance(store, FallbackStore):  # REDIS_URL is set
        parts["redis"] = store.health()
    ok = all(part["ok"] for part in parts.values())
    return JSONResponse({"status": "ok" if ok else "degraded", **parts}, status_code=200 if ok else 503)


@router.get("/live", summary="Le processus de l'application répond")
def live() -> dict[str, str]:
    return {"status": "ok"}
