"""What every request and response goes through before the routes: the request guard and the
security headers.

Why a guard in front of FastAPI: FastAPI turns any failure while reading or decoding a body into an
English 400 («There was an error parsing the body»), and passes NUL bytes and lone surrogates on to
the database driver, which answers a 500. The guard reads the body itself (bounded, whether it
comes with a Content-Length or chunked), checks what a route could not store or parse, and answers
in the product's French error shape; the routes then see the same bytes, replayed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body
from api.validation import FORBIDDEN_CHARACTERS, contains_forbidden, forbidden_character

MAX_JSON_DEPTH = 32
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def json_depth_exceeds(text: str, limit: int) -> bool:
    """True when arrays/objects nest deeper than `limit` (checked before parsing: Python's parser
    recurses, and thousands of levels would end in a RecursionError)."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _check_json(body: bytes) -> None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _Refused(422, "invalid_encoding", "Le corps de la requête n'est pas un texte UTF-8 valide.") from error
    if json_depth_exceeds(text, MAX_JSON_DEPTH):
        raise _Refused(422, "json_too_deep",
                       f"Le JSON envoyé est trop imbriqué (au plus {MAX_JSON_DEPTH} niveaux).")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise _Refused(422, "invalid_request", "Le corps de la requête n'est pas un JSON valide.") from error
    if contains_forbidden(data):
        raise _Refused(422, "forbidden_character", FORBIDDEN_CHARACTERS)


def _check_pairs(raw: bytes) -> None:
    """A query string or a urlencoded form: valid UTF-8, no NUL."""
    try:
        pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as error:
        raise _Refused(422, "invalid_encoding", "Les paramètres ne sont pas un texte UTF-8 valide.") from error
    if any(forbidden_character(key) or forbidden_character(value) for key, value in pairs):
        raise _Refused(422, "forbidden_character", FORBIDDEN_CHARACTERS)


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers") or []:
        if key == name:
            return bytes(value)
    return None


class RequestGuard:
    """Bounded body (413), then encoding, JSON depth and storable text (422), in French."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            self._check_target(scope)
            declared = _header(scope, b"content-length")
            if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
                raise _Refused(413, "payload_too_large", self._too_large())
            if scope["method"] not in _BODY_METHODS:
                await self.app(scope, receive, send)
                return
            body, disconnected = await self._read(receive)
            if disconnected:
                return
            self._check_body(scope, body)
        except _Refused as refused:
            await _send_error(send, refused.status, refused.code, refused.message)
            return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    def _check_target(scope: Scope) -> None:
        path = scope.get("path", "")
        if forbidden_character(path):
            raise _Refused(404, "not_found", "Ressource introuvable.")
        query = scope.get("query_string", b"")
        if query:
            _check_pairs(query)

    def _too_large(self) -> str:
        return f"Requête trop volumineuse (limite : {self.max_bytes // 1024} Ko)."

    async def _read(self, receive: Receive) -> tuple[bytes, bool]:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return b"", True
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise _Refused(413, "payload_too_large", self._too_large())
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), False

    @staticmethod
    def _check_body(scope: Scope, body: bytes) -> None:
        if not body:
            return
        content_type = (_header(scope, b"content-type") or b"").split(b";")[0].strip().lower()
        if not content_type or content_type == b"application/json" or content_type.endswith(b"+json"):
            _check_json(body)
        elif content_type == b"application/x-www-form-urlencoded":
            _check_pairs(body)
        elif content_type == b"multipart/form-data" and b"\x00" in body:
            # Every upload of the product is text (CSV, YAML, a transcript): a NUL byte in a field or
            # a file is refused here, before PostgreSQL would refuse it with a 500.
            raise _Refused(422, "forbidden_character", FORBIDDEN_CHARACTERS)


async def _send_error(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps(error_body(code, message)).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


# Pages and API: scripts and styles only from our own files (no inline script or style), never
# framed. The OpenAPI pages (/docs, /redoc) load FastAPI's viewer from its CDN with an inline
# bootstrap script, so they get their own, looser policy; they show nothing private.
STRICT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
              "form-action 'self'; frame-ancestors 'none'")
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https:; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
_DOCS_PATHS = ("/docs", "/redoc")


def security_headers(path: str) -> Iterable[tuple[bytes, bytes]]:
    """The headers every response carries; `no-store` everywhere but the static files, so that no
    private page or API answer stays in a shared cache or the browser's history."""
    csp = DOCS_CSP if path.startswith(_DOCS_PATHS) else STRICT_CSP
    headers = [
        (b"content-security-policy", csp.encode()),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]
    if not path.startswith("/static/"):
        headers.append((b"cache-control", b"no-store"))
    return headers


class SecurityHeaders:
    """Adds `security_headers` to every HTTP response (replacing any Cache-Control a route set)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(security_headers(scope.get("path", "")))
        names = {name for name, _ in extra}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", [])
                        if k.lower() not in names and k.lower() != b"server"]
                message = {**message, "headers": kept + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)
