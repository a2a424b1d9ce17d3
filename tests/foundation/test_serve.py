"""`dars serve` as the container runs it (Dockerfile's CMD): real processes, real signals, a real database.

The image is not built here (no container engine on these machines); what it runs is: `dars serve` with the
image's environment (DARS_HOST=0.0.0.0, the platform's PORT, DARS_WORKERS), against a fresh database given
as a platform gives it (postgresql://).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from src.config import ConfigError, Settings, get_settings
from src.database import engine_for
from src.migrations import alembic_config
from tests.conftest import _admin

DARS = str(Path(sys.executable).parent / "dars")
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


@pytest.fixture
def fresh_url(database_url: str) -> Iterator[str]:
    """An empty database of its own, as a platform gives it: postgresql://, not yet migrated."""
    name = f"dars_serve_{uuid.uuid4().hex[:8]}"
    admin = make_url(database_url).set(database="postgres").render_as_string(hide_password=False)
    asyncio.run(_admin(admin, f'CREATE DATABASE "{name}"'))
    url = make_url(database_url).set(drivername="postgresql", database=name)
    yield url.render_as_string(hide_password=False)
    asyncio.run(_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _container_env(url: str, port: int, **extra: str) -> dict[str, str]:
    """The image's environment (Dockerfile ENV) plus what the platform sets."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DARS_", "TELEGRAM_", "DATABASE_"))}
    return env | {
        "DATABASE_URL": url,
        "PORT": str(port),
        "DARS_HOST": "0.0.0.0",
        "DARS_ENV": "production",
        "SESSION_EXPIRY_INTERVAL_SECONDS": "0",
        **extra,
    }


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


async def _scalar(url: str, sql: str) -> object:
    engine = engine_for(url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            return (await connection.execute(text(sql))).scalar_one_or_none()
    finally:
        await engine.dispose()


def test_port_from_the_platform_is_honoured_and_dars_port_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DARS_PORT", raising=False)
    monkeypatch.setenv("PORT", "4321")
    assert Settings(_env_file=None).dars_port == 4321
    monkeypatch.setenv("DARS_PORT", "8001")
    assert Settings(_env_file=None).dars_port == 8001
    monkeypatch.delenv("DARS_PORT")
    monkeypatch.setenv("PORT", "http")
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError, match="PORT"):
            get_settings()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


class Serve:
    """`dars serve` in a session of its own, its output in files (a pipe nobody reads can fill and stall
    it); whatever happens, the supervisor and every worker are gone at the end."""

    def __init__(self, tmp_path: Path, env: dict[str, str], *args: str) -> None:
        self._out, self._err = (tmp_path / "stdout").open("w+"), (tmp_path / "stderr").open("w+")
        self.process = subprocess.Popen(
            [DARS, "serve", *args], env=env, stdout=self._out, stderr=self._err, start_new_session=True
        )

    def output(self) -> tuple[str, str]:
        self._out.seek(0)
        self._err.seek(0)
        return self._out.read(), self._err.read()

    def wait_healthy(self, port: int) -> None:
        deadline = time.monotonic() + 180  # these machines are shared: start-up has taken a minute under load
        while not _healthy(port):
            if self.process.poll() is not None:
                pytest.fail(f"dars serve exited with {self.process.returncode}: {self.output()}")
            assert time.monotonic() < deadline, "dars serve did not answer /health on PORT in 180 s"
            time.sleep(0.3)

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # no-op when all exited; else the workers too
        self.process.wait()
        self._out.close()
        self._err.close()


def test_two_workers_migrate_and_load_once_then_drain_on_sigterm(fresh_url: str, tmp_path: Path) -> None:
    port = _free_port()
    serve = Serve(tmp_path, _container_env(fresh_url, port, DARS_WORKERS="2"))
    try:
        serve.wait_healthy(port)
        # A request in flight when SIGTERM comes: its headers are in, its body not yet.
        body = b'{"name": "Mitu", "grade": 7, "language": "bn"}'
        with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
            client.sendall(
                b"POST /students HTTP/1.1\r\nHost: dars\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\n\r\n" % len(body) + body[:10]
            )
            time.sleep(1.0)  # the worker has read the headers and the app is waiting for the body
            serve.process.send_signal(signal.SIGTERM)
            time.sleep(1.0)
            assert serve.process.poll() is None, "the server must wait for the request in flight"
            client.sendall(body[10:])
            answer = client.recv(65536)
        # The app's own answer (no Mini App initData: 401), not a connection cut off.
        assert answer.startswith(b"HTTP/1.1 401"), answer
        assert b"not_authenticated" in answer, answer
        assert serve.process.wait(timeout=60) == 0
        out, err = serve.output()
    finally:
        serve.close()
    assert out.count("migrating to head") == 1, out
    assert out.count("inserted 280") == 1, out  # the library load's one report line
    assert err.count("Started server process") == 2, err  # two workers
    assert err.count("Started parent process") == 1, err  # under one supervisor
    assert err.count("Finished server process") == 2, err  # each worker shut down, none was killed
    assert asyncio.run(_scalar(fresh_url, "SELECT version_num FROM alembic_version")) == HEAD
    assert asyncio.run(_scalar(fresh_url, "SELECT count(*) FROM problems")) == 280


def test_no_release_serves_without_migrating(fresh_url: str, tmp_path: Path) -> None:
    """On Railway the pre-deploy command migrates and loads; the start command then only serves."""
    port = _free_port()
    serve = Serve(tmp_path, _container_env(fresh_url, port), "--no-release")
    try:
        serve.wait_healthy(port)
        serve.process.send_signal(signal.SIGTERM)
        assert serve.process.wait(timeout=60) == 128 + signal.SIGTERM
        out, _ = serve.output()
    finally:
        serve.close()
    assert "migrating" not in out
    assert "release steps skipped" in out
    tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
    assert asyncio.run(_scalar(fresh_url, tables)) == 0
