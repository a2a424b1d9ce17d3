"""DATABASE_URL as Railway, Render, Heroku, Neon and Supabase give it: postgres://, postgresql://, ?sslmode=.

The SSL tests run a PostgreSQL (the embedded wheel's binaries) that accepts only SSL connections over TCP
(`hostssl`, no `host` rule), with a certificate made for the test, as managed servers do.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from src.config import ConfigError, get_settings
from src.database import engine_for
from src.pg_url import SSL_MODES, DatabaseUrlError, asyncpg_url, engine_arguments

DARS = str(Path(sys.executable).parent / "dars")


def _settings_url(monkeypatch: pytest.MonkeyPatch, value: str) -> str | None:
    monkeypatch.setenv("DATABASE_URL", value)
    get_settings.cache_clear()
    try:
        return get_settings().database_url
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


@pytest.mark.parametrize(
    "given,expected",
    [
        ("postgresql://u:p@db.example:5432/dars", "postgresql+asyncpg://u:p@db.example:5432/dars"),
        ("postgres://u:p@db.example:5432/dars", "postgresql+asyncpg://u:p@db.example:5432/dars"),
        ("POSTGRES://u:p@db.example/dars", "postgresql+asyncpg://u:p@db.example/dars"),
        ("postgresql+asyncpg://u:p@db.example/dars", "postgresql+asyncpg://u:p@db.example/dars"),
        (
            "postgresql://u@/dars?host=/var/run/postgresql",
            "postgresql+asyncpg://u@/dars?host=/var/run/postgresql",
        ),
        (
            "postgres://u:p@db.example/dars?sslmode=require",
            "postgresql+asyncpg://u:p@db.example/dars?sslmode=require",
        ),
    ],
)
def test_platform_urls_are_taken_as_given(monkeypatch: pytest.MonkeyPatch, given: str, expected: str) -> None:
    assert _settings_url(monkeypatch, given) == expected


@pytest.mark.parametrize("mode", SSL_MODES)
def test_sslmode_becomes_asyncpgs_ssl_argument(mode: str) -> None:
    url, connect_args = engine_arguments(f"postgresql://u:p@db.example/dars?sslmode={mode}&host=h")
    assert connect_args == {"ssl": mode}
    assert dict(url.query) == {"host": "h"}  # asyncpg.connect() would refuse an sslmode argument
    assert url.drivername == "postgresql+asyncpg"


def test_no_sslmode_leaves_asyncpgs_default() -> None:
    url, connect_args = engine_arguments("postgresql+asyncpg://u:p@db.example/dars")
    assert connect_args == {}
    assert url.render_as_string(hide_password=False) == "postgresql+asyncpg://u:p@db.example/dars"


@pytest.mark.parametrize(
    "value,reason",
    [
        ("mysql://dars:s3cret-pass@db.example/dars", "must be a PostgreSQL URL"),
        ("sqlite:///dars.db", "must be a PostgreSQL URL"),
        ("postgresql+psycopg://dars:s3cret-pass@db.example/dars", "must be a PostgreSQL URL"),
        ("db.example:5432/dars", "must be a PostgreSQL URL"),
        ("postgresql://dars:s3cret-pass@db.example/dars?sslmode=sometimes", "sslmode must be one of"),
        ("postgresql://dars:s3cret-pass@db.example/dars?sslmode=require&sslmode=disable", "more than once"),
        ("postgresql://dars:s3cret-pass@db.example/dars?sslrootcert=/nowhere/root.crt", "needs sslmode"),
        (
            "postgresql://dars:s3cret-pass@db.example/dars?sslmode=verify-full&sslrootcert=/nowhere/root.crt",
            "cannot be read",
        ),
        (
            "postgresql://dars:s3cret-pass@db.example/dars?sslmode=require&channel_binding=require",
            "remove the query parameter channel_binding (asyncpg has no channel binding",
        ),
        (
            "postgresql://dars:s3cret-pass@db.example/dars?pgbouncer=true",
            "remove the query parameter pgbouncer",
        ),
    ],
)
def test_urls_dars_cannot_use_stop_start_up_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str, reason: str
) -> None:
    with pytest.raises(ConfigError, match="DATABASE_URL") as raised:
        _settings_url(monkeypatch, value)
    assert reason in str(raised.value)
    assert "s3cret-pass" not in str(raised.value)


async def test_each_form_connects(database_url: str) -> None:
    """The test database's own URL, written the three ways, reaches the same database."""
    url = make_url(database_url)
    for scheme in ("postgres", "postgresql", "postgresql+asyncpg"):
        given = url.set(drivername=scheme).render_as_string(hide_password=False)
        engine = engine_for(asyncpg_url(given), poolclass=NullPool)
        try:
            async with engine.connect() as connection:
                name = (await connection.execute(text("SELECT current_database()"))).scalar_one()
        finally:
            await engine.dispose()
        assert name == url.database


@dataclass(frozen=True)
class SslServer:
    port: int
    root_cert: Path  # the server's own (self-signed) certificate: the root to verify it against
    other_cert: Path  # a certificate the server's was not signed with

    def url(self, query: str = "", scheme: str = "postgresql") -> str:
        return f"{scheme}://postgres@127.0.0.1:{self.port}/postgres" + (f"?{query}" if query else "")


def _self_signed(directory: Path, name: str) -> tuple[Path, Path]:
    cert, key = directory / f"{name}.crt", directory / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def _server_binaries() -> Path:
    """The machine's own PostgreSQL binaries (Debian's, on PATH on every machine of this kind, CI's too):
    the embedded wheel's server is built without SSL ("SSL is not supported by this build")."""
    initdb = shutil.which("initdb")
    assert initdb is not None, "the SSL tests need PostgreSQL's server binaries (initdb, pg_ctl) on PATH"
    return Path(os.path.realpath(initdb)).parent


