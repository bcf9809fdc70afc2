"""`Cache-Control: no-store` on every answer given to a signed-in caller.

Why: after logging out, the browser's back button showed the cached private conversation, and a
shared computer kept transcripts and grids on disk. Answers built for a cookie or bearer token are
private; the static files and the anonymous login page are not, and keep their caching.

A middleware of its own (one line in `api.main.create_app`) rather than a change to the pages, so
that it merges with other header work: it never overwrites a Cache-Control set by someone else.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import SESSION_COOKIE

NO_STORE = b"no-store"


def _is_private(scope: Scope) -> bool:
    if scope["type"] != "http" or str(scope.get("path", "")).startswith("/static/"):
        return False
    headers = dict(scope.get("headers") or [])
    if b"authorization" in headers:
        return True
    cookies = headers.get(b"cookie", b"").decode("latin-1")
    return any(part.strip().startswith(f"{SESSION_COOKIE}=") for part in cookies.split(";"))


class NoStoreForSignedIn:
    """Adds `Cache-Control: no-store` (and `Pragma: no-cache` for old proxies) to private answers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_private(scope):
            await self.app(scope, receive, send)
            return

        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                if not any(name.lower() == b"cache-control" for name, _ in headers):
                    headers += [(b"cache-control", NO_STORE), (b"pragma", b"no-cache")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_no_store)
