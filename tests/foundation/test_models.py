"""Server defaults, updated_at, add_milestone, relationships and the keyword form of get()."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import selectinload

from src.database import DarsSession
from src.models import MILESTONES, Response, Session, SessionStatus, Streak, Student
from tests.factories import make_problem, make_session, make_streak, make_student


async def test_server_defaults_from_raw_insert(db: DarsSession) -> None:
    # Raw SQL proves the defaults live in the database, not only in Python.
    student_id = (
        await db.execute(
            text(
                "INSERT INTO students (telegram_id, name, grade) VALUES (1, 'Nusrat', 6) RETURNING student_id"
            )
        )
    ).scalar_one()
    row = (
        await db.execute(
            text("SELECT language, created_at, updated_at FROM students WHERE student_id = :i"),
            {"i": student_id},
        )
    ).one()
    assert row.language == "bn"
    assert row.created_at.tzinfo is not None
    now = datetime.now(UTC)
    session_row = (
        await db.execute(
            text(
                "INSERT INTO sessions (student_id, date, problem_ids, expires_at) "
                "VALUES (:s, :d, '[1,2,3,4,5]', :e) RETURNING status, total_time_seconds, problems_correct"
            ),
            {"s": student_id, "d": now, "e": now + timedelta(minutes=30)},
        )
    ).one()
    assert tuple(session_row) == ("in_progress", 0, 0)
    streak_row = (
        await db.execute(
            text(
                "INSERT INTO streaks (student_id) VALUES (:s) "
                "RETURNING current_streak, longest_streak, milestones_achieved, last_practice_date"
            ),
            {"s": student_id},
        )
    ).one()
    assert tuple(streak_row) == (0, 0, [], None)
    problem = await make_problem(db)
    assert problem.estimated_time_minutes == 5


async def test_orm_defaults(db: DarsSession) -> None:
    student = await make_student(db)
    session = await make_session(db, student)
    problem = await make_problem(db)
    response = Response(
        session_id=session.session_id, problem_id=problem.problem_id, student_answer="1", is_correct=False
    )
    db.add(response)
    await db.flush()
    assert session.status is SessionStatus.IN_PROGRESS
    assert response.hints_viewed == []
    assert response.confidence_level == "medium"
    assert response.time_spent_seconds == 0
    assert response.evaluated_at.tzinfo is not None


async def test_updated_at_refreshed_on_every_update(db: DarsSession) -> None:
    student = await make_student(db)
    first = student.updated_at
    assert student.created_at == first
    await asyncio.sleep(0.01)
    student.name = "Rahim Uddin"
    await db.flush()
    second = student.updated_at
    assert second > first
    # A Core/raw update refreshes it too: the trigger, not the ORM, owns the column.
    await db.execute(text("UPDATE students SET grade = 8 WHERE student_id = :i"), {"i": student.student_id})
    third = (
        await db.execute(
            text("SELECT updated_at FROM students WHERE student_id = :i"), {"i": student.student_id}
        )
    ).scalar_one()
    assert third > second
    assert student.created_at == first


async def test_add_milestone_records_once(db: DarsSession) -> None:
    student = await make_student(db)
    streak = await make_streak(db, student)
    assert streak.add_milestone(7) is True
    assert streak.add_milestone(7) is False
    assert streak.add_milestone(30) is True
    await db.flush()
    db.expire(streak)
    reloaded = await db.get(Streak, student.student_id)
    assert reloaded is not None
    assert reloaded.milestones_achieved == [7, 30]


@pytest.mark.parametrize("days", [0, 1, 8, 100, -7, 366])
def test_add_milestone_refuses_other_days(days: int) -> None:
    streak = Streak(student_id=1, milestones_achieved=[])
    with pytest.raises(ValueError, match="not a streak milestone"):
        streak.add_milestone(days)
    assert streak.milestones_achieved == []


def test_every_spec_milestone_accepted() -> None:
    streak = Streak(student_id=1, milestones_achieved=[])
    for days in MILESTONES:
        assert streak.add_milestone(days)
    assert streak.milestones_achieved == [7, 14, 30, 60, 90, 180, 365]


async def test_get_by_keyword_and_positional(db: DarsSession) -> None:
    student = await make_student(db)
    await make_streak(db, student)
    db.expunge_all()
    by_keyword = await db.get(Student, student_id=student.student_id)
    by_position = await db.get(Student, student.student_id)
    streak = await db.get(Streak, student_id=student.student_id)
    assert by_keyword is by_position
    assert by_keyword.name == "Rahim"
    assert streak.student_id == student.student_id
    with pytest.raises(TypeError, match="not the primary key"):
        await db.get(Student, telegram_id=student.telegram_id)


async def test_relationships_load_explicitly(db: DarsSession) -> None:
    student = await make_student(db)
    await make_session(db, student)
    await make_streak(db, student)
    db.expunge_all()
    loaded = (
        await db.execute(
            select(Student)
            .where(Student.student_id == student.student_id)
            .options(selectinload(Student.sessions), selectinload(Student.streak))
        )
    ).scalar_one()
    assert len(loaded.sessions) == 1
    assert loaded.streak is not None and loaded.streak.student_id == student.student_id
    session = (await db.execute(select(Session).options(selectinload(Session.student)))).scalars().first()
    assert session is not None and session.student.name == "Rahim"


async def test_lazy_loading_is_refused(db: DarsSession) -> None:
    # Async code must never lazy-load by accident: an unloaded relationship raises at once.
    student = await make_student(db)
    db.expunge_all()
    fresh = await db.get(Student, student.student_id)
    with pytest.raises(Exception, match="lazy"):
        _ = fresh.sessions
