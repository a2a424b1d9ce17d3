"""get_session commits, rolls back and returns its connection; check_connection never raises."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.pool import NullPool, QueuePool

from src import database
from src.config import get_settings
from src.database import after_rollback, check_connection, get_engine, get_session
from src.models import Student

pytestmark = pytest.mark.usefixtures("committed")


@pytest.fixture
async def pooled(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    """Production pooling (QueuePool), so checked-out connections can be counted."""
    monkeypatch.setenv("DARS_ENV", "production")
    get_settings.cache_clear()
    await database.dispose_engine()
    yield
    await database.dispose_engine()
    monkeypatch.setenv("DARS_ENV", "test")
    get_settings.cache_clear()


async def _count_students() -> int:
    async with get_session() as db:
        return (await db.execute(select(func.count()).select_from(Student))).scalar_one()


@pytest.mark.usefixtures("pooled")
async def test_rolls_back_on_exception_and_returns_connection() -> None:
    pool = get_engine().pool
    assert isinstance(pool, QueuePool)
    with pytest.raises(RuntimeError, match="boom"):
        async with get_session() as db:
            db.add(Student(telegram_id=1, name="A", grade=6))
            await db.flush()
            assert pool.checkedout() == 1
            raise RuntimeError("boom")
    assert pool.checkedout() == 0
    assert await _count_students() == 0
    assert pool.checkedout() == 0


@pytest.mark.usefixtures("pooled")
async def test_commits_on_success_and_returns_connection() -> None:
    async with get_session() as db:
        db.add(Student(telegram_id=2, name="B", grade=8))
    assert get_engine().pool.checkedout() == 0
    assert await _count_students() == 1


@pytest.mark.usefixtures("pooled")
async def test_failed_commit_rolls_back_and_raises() -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        async with get_session() as db:
            db.add(Student(telegram_id=3, name="C", grade=9))
    assert get_engine().pool.checkedout() == 0


@pytest.mark.usefixtures("pooled")
async def test_production_pool_settings() -> None:
    engine = get_engine()
    assert isinstance(engine.pool, QueuePool)
    assert engine.pool.size() == 5
    assert engine.pool._max_overflow == 10
    assert engine.pool._pre_ping is True


async def test_test_environment_uses_no_pool() -> None:
    assert get_settings().dars_env.value == "test"
    await database.dispose_engine()
    assert isinstance(get_engine().pool, NullPool)


async def test_check_connection_false_when_database_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:1/none")
    get_settings.cache_clear()
    await database.dispose_engine()
    try:
        assert await check_connection(timeout_seconds=3) is False
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        await database.dispose_engine()
    assert await check_connection() is True


async def test_after_rollback_writes_run_only_on_rollback_and_never_hide_the_error() -> None:
    ran: list[str] = []

    async def write() -> None:
        ran.append("written")

    async def broken() -> None:
        raise OSError("the database is down")

    async with get_session() as db:
        after_rollback(db, write)
    assert ran == []  # committed: nothing to redo

    with pytest.raises(ValueError, match="original"):
        async with get_session() as db:
            after_rollback(db, broken)
            after_rollback(db, write)
            raise ValueError("original")
    assert ran == ["written"]  # the broken write is logged, the next still runs, the error is the request's
