"""The migrations build exactly the models' schema, and tear all of it down again."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from src.database import engine_for
from src.migrations import alembic_config, downgrade, upgrade
from src.models import Base
from tests.conftest import _admin

ROOT = Path(__file__).resolve().parents[2]
INDEXES = {
    "idx_students_telegram_id", "idx_students_grade", "idx_problems_grade_topic", "idx_problems_difficulty",
    "idx_sessions_student_created", "idx_sessions_status", "idx_sessions_date", "idx_responses_session",
    "idx_responses_problem", "idx_responses_correctness", "idx_streaks_current", "idx_cost_records_student",
    "idx_cost_records_session", "idx_cost_records_recorded", "idx_cost_records_operation",
}  # fmt: skip
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()
ENUMS = {
    "session_status": ["in_progress", "completed", "abandoned"],
    "confidence_level": ["low", "medium", "high"],
    "cost_operation": ["hint_generation", "answer_evaluation"],
    "api_provider": ["claude", "twilio"],
}


@pytest.fixture
def scratch_url(database_url: str) -> Iterator[str]:
    """An empty database of its own, so up/down cycles never disturb the shared test database."""
    name = f"dars_mig_{uuid.uuid4().hex[:8]}"
    admin = make_url(database_url).set(database="postgres").render_as_string(hide_password=False)
    asyncio.run(_admin(admin, f'CREATE DATABASE "{name}"'))
    yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _in_thread(function: object, *args: object) -> None:
    with ThreadPoolExecutor(1) as pool:
        pool.submit(function, *args).result()  # type: ignore[arg-type]


async def _catalog(url: str) -> dict[str, object]:
    engine = engine_for(url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:

            async def names(sql: str) -> set[str]:
                return set((await connection.execute(text(sql))).scalars())

            enums: dict[str, list[str]] = {}
            for name in ENUMS:
                labels = (
                    await connection.execute(
                        text(
                            "SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid "
                            "WHERE t.typname = :n ORDER BY e.enumsortorder"
                        ),
                        {"n": name},
                    )
                ).scalars()
                enums[name] = list(labels)
            diff = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_server_default": True}), Base.metadata
                )
            )
            return {
                "tables": await names("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"),
                "indexes": await names("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"),
                "types": await names("SELECT typname FROM pg_type WHERE typtype = 'e'"),
                "functions": await names("SELECT proname FROM pg_proc WHERE proname LIKE 'dars_%'"),
                "enums": enums,
                "diff": diff,
            }
    finally:
        await engine.dispose()


async def test_upgrade_downgrade_upgrade(scratch_url: str) -> None:
    await asyncio.to_thread(_in_thread, upgrade, scratch_url)
    built = await _catalog(scratch_url)
    assert built["tables"] >= {"students", "problems", "sessions", "responses", "streaks", "cost_records"}
    assert built["indexes"] >= INDEXES  # type: ignore[operator]
    assert built["enums"] == ENUMS
    assert built["diff"] == [], "models and migrations differ"
    assert built["functions"] == {"dars_set_updated_at"}

    await asyncio.to_thread(_in_thread, downgrade, scratch_url, "47eebe03a353")
    initial_only = await _catalog(scratch_url)
    assert initial_only["tables"] == {
        "alembic_version", "students", "problems", "sessions", "responses", "streaks", "cost_records"
    }  # fmt: skip
    assert initial_only["indexes"] >= INDEXES  # type: ignore[operator]

    await asyncio.to_thread(_in_thread, downgrade, scratch_url, "base")
    emptied = await _catalog(scratch_url)
    assert emptied["tables"] == {"alembic_version"}
    assert emptied["types"] == set()
    assert emptied["functions"] == set()

    await asyncio.to_thread(_in_thread, upgrade, scratch_url)
    assert (await _catalog(scratch_url))["diff"] == []


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_alembic_and_dars_commands(scratch_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": scratch_url}
    alembic = str(Path(sys.executable).parent / "alembic")
    dars = str(Path(sys.executable).parent / "dars")
    assert _run(dars, "db", "upgrade", env=env).returncode == 0
    current = _run(alembic, "current", env=env)
    assert f"{HEAD} (head)" in current.stdout, current.stderr
    check = _run(alembic, "check", env=env)
    assert check.returncode == 0 and "No new upgrade operations detected" in check.stdout + check.stderr
    assert _run(alembic, "downgrade", "-1", env=env).returncode == 0
    assert HEAD not in _run(alembic, "current", env=env).stdout
    history = _run(alembic, "history", env=env)
    assert "initial schema with all models" in history.stdout
    assert _run(alembic, "upgrade", "head", env=env).returncode == 0


def test_migrating_from_the_app_leaves_its_logging_alone(database_url: str) -> None:
    # alembic.ini's logging section would raise the root level to WARNING and hide `dars serve`'s own
    # start-up lines (such as "Telegram bot off").
    root = logging.getLogger()
    before = root.level
    root.setLevel(logging.INFO)
    try:
        _in_thread(upgrade, database_url)  # already at head: env.py runs all the same
        assert root.level == logging.INFO
    finally:
        root.setLevel(before)
