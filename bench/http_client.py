"""A deliberately small HTTP/1.1 keep-alive client for load generation.

The load generator shares two cores with the server and PostgreSQL, so every microsecond it spends is taken
from the system under test. httpx costs several times more CPU per request than this: one connection per
simulated student, a request written in one `write`, the answer read by Content-Length. It speaks just
enough HTTP for our own server (no chunked bodies, no redirects, no TLS).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

try:  # orjson when present: the generator parses every session body it gets
    import orjson

    def _loads(data: bytes) -> Any:
        return orjson.loads(data)

    def _dumps(value: Any) -> bytes:
        return orjson.dumps(value)

except ImportError:  # pragma: no cover - the plain json module does the same, slower

    def _loads(data: bytes) -> Any:
        return json.loads(data)

    def _dumps(value: Any) -> bytes:
        return json.dumps(value, separators=(",", ":")).encode()


class HttpError(Exception):
    pass


class Connection:
    """One keep-alive connection to host:port, reopened if the server closes it."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        return self._reader, self._writer

    async def open(self) -> None:
        """Connect now (a request connects by itself when it must)."""
        await self._open()

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(ConnectionError):
                await self._writer.wait_closed()
        self._reader = self._writer = None

    async def request(
        self, method: str, path: str, body: Any | None = None, headers: str = ""
    ) -> tuple[int, Any]:
        """Send a request (`headers`: ready "Name: value\\r\\n" lines); returns (status, parsed JSON)."""
        payload = _dumps(body) if body is not None else b""
        content = "Content-Type: application/json\r\n" if body is not None else ""
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n{headers}{content}"
            f"Content-Length: {len(payload)}\r\n\r\n"
        ).encode()
        reader, writer = await self._open()
        writer.write(head + payload)
        status_line = await reader.readuntil(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        length = -1
        close = False
        while (line := await reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.partition(b":")
            lowered = name.strip().lower()
            if lowered == b"content-length":
                length = int(value)
            elif lowered == b"transfer-encoding":
                raise HttpError("chunked answers are not supported by this client")
            elif lowered == b"connection" and value.strip().lower() == b"close":
                close = True
        if length < 0:
            raise HttpError(f"answer without Content-Length to {path}")
        data = await reader.readexactly(length)
        if close:
            await self.close()
        return status, _loads(data) if data else None
