"""Every CHECK, UNIQUE and FK of the spec refuses bad rows and accepts the edge values."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError

from src.database import DarsSession
from src.models import CostRecord, Response, Student
from tests.factories import make_problem, make_session, make_streak, make_student


async def _refused(db: DarsSession, make: Callable[[], Awaitable[Any]]) -> None:
    """The database (not Python) refuses the row; the session stays usable afterwards."""
    savepoint = await db.begin_nested()
    with pytest.raises((IntegrityError, DBAPIError, StatementError)):
        await make()
    await savepoint.rollback()


@pytest.mark.parametrize("grade", [6, 7, 8])
async def test_student_grade_edges_accepted(db: DarsSession, grade: int) -> None:
    student = await make_student(db, grade=grade)
    assert student.student_id is not None


@pytest.mark.parametrize("grade", [5, 9, 0, -7])
async def test_student_grade_outside_6_to_8_refused(db: DarsSession, grade: int) -> None:
    await _refused(db, lambda: make_student(db, grade=grade))


async def test_student_language_check(db: DarsSession) -> None:
    assert (await make_student(db, language="en")).language == "en"
    await _refused(db, lambda: make_student(db, language="fr"))


async def test_telegram_id_unique(db: DarsSession) -> None:
    await make_student(db, telegram_id=42)
    await _refused(db, lambda: make_student(db, telegram_id=42))


async def test_telegram_id_is_bigint(db: DarsSession) -> None:
    student = await make_student(db, telegram_id=7_000_000_000_123)
    assert student.telegram_id == 7_000_000_000_123


async def test_required_columns_not_null(db: DarsSession) -> None:
    await _refused(db, lambda: make_student(db, name=None))
    await _refused(db, lambda: make_problem(db, question_bn=None))


@pytest.mark.parametrize("difficulty", [1, 3])
async def test_problem_difficulty_edges(db: DarsSession, difficulty: int) -> None:
    assert (await make_problem(db, difficulty=difficulty)).difficulty == difficulty


@pytest.mark.parametrize("grade", [6, 8])
async def test_problem_grade_edges(db: DarsSession, grade: int) -> None:
    assert (await make_problem(db, grade=grade)).grade == grade


@pytest.mark.parametrize("field,value", [("difficulty", 0), ("difficulty", 4), ("grade", 5), ("grade", 9)])
async def test_problem_checks(db: DarsSession, field: str, value: int) -> None:
    await _refused(db, lambda: make_problem(db, **{field: value}))


async def test_session_problems_correct_range(db: DarsSession) -> None:
    student = await make_student(db)
    for edge in (0, 5):
        made = await make_session(db, student, problems_correct=edge, status="completed")
        assert made.problems_correct == edge
    await _refused(db, lambda: make_session(db, student, problems_correct=6, status="completed"))
    await _refused(db, lambda: make_session(db, student, problems_correct=-1, status="completed"))


async def test_one_session_in_progress_per_student(db: DarsSession) -> None:
    student = await make_student(db)
    await make_session(db, student)
    await _refused(db, lambda: make_session(db, student))
    assert (await make_session(db, student, status="abandoned")).status == "abandoned"


async def test_session_status_enum(db: DarsSession) -> None:
    student = await make_student(db)
    for status in ("in_progress", "completed", "abandoned"):
        assert (await make_session(db, student, status=status)).status == status
    await _refused(db, lambda: make_session(db, student, status="paused"))


async def test_session_student_fk(db: DarsSession) -> None:
    await _refused(db, lambda: make_session(db, student=_Ghost()))


class _Ghost:
    student_id = 987_654


async def _response(db: DarsSession, **fields: Any) -> Response:
    student = await make_student(db)
    session = await make_session(db, student)
    problem = await make_problem(db)
    values: dict[str, Any] = {
        "session_id": session.session_id,
        "problem_id": problem.problem_id,
        "student_answer": "540",
        "is_correct": True,
    }
    response = Response(**(values | fields))
    db.add(response)
    await db.flush()
    return response


async def test_response_hints_used_range(db: DarsSession) -> None:
    assert (await _response(db, hints_used=3)).hints_used == 3
    assert (await _response(db, hints_used=0)).hints_used == 0
    await _refused(db, lambda: _response(db, hints_used=4))
    await _refused(db, lambda: _response(db, hints_used=-1))


async def test_response_confidence_enum(db: DarsSession) -> None:
    for level in ("low", "medium", "high"):
        assert (await _response(db, confidence_level=level)).confidence_level == level
    await _refused(db, lambda: _response(db, confidence_level="certain"))


async def test_response_foreign_keys(db: DarsSession) -> None:
    await _refused(db, lambda: _response(db, problem_id=999_999))
    await _refused(db, lambda: _response(db, session_id=999_999))


async def test_streak_checks(db: DarsSession) -> None:
    student = await make_student(db)
    streak = await make_streak(db, student, current_streak=3, longest_streak=3)
    assert streak.longest_streak == streak.current_streak
    other = await make_student(db)
    await _refused(db, lambda: make_streak(db, other, current_streak=5, longest_streak=4))
    await _refused(db, lambda: make_streak(db, other, current_streak=-1, longest_streak=0))
    await _refused(db, lambda: make_streak(db, other, current_streak=0, longest_streak=-1))


async def test_rows_of_an_unknown_student_refused(db: DarsSession) -> None:
    ghost = Student(student_id=999_999, telegram_id=1, name="Nobody", grade=7)  # never inserted
    await _refused(db, lambda: make_session(db, ghost))
    await _refused(db, lambda: make_streak(db, ghost))
    await _refused(db, lambda: _cost(db, student_id=999_999))


async def test_streak_is_one_per_student(db: DarsSession) -> None:
    student = await make_student(db)
    await make_streak(db, student)
    db.expunge_all()
    await _refused(db, lambda: make_streak(db, student))


async def _cost(db: DarsSession, **fields: Any) -> CostRecord:
    student = await make_student(db)
    values: dict[str, Any] = {
        "student_id": student.student_id,
        "operation": "hint_generation",
        "api_provider": "claude",
        "cost_usd": 0.0001,
    }
    record = CostRecord(**(values | fields))
    db.add(record)
    await db.flush()
    return record


async def test_cost_record_checks(db: DarsSession) -> None:
    assert (await _cost(db, cost_usd=0)).cost_usd == 0
    await _refused(db, lambda: _cost(db, cost_usd=-0.01))
    await _refused(db, lambda: _cost(db, operation="translation"))
    await _refused(db, lambda: _cost(db, api_provider="openai"))
    await _refused(db, lambda: _cost(db, session_id=999_999))
    assert (await _cost(db, session_id=None)).session_id is None
    assert (await _cost(db, operation="answer_evaluation", api_provider="twilio")).api_provider == "twilio"
