"""A real database outage for tests: a TCP proxy in front of the test PostgreSQL that can be taken down
(every connection through it cut, new ones refused: the port is closed) and brought back on the same port.

The app is pointed at the proxy through DATABASE_URL, so what it sees is what it sees when PostgreSQL
restarts: connections dropped mid-flight, then `connection refused`, then a server that answers again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy.engine import make_url

from src import database
from src.config import get_settings


class PostgresProxy:
    def __init__(self, target_url: str) -> None:
        target = make_url(target_url)
        self._socket_dir = target.query.get("host")  # the embedded server listens on a Unix socket
        self._host = target.host or "127.0.0.1"
        self._port = target.port or 5432
        self.port = 0
        self.url = ""
        self._target = target
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def _upstream(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if isinstance(self._socket_dir, str):
            return await asyncio.open_unix_connection(f"{self._socket_dir}/.s.PGSQL.{self._port}")
        return await asyncio.open_connection(self._host, self._port)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.CancelledError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await self._upstream()
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        self._writers -= {writer, up_writer}

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        self.url = self._target.set(host="127.0.0.1", port=self.port, query={}).render_as_string(
            hide_password=False
        )

    async def stop(self) -> None:
        """PostgreSQL goes away: the port is closed and every connection through it is cut."""
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        await self._server.wait_closed()
        self._server = None


@asynccontextmanager
async def app_behind_proxy(
    monkeypatch: pytest.MonkeyPatch, database_url: str
) -> AsyncIterator[PostgresProxy]:
    """DATABASE_URL is the proxy's for the duration (a production pool, with pre-ping, as in production)."""
    proxy = PostgresProxy(database_url)
    await proxy.start()
    monkeypatch.setenv("DATABASE_URL", proxy.url)
    monkeypatch.setenv("DARS_ENV", "development")
    get_settings.cache_clear()
    await database.dispose_engine()
    try:
        yield proxy
    finally:
        await database.dispose_engine()
        monkeypatch.undo()
        get_settings.cache_clear()
        if proxy._server is not None:
            await proxy.stop()
