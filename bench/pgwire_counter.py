"""A loopback TCP proxy in front of PostgreSQL that counts what clients send, message by message.

Used to measure database round trips exactly, whatever the client library does behind our back
(SQLAlchemy's pool pre-ping, asyncpg's prepares, BEGIN/COMMIT). In the frontend/backend protocol a client
waits for the server once per simple `Query` ('Q') and once per `Sync` ('S') of the extended protocol, so
round trips = Q + S. `Execute` ('E') counts statements run with the extended protocol, `Parse` ('P')
statements prepared. Only the client-to-server direction is parsed; answers are passed through untouched.

The proxy refuses TLS itself (answers 'N' to SSLRequest / GSSENCRequest without forwarding it), so the client
talks plaintext to it and the counting works whatever the server's ssl setting is.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import struct
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy.engine import URL, make_url

_SSL_REQUEST = 80877103
_GSSENC_REQUEST = 80877104


@dataclass
class WireCounts:
    """Messages sent by clients, by type byte; see the module docstring."""

    messages: Counter[str] = field(default_factory=Counter)

    @property
    def round_trips(self) -> int:
        return self.messages["Q"] + self.messages["S"]

    @property
    def statements(self) -> int:
        return self.messages["Q"] + self.messages["E"]

    @property
    def prepares(self) -> int:
        return self.messages["P"]

    def snapshot(self) -> tuple[int, int, int]:
        return self.round_trips, self.statements, self.prepares


def upstream_of(url: str) -> tuple[str, int] | str:
    """(host, port) of a TCP server, or the path of the unix socket, of a SQLAlchemy/asyncpg URL."""
    parsed = make_url(url)
    socket_dir = parsed.query.get("host")
    if isinstance(socket_dir, str) and socket_dir.startswith("/"):
        port = parsed.port or 5432
        path = os.path.join(socket_dir, f".s.PGSQL.{port}")
        if not os.path.exists(path):
            found = glob.glob(os.path.join(socket_dir, ".s.PGSQL.*"))
            path = next((p for p in found if not p.endswith(".lock")), path)
        return path
    return parsed.host or "127.0.0.1", parsed.port or 5432


def through(url: str, port: int) -> str:
    """The same URL, pointed at the proxy on 127.0.0.1:port."""
    parsed: URL = make_url(url)
    query = {key: value for key, value in parsed.query.items() if key != "host"}
    return parsed.set(host="127.0.0.1", port=port, query=query).render_as_string(hide_password=False)


class CountingProxy:
    def __init__(self, upstream: tuple[str, int] | str) -> None:
        self.upstream = upstream
        self.counts = WireCounts()
        self.port = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for task in list(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _open_upstream(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if isinstance(self.upstream, str):
            return await asyncio.open_unix_connection(self.upstream)
        host, port = self.upstream
        return await asyncio.open_connection(host, port)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            startup = await self._startup(reader, writer)
            if startup is None:
                return
            up_reader, up_writer = await self._open_upstream()
            up_writer.write(startup)
            back = asyncio.create_task(self._pipe(up_reader, writer))
            self._tasks.add(back)
            back.add_done_callback(self._tasks.discard)
            try:
                await self._forward_typed(reader, up_writer)
            finally:
                up_writer.close()
                back.cancel()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def _startup(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes | None:
        while True:
            head = await reader.readexactly(8)
            length, code = struct.unpack("!ii", head)
            if code in (_SSL_REQUEST, _GSSENC_REQUEST):
                writer.write(b"N")
                await writer.drain()
                continue
            return head + await reader.readexactly(length - 8)

    async def _forward_typed(self, reader: asyncio.StreamReader, upstream: asyncio.StreamWriter) -> None:
        messages = self.counts.messages
        while True:
            head = await reader.readexactly(5)
            kind = chr(head[0])
            (length,) = struct.unpack("!i", head[1:])
            body = await reader.readexactly(length - 4)
            messages[kind] += 1
            upstream.write(head + body)
            if kind in "QSX":  # the client now waits (or leaves): push what was buffered
                await upstream.drain()

    @staticmethod
    async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while chunk := await source.read(65536):
                sink.write(chunk)
                await sink.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(Exception):
                sink.close()
