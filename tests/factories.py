"""Small async factories: each makes one valid row, overridable field by field, and flushes."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from src.models import Problem, Session, Streak, Student

_telegram_ids = itertools.count(9_000_000_001)


def hint_ladder() -> list[dict[str, Any]]:
    return [
        {"hint_number": n, "text_en": f"Hint {n}", "text_bn": f"ইঙ্গিত {n}", "is_ai_generated": False}
        for n in (1, 2, 3)
    ]


async def make_student(db: AsyncSession, **fields: Any) -> Student:
    values: dict[str, Any] = {"telegram_id": next(_telegram_ids), "name": "Rahim", "grade": 7}
    student = Student(**(values | fields))
    db.add(student)
    await db.flush()
    return student


async def make_problem(db: AsyncSession, **fields: Any) -> Problem:
    values: dict[str, Any] = {
        "grade": 7,
        "topic": "Profit & Loss",
        "question_en": "A bat costs ৳450 and sells at 20% profit. Selling price?",
        "question_bn": "একটি ব্যাট ৪৫০ টাকায় কিনে ২০% লাভে বিক্রি করলে বিক্রয়মূল্য কত?",
        "answer": "৳540",
        "hints": hint_ladder(),
        "difficulty": 2,
    }
    problem = Problem(**(values | fields))
    db.add(problem)
    await db.flush()
    return problem


async def make_session(db: AsyncSession, student: Student, **fields: Any) -> Session:
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "student_id": student.student_id,
        "date": now,
        "problem_ids": [1, 2, 3, 4, 5],
        "expires_at": now + timedelta(minutes=30),
    }
    session = Session(**(values | fields))
    db.add(session)
    await db.flush()
    return session


async def make_streak(db: AsyncSession, student: Student, **fields: Any) -> Streak:
    streak = Streak(student_id=student.student_id, **fields)
    db.add(streak)
    await db.flush()
    return streak


# Grade 7 problems with plain integer answers, one topic each: the small library of the API and bot tests.
GRADE7_PROBLEMS: list[dict[str, Any]] = [
    {"topic": "Profit & Loss", "answer": "540", "difficulty": 1},
    {"topic": "Ratio", "answer": "12", "difficulty": 1},
    {"topic": "Sets", "answer": "7", "difficulty": 2},
    {"topic": "Triangles", "answer": "60", "difficulty": 2},
    {"topic": "Measurement", "answer": "25", "difficulty": 3},
    {"topic": "Factorisation", "answer": "9", "difficulty": 3},
]


# 10:00 in Dhaka on a Friday: far from local midnight ("today" is unambiguous), before the 18:00 reminder.
START = datetime(2026, 5, 1, 4, 0, tzinfo=UTC)


@dataclass
class Clock:
    """The time the API and the bot see in a test; `advance(minutes=31)` moves it."""

    now: datetime = START

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)
