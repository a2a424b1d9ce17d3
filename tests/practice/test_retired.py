"""Retired problems on the real database: kept for old answers, never chosen for a new session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from src.content.library import LibraryError, LibraryProblem, read_library
from src.content.loader import load_library
from src.content.retired import Retirement
from src.database import DarsSession
from src.models import Problem, Response, RetiredProblem
from src.practice import service
from tests.factories import make_student

T0 = datetime(2026, 3, 1, 4, 0, tzinfo=UTC)  # 10:00 in Dhaka


@pytest.fixture(scope="module")
def six() -> list[LibraryProblem]:
    """Six grade-7 problems of the real library: one more than a session holds."""
    return [p for p in read_library().problems if p.grade == 7][:6]


def moved_to_grade_8(problem: LibraryProblem, new_id: int) -> LibraryProblem:
    grade8 = problem.file.parent.parent / "grade8" / "sets.yaml"
    return problem.model_copy(update={"id": new_id, "grade": 8, "chapter": "8.7", "file": grade8})


async def test_a_retired_problem_is_kept_for_old_answers_and_never_chosen_again(
    db: DarsSession, six: list[LibraryProblem]
) -> None:
    await load_library(db, six)
    student = await make_student(db, grade=7)
    old = await service.start_daily_session(db, student.student_id, now=T0)
    assert old.current is not None
    retiring = old.current.problem.problem_id
    await service.submit_answer(
        db,
        student.student_id,
        old.session.session_id,
        "1",
        problem_id=retiring,
        now=T0 + timedelta(minutes=1),
    )

    # The problem moves to grade 8 under a new id; its old id is retired.
    kept = [p for p in six if p.id != retiring]
    moved = moved_to_grade_8(next(p for p in six if p.id == retiring), 8990)
    entry = Retirement(id=retiring, replaced_by=8990, reason="moved to grade 8")
    report = await load_library(db, [*kept, moved], [entry])
    assert (report.inserted, report.retired) == (1, 1)
    assert (await load_library(db, [*kept, moved], [entry])).retired == 0  # idempotent
    row = await db.get(RetiredProblem, retiring)
    assert row is not None and row.replaced_by == 8990 and row.retired_at is not None

    # The old row and the answer that points at it are still there, and the old session reads.
    assert (await db.get(Problem, retiring)) is not None
    answers = (await db.scalars(select(Response).where(Response.problem_id == retiring))).all()
    assert len(answers) == 1
    again = await service.get_session_view(db, student.student_id, old.session.session_id)
    assert retiring in [p.problem.problem_id for p in again.problems]
    assert next(p for p in again.problems if p.problem.problem_id == retiring).attempts == 1

    # No new session chooses it: five candidates are left for five places, whatever the seed.
    for day in range(1, 4):
        later = await service.start_daily_session(db, student.student_id, now=T0 + timedelta(days=day))
        assert retiring not in later.session.problem_ids
    for _ in range(6):
        other = await make_student(db, grade=7)
        fresh = await service.start_daily_session(db, other.student_id, now=T0)
        assert sorted(fresh.session.problem_ids) == sorted(p.id for p in kept)


async def test_the_loader_refuses_a_retired_id_in_the_library(
    db: DarsSession, six: list[LibraryProblem]
) -> None:
    with pytest.raises(LibraryError, match="id-retired"):
        await load_library(db, six, [Retirement(id=six[0].id, reason="moved")])


async def test_an_id_retired_before_it_was_ever_loaded_writes_nothing(
    db: DarsSession, six: list[LibraryProblem]
) -> None:
    report = await load_library(db, six[1:], [Retirement(id=six[0].id, reason="never loaded")])
    assert report.retired == 0
    assert (await db.scalars(select(RetiredProblem))).all() == []


async def test_the_database_refuses_a_problem_replaced_by_itself(
    db: DarsSession, six: list[LibraryProblem]
) -> None:
    await load_library(db, six)
    db.add(RetiredProblem(problem_id=six[0].id, replaced_by=six[0].id, reason="x"))
    with pytest.raises(IntegrityError, match="not_replaced_by_itself"):
        await db.flush()
