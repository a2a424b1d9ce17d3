"""The Driver: hot statements on the session's own asyncpg connection, in its transaction, failing as
SQLAlchemy fails; `adopt` makes its rows ORM objects; and the pool's cheap pre-ping."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import func, inspect, select, text
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection
from sqlalchemy.ext.asyncio import AsyncEngine

from src import database
from src.bot.application import is_transient
from src.config import get_settings
from src.database import get_engine, get_session
from src.driver import adopt, adopt_row, driver, prefixed, select_list
from src.models import Student

pytestmark = pytest.mark.usefixtures("committed")

_INSERT = "INSERT INTO students (telegram_id, name, grade) VALUES ($1, $2, 7) RETURNING student_id"


async def _students() -> list[int]:
    async with get_session() as db:
        return list((await db.execute(select(Student.telegram_id).order_by(Student.telegram_id))).scalars())


async def test_first_statement_begins_the_sessions_transaction_and_rolls_back_with_it() -> None:
    with pytest.raises(RuntimeError, match="after the insert"):
        async with get_session() as db:
            await (await driver(db)).fetchval(_INSERT, 1, "Rina")  # no SQLAlchemy statement before it
            raise RuntimeError("after the insert")
    assert await _students() == []

    async with get_session() as db:
        await (await driver(db)).fetchval(_INSERT, 2, "Karim")
        db.add(Student(telegram_id=3, name="Mitu", grade=6))  # ORM and driver rows commit together
    assert await _students() == [2, 3]


async def test_driver_sees_the_sessions_pending_changes() -> None:
    async with get_session() as db:
        db.add(Student(telegram_id=4, name="Joy", grade=8))  # not flushed yet
        count = await (await driver(db)).fetchval("SELECT count(*) FROM students WHERE telegram_id = 4")
    assert count == 1


async def test_a_lock_taken_by_the_driver_is_held_until_commit() -> None:
    async with get_session() as db:
        await (await driver(db)).fetchval(_INSERT, 5, "Lock")
    locked = asyncio.Event()
    release = asyncio.Event()

    async def holder() -> None:
        async with get_session() as db:
            await (await driver(db)).fetchrow("SELECT * FROM students WHERE telegram_id = 5 FOR UPDATE")
            locked.set()
            await release.wait()

    task = asyncio.create_task(holder())
    await locked.wait()
    nowait = "SELECT * FROM students WHERE telegram_id = 5 FOR UPDATE NOWAIT"
    try:
        with pytest.raises(sa_exc.DBAPIError) as caught:
            async with get_session() as other:
                await (await driver(other)).fetchrow(nowait)
        assert getattr(caught.value.orig, "sqlstate", None) == "55P03"  # lock_not_available
        with pytest.raises(sa_exc.DBAPIError) as through_orm:
            async with get_session() as other:
                await other.execute(text(nowait))
        assert type(caught.value) is type(through_orm.value)  # the same exception as SQLAlchemy's own
    finally:
        release.set()
        await task
    async with get_session() as db:  # released at commit
        row = await (await driver(db)).fetchrow(
            "SELECT * FROM students WHERE telegram_id = 5 FOR UPDATE NOWAIT"
        )
    assert row is not None


async def test_errors_come_out_as_sqlalchemys() -> None:
    async with get_session() as db:
        await (await driver(db)).fetchval(_INSERT, 6, "Once")
    with pytest.raises(sa_exc.IntegrityError) as caught:
        async with get_session() as db:
            await (await driver(db)).fetchval(_INSERT, 6, "Twice")
    assert getattr(caught.value.orig, "sqlstate", None) == "23505"
    assert "INSERT INTO students" in str(caught.value)
    assert not is_transient(caught.value)

    with pytest.raises(sa_exc.ProgrammingError):
        async with get_session() as db:
            await (await driver(db)).execute("SELECT no_such_column FROM students")


async def test_a_dropped_connection_is_a_transient_error(engine: AsyncEngine) -> None:
    with pytest.raises(sa_exc.DBAPIError) as caught:
        async with get_session() as db:
            connection = await driver(db)
            pid = await connection.fetchval("SELECT pg_backend_pid()")
            async with engine.connect() as admin:
                await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            await connection.fetchval("SELECT 1")
    assert caught.value.connection_invalidated
    assert is_transient(caught.value)


async def test_adopted_rows_are_persistent_and_refresh_the_identity_map() -> None:
    async with get_session() as db:
        student_id = await (await driver(db)).fetchval(_INSERT, 7, "Adopt")
    columns = tuple(Student.__table__.columns)
    query = f"SELECT {', '.join(c.name for c in columns)} FROM students WHERE student_id = $1"

    async with get_session() as db:
        row = await (await driver(db)).fetchrow(query, student_id)
        assert row is not None
        student = adopt(db, Student, {c.key: row[c.name] for c in columns})
        assert student in db and inspect(student).persistent and not db.is_modified(student)
        assert await db.get(Student, student_id) is student  # served from the identity map
        await db.refresh(student)  # the ORM's own operations accept it
        assert student.name == "Adopt" and not db.is_modified(student)
        student.name = "Renamed"  # flushed like any loaded object
    async with get_session() as db:
        loaded = await db.get(Student, student_id)
        assert loaded is not None and loaded.name == "Renamed"
        await (await driver(db)).execute("UPDATE students SET grade = 8 WHERE student_id = $1", student_id)
        row = await (await driver(db)).fetchrow(query, student_id)
        assert row is not None
        again = adopt(db, Student, {c.key: row[c.name] for c in columns})
        assert again is loaded and loaded.grade == 8 and not db.is_modified(loaded)


# --- the pool's pre-ping ----------------------------------------------------------------------------


@pytest.fixture
async def pooled(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[list[object]]:
    """Production pooling; yields the list of connections SQLAlchemy's own (3 round trip) ping ran on."""
    pinged: list[object] = []
    full_ping = AsyncAdapt_asyncpg_connection.ping

    def counting_ping(self: AsyncAdapt_asyncpg_connection) -> None:
        pinged.append(self)
        full_ping(self)

    monkeypatch.setattr(AsyncAdapt_asyncpg_connection, "ping", counting_ping)
    monkeypatch.setenv("DARS_ENV", "production")
    monkeypatch.setenv("DATABASE_POOL_SIZE", "1")
    get_settings.cache_clear()
    await database.dispose_engine()
    yield pinged
    await database.dispose_engine()
    monkeypatch.undo()
    get_settings.cache_clear()


