"""Concurrent requests for one student / one session, on separate connections, really at the same time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from src.database import get_session
from src.models import Problem, Response, SessionStatus, Streak, Student
from src.models import Session as PracticeSession
from src.practice import service
from src.practice.errors import ProblemNotCurrent, SessionClosed
from tests.factories import hint_ladder

pytestmark = pytest.mark.usefixtures("committed")
T0 = datetime(2026, 3, 1, 4, 0, tzinfo=UTC)


async def _seed() -> int:
    async with get_session() as db:
        for i in range(10):
            db.add(
                Problem(
                    grade=6,
                    topic=f"T{i % 3}",
                    question_en="q",
                    question_bn="প্র",
                    answer=str(30 + i),
                    hints=hint_ladder(),
                    difficulty=1 + i % 3,
                )
            )
        student = Student(telegram_id=777, name="Karim", grade=6)
        db.add(student)
        await db.flush()
        return student.student_id


async def _start(student_id: int, barrier: asyncio.Barrier, now: datetime = T0) -> int:
    async with get_session() as db:
        await barrier.wait()
        view = await service.start_daily_session(db, student_id, now=now)
        return view.session.session_id


@pytest.mark.parametrize("clients", [2, 6])
async def test_concurrent_starts_make_one_session(clients: int) -> None:
    student_id = await _seed()
    barrier = asyncio.Barrier(clients)
    ids = await asyncio.gather(*(_start(student_id, barrier) for _ in range(clients)))
    assert len(set(ids)) == 1
    async with get_session() as db:
        count = (await db.execute(select(func.count()).select_from(PracticeSession))).scalar_one()
    assert count == 1


async def _submit(
    student_id: int, session_id: int, problem_id: int, text: str, barrier: asyncio.Barrier
) -> str:
    try:
        async with get_session() as db:
            await barrier.wait()
            outcome = await service.submit_answer(
                db, student_id, session_id, text, problem_id=problem_id, now=T0 + timedelta(minutes=5)
            )
            return "completed" if outcome.session_completed else "recorded"
    except (ProblemNotCurrent, SessionClosed) as exc:
        return exc.code


async def _one_problem_left(student_id: int) -> tuple[int, list[int], dict[int, str]]:
    """Today's session started, all but its last problem answered: (session id, problem ids, answers)."""
    async with get_session() as db:
        view = await service.start_daily_session(db, student_id, now=T0)
        sid, ids = view.session.session_id, list(view.session.problem_ids)
        answers = {p.problem.problem_id: p.problem.answer for p in view.problems}
        for pid in ids[:-1]:
            await service.submit_answer(
                db, student_id, sid, answers[pid], problem_id=pid, now=T0 + timedelta(minutes=1)
            )
    return sid, ids, answers


async def test_concurrent_final_submits_complete_once() -> None:
    student_id = await _seed()
    sid, ids, answers = await _one_problem_left(student_id)
    barrier = asyncio.Barrier(4)
    results = await asyncio.gather(
        *(_submit(student_id, sid, ids[-1], answers[ids[-1]], barrier) for _ in range(4))
    )
    assert sorted(results) == ["completed", "session_closed", "session_closed", "session_closed"]
    async with get_session() as db:
        session = await db.get(PracticeSession, sid)
        assert session.status == SessionStatus.COMPLETED and session.problems_correct == 5
        last = (
            await db.execute(select(func.count()).select_from(Response).where(Response.problem_id == ids[-1]))
        ).scalar_one()
        assert last == 1
        streak = await db.get(Streak, student_id)
        assert streak.current_streak == 1


async def test_concurrent_wrong_answers_are_all_kept_up_to_three() -> None:
    student_id = await _seed()
    async with get_session() as db:
        view = await service.start_daily_session(db, student_id, now=T0)
        sid, first = view.session.session_id, view.session.problem_ids[0]
    barrier = asyncio.Barrier(5)
    results = await asyncio.gather(*(_submit(student_id, sid, first, "0", barrier) for _ in range(5)))
    assert sorted(results) == ["problem_not_current"] * 2 + ["recorded"] * 3
    async with get_session() as db:
        count = (
            await db.execute(select(func.count()).select_from(Response).where(Response.problem_id == first))
        ).scalar_one()
    assert count == 3


