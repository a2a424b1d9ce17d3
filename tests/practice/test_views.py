"""Session views read problems from a per-process cache: reused while unchanged, read again once changed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from src.database import DarsSession, get_session
from src.practice import service
from tests.factories import make_problem, make_session, make_student

T0 = datetime(2026, 3, 1, 4, 0, tzinfo=UTC)


async def _grade_library(db: DarsSession, count: int = 5) -> list[int]:
    return [(await make_problem(db, grade=6, answer=str(10 + i))).problem_id for i in range(count)]


async def test_unchanged_problems_are_the_same_snapshots(db: DarsSession) -> None:
    await _grade_library(db)
    student = await make_student(db, grade=6)
    first = await service.start_daily_session(db, student.student_id, now=T0)
    again = await service.get_session_view(db, student.student_id, first.session.session_id, lock=True)
    assert [p.problem for p in again.problems] == [p.problem for p in first.problems]
    assert all(a.problem is b.problem for a, b in zip(again.problems, first.problems, strict=True))


async def test_a_problem_changed_in_the_same_transaction_is_read_again(db: DarsSession) -> None:
    await _grade_library(db)
    student = await make_student(db, grade=6)
    view = await service.start_daily_session(db, student.student_id, now=T0)
    current = view.problems[0].problem
    await db.execute(
        text("UPDATE problems SET answer = '77', question_en = 'Changed?' WHERE problem_id = :id"),
        {"id": current.problem_id},
    )
    again = await service.get_session_view(db, student.student_id, view.session.session_id)
    changed = again.problems[0].problem
    assert changed.problem_id == current.problem_id
    assert (changed.answer, changed.question_en) == ("77", "Changed?")
    outcome = await service.submit_answer(db, student.student_id, view.session.session_id, "77", now=T0)
    assert outcome.is_correct  # the answer is checked against the new text too


@pytest.mark.usefixtures("committed")
async def test_a_problem_recreated_under_the_same_id_is_not_served_stale() -> None:
    async with get_session() as db:
        ids = await _grade_library(db)
        student = await make_student(db, grade=6)
        view = await service.start_daily_session(db, student.student_id, now=T0)
        assert {p.problem.answer for p in view.problems} == {"10", "11", "12", "13", "14"}
    async with get_session() as db:  # the same ids, other content, in another transaction
        await db.execute(text("DELETE FROM sessions"))
        await db.execute(text("DELETE FROM problems"))
        for problem_id in ids:
            await make_problem(db, problem_id=problem_id, grade=6, answer="5", question_en="New?")
        session = await make_session(db, student, problem_ids=ids)
    async with get_session() as db:
        again = await service.get_session_view(db, student.student_id, session.session_id)
    assert {(p.problem.answer, p.problem.question_en) for p in again.problems} == {("5", "New?")}


@pytest.mark.usefixtures("committed")
async def test_a_problem_changed_by_another_transaction_is_read_again() -> None:
    async with get_session() as db:
        problem_id = (await make_problem(db, grade=6, answer="1", question_en="Old?")).problem_id
        for _ in range(4):
            await make_problem(db, grade=6)
        student = await make_student(db, grade=6)
        view = await service.start_daily_session(db, student.student_id, now=T0)
        session_id = view.session.session_id
        assert any(p.problem.question_en == "Old?" for p in view.problems)
    async with get_session() as db:
        await db.execute(
            text("UPDATE problems SET question_en = 'New?', answer = '2' WHERE problem_id = :id"),
            {"id": problem_id},
        )
    async with get_session() as db:
        again = await service.get_session_view(db, student.student_id, session_id)
    texts = {p.problem.problem_id: (p.problem.question_en, p.problem.answer) for p in again.problems}
    assert texts[problem_id] == ("New?", "2")