async def _one_transaction() -> int:
    async with get_session() as db:
        pid: int = await (await driver(db)).fetchval("SELECT pg_backend_pid()")
        return pid


async def test_a_busy_connection_is_not_pinged_an_idle_one_is(
    pooled: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "ALIVE_BYPASS_SECONDS", 0.2)
    first = await _one_transaction()
    for _ in range(5):
        assert await _one_transaction() == first  # the same pooled connection
    assert pooled == []  # each came back to the pool moments ago: no ping
    await asyncio.sleep(0.3)
    assert await _one_transaction() == first
    assert len(pooled) == 1  # idle longer than the window: SQLAlchemy's own ping
    assert get_engine().pool.checkedout() == 0


async def test_a_connection_killed_while_idle_is_replaced_without_an_error(
    pooled: list[object], engine: AsyncEngine
) -> None:
    first = await _one_transaction()
    async with engine.connect() as admin:
        await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        await admin.execute(text("SELECT pg_sleep(0.1)"))  # the server closes the socket; asyncpg reads it
    second = await _one_transaction()  # no error reaches the caller
    assert second != first
    assert pooled == []  # seen closed without a round trip
    async with get_session() as db:
        assert (await db.execute(select(func.count()).select_from(Student))).scalar_one() == 0


async def test_database_echo_shows_driver_statements_beside_sqlalchemys(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("DATABASE_ECHO", "true")
    get_settings.cache_clear()
    await database.dispose_engine()
    try:
        with caplog.at_level("INFO"):
            async with get_session() as db:
                await (await driver(db)).fetchval("SELECT $1::int + 1", 41)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        await database.dispose_engine()
    messages = [record.getMessage() for record in caplog.records if record.name == "sqlalchemy.engine.Engine"]
    driver_line = messages.index("[driver] SELECT $1::int + 1 (41,)")
    # A transaction only the Driver used is begun and committed by it, and the log shows both.
    assert "[driver] BEGIN" in messages[:driver_line] and "[driver] COMMIT" in messages[driver_line:]


async def test_two_rows_of_one_table_side_by_side_are_read_back_by_their_own_names() -> None:
    async with get_session() as db:
        connection = await driver(db)
        for telegram_id, name in ((5, "Rina"), (6, "Karim")):
            await connection.fetchval(_INSERT, telegram_id, name)
        row = await connection.fetchrow(
            f"SELECT {select_list(Student, 'a', prefix='first_')}, "
            f"{select_list(Student, 'b', prefix='second_')} "
            "FROM students AS a, students AS b WHERE a.telegram_id = 5 AND b.telegram_id = 6"
        )
        assert row is not None
        first, second = (
            adopt_row(db, Student, prefixed(row, "first_")),
            adopt_row(db, Student, prefixed(row, "second_")),
        )
        assert (first.telegram_id, first.name, second.telegram_id, second.name) == (5, "Rina", 6, "Karim")
        with pytest.raises(TypeError, match="by column name"):
            prefixed(row, "first_")[0]