@pytest.fixture(scope="module")
def ssl_server() -> Iterator[SslServer]:
    binaries = _server_binaries()
    # PostgreSQL refuses to run as root: as root (CI, these machines) the server runs as `postgres`.
    user = "postgres" if os.geteuid() == 0 else None
    base = Path(tempfile.mkdtemp(prefix="dars-ssl-pg-"))  # not under pytest's 0700 tmp: `user` must reach it
    base.chmod(0o755)
    pgdata = base / "pgdata"
    pgdata.mkdir(mode=0o700)
    log = base / "log"
    log.touch()
    cert, key = _self_signed(base, "server")
    other_cert, _ = _self_signed(base, "other")
    if user is not None:
        for path in (pgdata, log, cert, key):
            shutil.chown(path, user, user)
    key.chmod(0o600)

    def run(command: str, *args: str) -> None:
        subprocess.run(
            [str(binaries / command), *args], check=True, capture_output=True, timeout=120, user=user
        )

    run("initdb", "--auth=trust", "--encoding=utf8", "-U", "postgres", "-D", str(pgdata))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (pgdata / "postgresql.conf").open("a") as conf:
        conf.write(
            f"ssl = on\nssl_cert_file = '{cert}'\nssl_key_file = '{key}'\n"
            f"listen_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = ''\n"
        )
    # SSL or nothing: no `host` rule, so a connection without encryption finds no entry and is refused.
    (pgdata / "pg_hba.conf").write_text("hostssl all all 127.0.0.1/32 trust\n")
    run("pg_ctl", "-w", "-D", str(pgdata), "-l", str(log), "start")
    try:
        yield SslServer(port, cert, other_cert)
    finally:
        run("pg_ctl", "-w", "-D", str(pgdata), "-m", "fast", "stop")
        shutil.rmtree(base, ignore_errors=True)


async def _ssl_in_use(url: str) -> bool:
    engine = engine_for(asyncpg_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            query = text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            return bool((await connection.execute(query)).scalar_one())
    finally:
        await engine.dispose()


async def test_a_server_that_requires_ssl_refuses_plain_and_takes_sslmode_require(
    ssl_server: SslServer,
) -> None:
    with pytest.raises(DBAPIError, match="no encryption"):
        await _ssl_in_use(ssl_server.url("sslmode=disable"))
    assert await _ssl_in_use(ssl_server.url("sslmode=require")) is True
    assert await _ssl_in_use(ssl_server.url("sslmode=require", scheme="postgres")) is True
    assert await _ssl_in_use(ssl_server.url()) is True  # asyncpg's default is libpq's: prefer


async def test_verify_full_checks_the_certificate_against_sslrootcert(ssl_server: SslServer) -> None:
    assert await _ssl_in_use(ssl_server.url(f"sslmode=verify-full&sslrootcert={ssl_server.root_cert}"))
    with pytest.raises(Exception, match=r"CERTIFICATE_VERIFY_FAILED|certificate verify failed"):
        await _ssl_in_use(ssl_server.url(f"sslmode=verify-full&sslrootcert={ssl_server.other_cert}"))


def test_dars_migrates_over_ssl_with_the_url_as_a_platform_gives_it(ssl_server: SslServer) -> None:
    env = {**os.environ, "DATABASE_URL": ssl_server.url("sslmode=require"), "DARS_ENV": "production"}
    upgrade = subprocess.run(
        [DARS, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert upgrade.returncode == 0, upgrade.stderr
    current = subprocess.run(
        [DARS, "db", "current"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert current.returncode == 0, current.stderr
    assert "(head)" in current.stdout


def test_a_bad_sslmode_is_a_database_url_error() -> None:
    with pytest.raises(DatabaseUrlError, match="sslmode must be one of"):
        asyncpg_url("postgresql://h/db?sslmode=verify_full")


_ASYNCPG_COUNTER_NAME = re.compile(r"__asyncpg_stmt_[0-9a-f]+__")  # asyncpg's per-connection counter


async def _prepared_statement_names(database_url: str) -> set[str]:
    """Statements through SQLAlchemy and through asyncpg directly (as the Driver sends them), then the
    names the server holds for this connection."""
    engine = engine_for(database_url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
            raw = await connection.get_raw_connection()
            await raw.driver_connection.fetchval("SELECT 2")  # type: ignore[union-attr]
            names = await connection.execute(text("SELECT name FROM pg_prepared_statements"))
            return set(names.scalars())
    finally:
        await engine.dispose()


async def test_pgbouncer_mode_names_no_statement_a_second_client_could_clash_with(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Behind PgBouncer in transaction mode, clients share server connections: asyncpg's counter names
    # (__asyncpg_stmt_1__ on every client) collide, and a cached statement is missing on the next server.
    try:
        monkeypatch.setenv("DATABASE_PGBOUNCER", "false")
        get_settings.cache_clear()
        default = await _prepared_statement_names(database_url)
        monkeypatch.setenv("DATABASE_PGBOUNCER", "true")
        get_settings.cache_clear()
        bouncer = await _prepared_statement_names(database_url)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert any(_ASYNCPG_COUNTER_NAME.fullmatch(name) for name in default), default
    assert not any(_ASYNCPG_COUNTER_NAME.fullmatch(name) for name in bouncer), bouncer
    assert bouncer and all(re.fullmatch(r"__asyncpg_[0-9a-f]{32}__", name) for name in bouncer), bouncer