async def _until_waiting_for_a_lock(what: str) -> None:
    """Return once a connection of this database waits for a row lock (fail after ~5 s)."""
    for _ in range(500):
        async with get_session() as db:
            waiting = await db.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
            if waiting.scalar_one():
                return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{what} never waited for the lock")


async def test_a_start_waiting_on_the_completing_answer_returns_the_completed_session() -> None:
    """The last answer holds the session's row lock while it completes the session; a start meanwhile (the
    student's other device) waits for that lock, and must then see the session as completed today, not
    miss it and begin a second session for the day."""
    student_id = (
        await _seed()
    )  # no streak yet: completing creates it, its foreign key share-locking the student
    sid, ids, answers = await _one_problem_left(student_id)
    later = T0 + timedelta(minutes=6)
    async with get_session() as answering:
        outcome = await service.submit_answer(
            answering, student_id, sid, answers[ids[-1]], problem_id=ids[-1], now=later
        )
        assert outcome.session_completed  # not yet committed: the session's row stays locked
        start = asyncio.create_task(_start(student_id, asyncio.Barrier(1), now=later))
        await _until_waiting_for_a_lock("the start")
        assert not start.done()
    # The answer has committed: the start goes on.
    assert await start == sid
    async with get_session() as db:
        count = (await db.execute(select(func.count()).select_from(PracticeSession))).scalar_one()
        session = await db.get(PracticeSession, sid)
    assert count == 1
    assert session is not None and session.status == SessionStatus.COMPLETED


async def test_a_start_holding_the_student_lock_does_not_deadlock_the_completing_answer() -> None:
    """The answer locks the session; a start (the student's other device) then locks the student and waits
    for the session; the answer completes the session and creates the student's first streak, whose foreign
    key share-locks the student's row. Had the start locked the student FOR UPDATE, the two would wait for
    each other until PostgreSQL killed one (a 500, or a lost answer): both must finish, one after the
    other."""
    student_id = await _seed()  # no streak row yet: the student's first session
    sid, ids, answers = await _one_problem_left(student_id)
    later = T0 + timedelta(minutes=5)
    async with get_session() as answering:
        await service.get_session_view(answering, student_id, sid, lock=True)  # as an answer begins
        start = asyncio.create_task(_start(student_id, asyncio.Barrier(1), now=later))
        await _until_waiting_for_a_lock("the start")
        outcome = await service.submit_answer(
            answering, student_id, sid, answers[ids[-1]], problem_id=ids[-1], now=later
        )
        assert outcome.session_completed
    assert await start == sid  # today's session, completed, and no second one
    async with get_session() as db:
        streak = await db.get(Streak, student_id)
        count = (await db.execute(select(func.count()).select_from(PracticeSession))).scalar_one()
    assert streak is not None and streak.current_streak == 1
    assert count == 1


async def test_a_start_waiting_on_the_expiry_job_begins_a_new_session() -> None:
    """The expiry job abandons the session while a start waits for its lock: the start then finds no session
    in progress and none completed today, and begins a new one (the choice's inputs read afresh)."""
    student_id = await _seed()
    first = await _start(student_id, asyncio.Barrier(1))
    later = T0 + timedelta(minutes=31)  # past the session's 30 minutes
    async with get_session() as expiring:
        assert await service.expire_sessions(expiring, now=later) == 1  # its row stays locked until commit
        start = asyncio.create_task(_start(student_id, asyncio.Barrier(1), now=later))
        await _until_waiting_for_a_lock("the start")
    second = await start
    assert second != first
    async with get_session() as db:
        rows = await db.execute(select(PracticeSession.session_id, PracticeSession.status))
        statuses = {session_id: status for session_id, status in rows}
    assert statuses == {first: SessionStatus.ABANDONED, second: SessionStatus.IN_PROGRESS}
