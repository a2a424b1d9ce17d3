"""Sessions from `get_session()` hold one pooled connection: the ORM and the Driver share it and its
transaction, whichever comes first, and a session that only used the Driver is committed (or rolled back)
by the Driver on that connection, without the ORM's transaction machinery."""

from __future__ import annotations

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import select, text

from src.database import get_session
from src.driver import driver
from src.models import Student

pytestmark = pytest.mark.usefixtures("committed")

_INSERT = "INSERT INTO students (telegram_id, name, grade) VALUES ($1, $2, 7) RETURNING student_id"
_WHERE_AM_I = "SELECT pg_backend_pid()::bigint * 1000000000000 + txid_current()"


async def _students() -> list[int]:
    async with get_session() as db:
        return list((await db.execute(select(Student.telegram_id).order_by(Student.telegram_id))).scalars())


async def _open_backends(pids: list[int]) -> list[int]:
    async with get_session() as db:
        rows = await db.execute(
            text("SELECT pid FROM pg_stat_activity WHERE pid = ANY(:pids)"), {"pids": pids}
        )
        return list(rows.scalars())


@pytest.mark.parametrize("orm_first", [True, False])
async def test_orm_and_driver_run_on_one_connection_in_one_transaction(orm_first: bool) -> None:
    async with get_session() as db:
        if orm_first:
            orm = (await db.execute(text(_WHERE_AM_I))).scalar_one()
            raw = await (await driver(db)).fetchval(_WHERE_AM_I)
        else:
            raw = await (await driver(db)).fetchval(_WHERE_AM_I)
            orm = (await db.execute(text(_WHERE_AM_I))).scalar_one()
    assert orm == raw  # same backend and the same transaction id


async def test_a_driver_only_session_is_committed_by_the_driver() -> None:
    async with get_session() as db:
        await (await driver(db)).fetchval(_INSERT, 11, "Rina")
        assert db.sync_session.get_transaction() is None  # the ORM's transaction was never begun
        pid = await (await driver(db)).fetchval("SELECT pg_backend_pid()")
    assert await _students() == [11]
    assert await _open_backends([pid]) == []  # the connection went back (the tests' pool closes it)


async def test_a_driver_only_session_rolls_back_on_error_and_returns_its_connection() -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with get_session() as db:
            await (await driver(db)).fetchval(_INSERT, 12, "Karim")
            pid = await (await driver(db)).fetchval("SELECT pg_backend_pid()")
            raise RuntimeError("boom")
    assert await _students() == []
    assert await _open_backends([pid]) == []


async def test_the_orm_joining_later_commits_and_rolls_back_the_drivers_work_with_its_own() -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with get_session() as db:
            await (await driver(db)).fetchval(_INSERT, 13, "Mitu")
            student = (await db.execute(select(Student).where(Student.telegram_id == 13))).scalar_one()
            student.name = "Mitu Rahman"  # the ORM sees the Driver's uncommitted row
            raise RuntimeError("boom")
    assert await _students() == []

    async with get_session() as db:
        await (await driver(db)).fetchval(_INSERT, 14, "Joy")
        student = (await db.execute(select(Student).where(Student.telegram_id == 14))).scalar_one()
        student.name = "Joy Das"
        db.add(Student(telegram_id=15, name="Nila", grade=6))
    async with get_session() as db:
        names = (await db.execute(select(Student.name).order_by(Student.telegram_id))).scalars().all()
    assert names == ["Joy Das", "Nila"]


async def test_a_commit_inside_the_session_ends_one_transaction_and_the_next_is_its_own() -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with get_session() as db:
            await (await driver(db)).fetchval(_INSERT, 16, "First")
            await db.commit()  # the ORM commits the transaction the Driver began
            await (await driver(db)).fetchval(_INSERT, 17, "Second")
            raise RuntimeError("boom")
    assert await _students() == [16]


async def test_a_transaction_the_orm_began_ends_the_drivers_work_with_its_own() -> None:
    async with get_session() as db:
        with pytest.raises(RuntimeError, match="boom"):
            async with db.begin():
                await (await driver(db)).fetchval(_INSERT, 22, "Inside")
                raise RuntimeError("boom")
        async with db.begin():
            await (await driver(db)).fetchval(_INSERT, 23, "Kept")
        await (await driver(db)).fetchval(_INSERT, 24, "After")
        await db.rollback()
    assert await _students() == [23]


@pytest.mark.parametrize("explicit", [False, True])
async def test_a_failed_commit_raises_sqlalchemys_error_and_leaves_nothing_behind(explicit: bool) -> None:
    with pytest.raises(sa_exc.IntegrityError):
        async with get_session() as db:
            connection = await driver(db)
            await connection.execute(
                "CREATE TEMP TABLE deferred_check (id int UNIQUE DEFERRABLE INITIALLY DEFERRED)"
            )
            await connection.execute("INSERT INTO deferred_check VALUES (1), (1)")  # fails only at COMMIT
            await connection.fetchval(_INSERT, 18, "Lost")
            if explicit:
                await db.commit()  # the session's own commit, not the end of the block
    assert await _students() == []
    async with get_session() as db:  # the next session works as usual
        await (await driver(db)).fetchval(_INSERT, 19, "Next")
    assert await _students() == [19]


async def test_a_session_is_usable_again_after_it_is_closed() -> None:
    async with get_session() as db:
        await (await driver(db)).fetchval(_INSERT, 20, "Once")
    await (await driver(db)).fetchval(_INSERT, 21, "Again")  # a closed session starts afresh
    await db.close()  # closing rolls the Driver's open transaction back
    assert await _students() == [20]


@pytest.mark.parametrize("orm_used", [False, True])
async def test_an_invalidated_session_gives_its_connection_up(orm_used: bool) -> None:
    async with get_session() as db:
        await (await driver(db)).fetchval(_INSERT, 25, "Gone")
        if orm_used:
            await db.execute(select(Student))
        pid = await (await driver(db)).fetchval("SELECT pg_backend_pid()")
        await db.invalidate()  # the connection is closed, not returned; its transaction dies with it
    assert await _open_backends([pid]) == []
    assert await _students() == []
    async with get_session() as db:
        await (await driver(db)).fetchval(_INSERT, 26, "Fresh")
    assert await _students() == [26]
