"""Mastery through the database: a start plans by it, progress shows it, `dars learning fit` fits it."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from src.config import get_settings
from src.database import DarsSession
from src.models import Problem, Response, SessionStatus, SkillParameters, Student
from src.practice import service
from src.practice.learning import fit_parameters, format_fits
from src.practice.progress import class_mastery, progress
from tests.factories import make_problem, make_session, make_student

NOW = datetime(2026, 5, 4, 5, 0, tzinfo=UTC)  # Monday 11:00 in Dhaka
TOPICS = ["Rational Numbers", "Ratio & Proportion", "Linear Equations", "Sets", "Triangles"]


async def grade_seven(db: DarsSession) -> dict[str, list[Problem]]:
    return {
        topic: [await make_problem(db, topic=topic, difficulty=1 + n % 3) for n in range(6)]
        for topic in TOPICS
    }


async def answer(db: DarsSession, student: Student, problem: Problem, at: datetime, *results: bool) -> None:
    """One problem of a (completed) session of `at`: its answers in order, a minute apart."""
    session = await make_session(
        db,
        student,
        date=at,
        expires_at=at + timedelta(minutes=30),
        problem_ids=[problem.problem_id],
        status=SessionStatus.COMPLETED,
        completed_at=at + timedelta(minutes=5),
    )
    for n, correct in enumerate(results):
        db.add(
            Response(
                session_id=session.session_id,
                problem_id=problem.problem_id,
                student_answer="1" if correct else "0",
                is_correct=correct,
                evaluated_at=at + timedelta(minutes=n),
            )
        )
    await db.flush()


async def test_a_start_leaves_a_mastered_topic_and_a_problem_failed_days_ago(db: DarsSession) -> None:
    library = await grade_seven(db)
    student = await make_student(db, grade=7)
    rational = library["Rational Numbers"]
    for day, problem in enumerate(rational[:3]):  # three right first answers: mastered
        await answer(db, student, problem, NOW - timedelta(days=3 - day, hours=1), True)
    failed = library["Sets"][0]
    await answer(db, student, failed, NOW - timedelta(days=2), False, False, False)
    view = await service.start_daily_session(db, student.student_id, now=NOW)
    chosen = {p.problem.problem_id: p.problem.topic for p in view.problems}
    assert len(chosen) == 5
    assert "Rational Numbers" not in chosen.values()  # mastered yesterday: not due for review
    assert failed.problem_id not in chosen  # failed two days ago: not again yet
    assert set(chosen.values()) == set(TOPICS) - {"Rational Numbers"}  # one problem each


async def test_progress_shows_stars_per_topic_and_tomorrows_plan(db: DarsSession) -> None:
    library = await grade_seven(db)
    student = await make_student(db, grade=7)
    for day, problem in enumerate(library["Rational Numbers"][:3]):
        await answer(db, student, problem, NOW - timedelta(days=3 - day), True)
    await answer(db, student, library["Sets"][0], NOW - timedelta(days=1), False, True)
    await answer(db, student, library["Triangles"][0], NOW - timedelta(days=1), True)
    report = await progress(db, student.student_id, NOW)
    stars = {m.topic: m.stars for m in report.mastery}
    assert [m.topic for m in report.mastery] == [
        "Rational Numbers",
        "Ratio & Proportion",
        "Linear Equations",
        "Sets",
        "Triangles",
    ]  # the syllabus's order
    assert stars == {
        "Rational Numbers": 3,
        "Ratio & Proportion": 0,
        "Linear Equations": 0,
        "Sets": 1,
        "Triangles": 2,
    }
    # Tomorrow: the two unseen topics first, then the one being learnt, then the nearly mastered.
    assert report.tomorrow == ["Ratio & Proportion", "Linear Equations", "Sets", "Triangles"]
    other = await make_student(db, grade=7)
    view = await class_mastery(db, [student.student_id, other.student_id, 999_999], NOW)
    assert set(view) == {student.student_id, other.student_id}
    assert view[student.student_id] == report.mastery
    assert {m.stars for m in view[other.student_id]} == {0}


async def test_fit_stores_parameters_per_skill_with_enough_data(db: DarsSession) -> None:
    library = await grade_seven(db)
    rng = random.Random(3)
    for n in range(25):  # 25 students x 10 first answers of Sets; Triangles too few to fit
        student = await make_student(db, grade=7)
        known = rng.random() < 0.3
        for day in range(10):
            correct = rng.random() < (0.9 if known else 0.2)
            await answer(db, student, library["Sets"][day % 6], NOW - timedelta(days=20 - day), correct)
            known = known or rng.random() < 0.2
        if n < 3:
            await answer(db, student, library["Triangles"][0], NOW - timedelta(days=5), True)
    fits = await fit_parameters(db, NOW, get_settings().timezone)
    assert fits["Sets"].fitted and (fits["Sets"].answers, fits["Sets"].students) == (250, 25)
    assert not fits["Triangles"].fitted
    rows = (await db.execute(select(SkillParameters))).scalars().all()
    assert [row.skill for row in rows] == ["Sets"]
    assert 0 < rows[0].p_guess < 0.5 and rows[0].fitted_at == NOW
    assert "Triangles: defaults kept (3 first answers of 3 students" in format_fits(fits)
    # A second fit updates the row in place.
    await fit_parameters(db, NOW + timedelta(days=1), get_settings().timezone)
    assert (await db.execute(select(SkillParameters.fitted_at))).scalars().all() == [NOW + timedelta(days=1)]


async def test_skill_parameters_refuse_impossible_probabilities(db: DarsSession) -> None:
    with pytest.raises(IntegrityError):
        await db.execute(
            text("INSERT INTO skill_parameters VALUES ('Sets', 0.3, 0.1, 0.7, 0.1, 0.02, 10, 2, now())")
        )
