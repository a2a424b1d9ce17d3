"""The embedded PostgreSQL is never left behind: several uvicorn workers share it, stale handles are harmless.

Real processes and real signals: uvicorn's own multi-worker supervisor, `dars serve`, SIGINT to the whole
process group (what Ctrl-C in a terminal sends) and SIGTERM to the parent (what systemd and docker send).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from src.embedded_db import forget_dead_handles

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN")}
    return env | {"DARS_DATA_DIR": str(data_dir), "DARS_ENV": "development"}


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return False


def _log(tmp_path: Path) -> Any:
    # A file, not a pipe: a pipe nobody reads fills up with the server's log lines, and then the server
    # blocks on a write and never finishes shutting down.
    return (tmp_path / "server.log").open("wb")


def _wait_until(condition: object, what: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        if process.poll() is not None:
            pytest.fail(f"the server exited ({process.returncode}) before {what} (its log: server.log)")
        assert time.monotonic() < deadline, f"no {what} in {seconds} s"
        time.sleep(0.3)


def _handles(pgdata: Path) -> list[int]:
    path = pgdata / ".handle_pids.json"
    text = path.read_text() if path.exists() else ""
    return list(json.loads(text)) if text.strip() else []


def _postmaster_pid(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().split()[0])


@pytest.mark.parametrize("stop", ["SIGINT to the process group", "SIGTERM to the supervisor"])
def test_uvicorn_workers_share_the_embedded_server_and_the_last_one_stops_it(
    tmp_path: Path, stop: str
) -> None:
    data, port = tmp_path / "data", _free_port()
    pgdata = data / "pgdata"
    server = subprocess.Popen(
        [str(BIN / "uvicorn"), "src.api.app:create_app", "--factory", "--workers", "2", "--port", str(port)],
        cwd=ROOT,
        env=_env(data),
        stdout=subprocess.DEVNULL,
        stderr=_log(tmp_path),
        start_new_session=True,  # its own process group, as a terminal's foreground job has
    )
    try:
        _wait_until(lambda: _healthy(port), "answer on /health", server)
        # Each worker joins the one server as it starts (the expiry job touches the database at once).
        _wait_until(lambda: len(_handles(pgdata)) == 2, "two workers holding the server", server, 60)
        postmaster = _postmaster_pid(pgdata)
        assert _running(postmaster)
        if stop.startswith("SIGINT"):
            os.killpg(server.pid, signal.SIGINT)
        else:
            server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    deadline = time.monotonic() + 20
    while _running(postmaster) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _running(postmaster), f"PostgreSQL (pid {postmaster}) was left running after {stop}"
    assert _handles(pgdata) == []


def test_a_stale_handle_file_does_not_keep_the_server_running(tmp_path: Path) -> None:
    """Dead PIDs left in the handle list (a worker killed with SIGKILL) no longer keep PostgreSQL alive."""
    data, port = tmp_path / "data", _free_port()
    pgdata = data / "pgdata"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    made = subprocess.run(
        [str(BIN / "dars"), "db", "upgrade"], cwd=ROOT, env=_env(data), capture_output=True, timeout=180
    )
    assert made.returncode == 0, made.stderr.decode()
    assert not (pgdata / "postmaster.pid").exists()
    (pgdata / ".handle_pids.json").write_text(json.dumps([dead.pid, 2**22 + 12345]))
    server = subprocess.Popen(
        [str(BIN / "dars"), "serve", "--port", str(port)],
        cwd=ROOT,
        env=_env(data),
        stdout=subprocess.DEVNULL,
        stderr=_log(tmp_path),
    )
    try:
        _wait_until(lambda: _healthy(port), "answer on /health", server)
        assert _handles(pgdata) == [server.pid], "the dead PIDs were not forgotten on joining"
        postmaster = _postmaster_pid(pgdata)
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=60) == 0
    finally:
        if server.poll() is None:
            server.kill()
    assert not _running(postmaster), "PostgreSQL was left running behind a stale handle file"
    assert not (pgdata / "postmaster.pid").exists()


def test_forget_dead_handles_keeps_the_living(tmp_path: Path) -> None:
    pgdata = tmp_path / "pgdata"
    pgdata.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (pgdata / ".handle_pids.json").write_text(json.dumps([os.getpid(), dead.pid]))
    assert forget_dead_handles(pgdata) == [dead.pid]
    assert _handles(pgdata) == [os.getpid()]
    (pgdata / ".handle_pids.json").write_text("not json")  # a damaged file is left alone, not a crash
    assert forget_dead_handles(pgdata) == []
