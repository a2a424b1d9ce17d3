"""What the image and Railway run, run here: real processes, real signals, a real database.

The image is not built here (no container engine on these machines); what it runs is tested instead: the
Dockerfile's CMD with the ENV of its final stage (DARS_HOST=0.0.0.0, DARS_WORKERS=2) plus the platform's
PORT, and railway.toml's pre-deploy and start commands in exec form, against a fresh database given as a
platform gives it (postgresql://).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import tomllib
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
from src.content.library import read_library
from src.database import engine_for
from src.migrations import alembic_config
from tests.conftest import _admin

ROOT = Path(__file__).resolve().parents[2]
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()

LIBRARY_SIZE = len(read_library().problems)  # what one library load inserts into a fresh database


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


def _read_until_closed(client: socket.socket) -> bytes:
    chunks = []
    while chunk := client.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _image() -> tuple[list[str], dict[str, str]]:
    """The Dockerfile's CMD and the ENV of its final stage, so these tests run what the image runs."""
    dockerfile = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    final = [line.strip() for line in dockerfile.split("\nFROM ")[-1].splitlines()]
    env: dict[str, str] = {}
    for line in final:
        if line.startswith("ENV "):
            env |= dict(pair.split("=", 1) for pair in shlex.split(line[4:]))
    (cmd,) = [json.loads(line[4:]) for line in final if line.startswith("CMD ")]
    return cmd, env


def _container_env(url: str, port: int) -> dict[str, str]:
    """The image's environment (its PATH: this venv's bin) plus what the platform sets."""
    _, image_env = _image()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DARS_", "TELEGRAM_", "DATABASE_"))}
    env |= {k: v for k, v in image_env.items() if k != "PATH"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env | {"DATABASE_URL": url, "PORT": str(port), "SESSION_EXPIRY_INTERVAL_SECONDS": "0"}


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

    def __init__(self, tmp_path: Path, env: dict[str, str], command: list[str]) -> None:
        self._out, self._err = (tmp_path / "stdout").open("w+"), (tmp_path / "stderr").open("w+")
        self.process = subprocess.Popen(
            command, env=env, stdout=self._out, stderr=self._err, start_new_session=True
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


def test_the_images_command_migrates_and_loads_once_then_drains_on_sigterm(
    fresh_url: str, tmp_path: Path
) -> None:
    command, image_env = _image()
    assert (command, image_env["DARS_HOST"], image_env["DARS_WORKERS"]) == (["dars", "serve"], "0.0.0.0", "2")
    port = _free_port()
    serve = Serve(tmp_path, _container_env(fresh_url, port), command)
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
            answer = _read_until_closed(client)  # a server shutting down closes after its answer
        # The app's own answer (no Mini App initData: 401), not a connection cut off.
        assert answer.startswith(b"HTTP/1.1 401"), answer
        assert b"not_authenticated" in answer, answer
        assert serve.process.wait(timeout=60) == 0
        out, err = serve.output()
    finally:
        serve.close()
    assert out.count("migrating to head") == 1, out
    assert out.count(f"inserted {LIBRARY_SIZE},") == 1, out  # the library load's one report line
    assert err.count("Started server process") == 2, err  # two workers
    assert err.count("Started parent process") == 1, err  # under one supervisor
    assert err.count("Finished server process") == 2, err  # each worker shut down, none was killed
    assert asyncio.run(_scalar(fresh_url, "SELECT version_num FROM alembic_version")) == HEAD
    assert asyncio.run(_scalar(fresh_url, "SELECT count(*) FROM problems")) == LIBRARY_SIZE


def test_railways_pre_deploy_then_start_command(fresh_url: str, tmp_path: Path) -> None:
    """railway.toml's commands as Railway runs them with a Dockerfile: exec form, the image's environment."""
    deploy = tomllib.loads((ROOT / "railway.toml").read_text())["deploy"]
    assert (deploy["healthcheckPath"], deploy["restartPolicyType"]) == ("/health", "ON_FAILURE")
    port = _free_port()
    env = _container_env(fresh_url, port)
    (pre_deploy,) = deploy["preDeployCommand"]
    assert "dars db upgrade && dars content load" in pre_deploy
    release = subprocess.run(
        shlex.split(pre_deploy), env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert release.returncode == 0, release.stderr
    assert asyncio.run(_scalar(fresh_url, "SELECT version_num FROM alembic_version")) == HEAD
    assert asyncio.run(_scalar(fresh_url, "SELECT count(*) FROM problems")) == LIBRARY_SIZE
    serve = Serve(tmp_path, env, shlex.split(deploy["startCommand"]))
    try:
        serve.wait_healthy(port)
        serve.process.send_signal(signal.SIGTERM)
        assert serve.process.wait(timeout=60) == 0
        out, _ = serve.output()
    finally:
        serve.close()
    assert "migrating" not in out  # the pre-deploy step did it, once
    assert "release steps skipped" in out
