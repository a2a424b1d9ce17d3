"""A ceiling on request bodies.

Every body Dars accepts is small: an answer, a profile, a Telegram update (a message is at most 4 096
characters). Without a ceiling, uvicorn hands the app whatever arrives and the app reads it whole before it
even checks who is asking, so a few large requests could take a worker's memory. A declared length over
the ceiling is refused before anything is read; a body sent without a length (chunked) is counted as the
app reads it, and refused once it passes the ceiling. Both answers are 413 `payload_too_large`, in the
error shape of every other error.

A body must also arrive in time: a client that sends its body a byte at a time (or declares a length and
never sends it) holds a request open for nothing. Once DARS_BODY_TIMEOUT_SECONDS have passed since the
request began, reading the rest is answered 408 `request_timeout`, and the connection is closed.
"""

from __future__ import annotations

import asyncio

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from src.api.errors import error_body
from src.config import get_settings

MAX_BODY_BYTES = 64 * 1024


def _too_large(limit: int) -> str:
    return f"the request body is larger than {limit} bytes"


class BodyLimit:
    """ASGI middleware: 413 for a request body over `limit` bytes."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES, timeout: float | None = None) -> None:
        self.app = app
        self.limit = limit
        self.timeout = get_settings().dars_body_timeout_seconds if timeout is None else timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit():
                # The server delivers no more than the declared length.
                if int(value) > self.limit:
                    await self._refuse(scope, receive, send)
                elif value == b"0":
                    await self.app(scope, receive, send)
                else:
                    await self.app(scope, self._timed(receive), send)
                return
        await self.app(scope, self._counted(self._timed(receive)), send)

    def _timed(self, receive: Receive) -> Receive:
        deadline = asyncio.get_running_loop().time() + self.timeout
        timeout = self.timeout

        async def timed() -> Message:
            try:
                async with asyncio.timeout_at(deadline):
                    return await receive()
            except TimeoutError:
                message = f"the request body did not arrive within {timeout:g} s"
                raise HTTPException(408, message, headers={"connection": "close"}) from None

        return timed

    def _counted(self, receive: Receive) -> Receive:
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                # Raised inside the app's read, so the app's own error handlers answer it.
                raise HTTPException(413, _too_large(self.limit))
            return message

        return counted

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        details = {"method": scope["method"], "path": scope["path"], "limit_bytes": self.limit}
        response = JSONResponse(
            error_body("payload_too_large", _too_large(self.limit), details),
            status_code=413,
            headers={"connection": "close"},  # the unread body must not be taken for the next request
        )
        await response(scope, receive, send)
