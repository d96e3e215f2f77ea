"""What guards the API's routes: the API-key check, the body-size limit and the row limit."""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import HTTPException, Security
from fastapi.security import APIKeyHeader
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from segmentor.errors import SegmentorError

KEY_HEADER = "X-API-Key"
# Module level: route signatures are resolved against this module's globals.
API_KEY = APIKeyHeader(name=KEY_HEADER, auto_error=False)


class ApiKeyCheck:
    """Accepts a request whose ``X-API-Key`` is one of ``keys`` (None: no check at all).

    Every key is compared, each in constant time (:func:`hmac.compare_digest`), so the
    answer time says nothing about which key nor how much of it matched. Keys are never
    logged nor echoed.
    """

    def __init__(self, keys: Sequence[str] | None) -> None:
        self._keys = None if keys is None else tuple(key.encode("utf-8") for key in keys)

    def accepts(self, given: str | None) -> bool:
        if self._keys is None:
            return True
        if given is None:
            return False
        # Starlette decodes header bytes as latin-1: encode back to the bytes sent.
        candidate = given.encode("latin-1", errors="replace")
        matched = False
        for key in self._keys:
            matched |= hmac.compare_digest(candidate, key)
        return matched

    def dependency(self) -> Any:
        """The dependency guarding the routes that need a key."""
        if self._keys is None:
            return _no_check

        # async: a few microseconds of comparison, run on the event loop instead of a hop
        # to the thread pool and back (as a plain def would be) on every request.
        async def check(key: Annotated[str | None, Security(API_KEY)]) -> None:
            if not self.accepts(key):
                raise HTTPException(
                    status_code=401,
                    detail=f"missing or wrong API key. Fix: send a valid key in the "
                    f"{KEY_HEADER} header",
                    headers={"WWW-Authenticate": "APIKey"},
                )

        return check


async def _no_check() -> None:
    return None


class RowLimit:
    """At most ``max_rows`` customers per request (over it: 413 with the limit and a fix)."""

    def __init__(self, max_rows: int) -> None:
        self.max_rows = max_rows

    def check(self, rows: int, what: str) -> None:
        if rows > self.max_rows:
            message = SegmentorError(
                f"{rows} {what}, over the limit of {self.max_rows} per request",
                fix="split the customers over several requests (or raise SEGMENTOR_MAX_ROWS)",
            ).message
            raise HTTPException(status_code=413, detail=message)


def too_large_message(max_bytes: int) -> str:
    return SegmentorError(
        f"the request body is over the limit of {max_bytes} bytes",
        fix="send fewer customers per request (or raise SEGMENTOR_MAX_BODY_BYTES)",
    ).message


class BodySizeLimit:
    """ASGI middleware: refuse (413, JSON with the limit and a fix) a body over ``max_bytes``.

    The declared Content-Length is checked first, then the bytes actually received are
    counted (a chunked upload has no Content-Length, and a declared one may lie). The body
    is held until complete, so the app never sees a cut one; memory per request is bounded
    by the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _declared_length(scope) > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = JSONResponse({"detail": too_large_message(self.max_bytes)}, status_code=413)
        await response(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect, as servers do

    return replayed


def _declared_length(scope: Scope) -> int:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0
