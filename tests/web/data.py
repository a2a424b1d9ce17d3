"""A small, fixed school for the web pages' tests: students, a month of practice and its AI costs.

Every time is fixed (April 2026, around tests.factories.START), so no page depends on today's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from src.models import (
    ApiProvider,
    CostOperation,
    CostRecord,
    HintView,
    Response,
    Session,
    SessionStatus,
    Streak,
    Student,
)
from tests.factories import START, make_problem

MONTH = "2026-04"
REGISTERED = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
# (name, grade, days practised in April ending on the 30th, cost per day in USD)
STUDENTS: list[tuple[str, int, int, float]] = [
    ("Rahim", 7, 20, 0.0031),
    ("Karim", 7, 12, 0.0042),
    ("Mitu", 6, 25, 0.0035),  # 0.0875: near the $0.10 budget
    ("Nila", 8, 8, 0.0011),
    ("Sadia", 7, 3, 0.0),
    ("Tanvir", 6, 0, 0.0),  # registered, never practised
    ("Arif", 8, 27, 0.0040),  # 0.108: over the budget
]


@dataclass(frozen=True)
class School:
    students: dict[str, int]
    problems: list[int]


async def make_school(db: AsyncSession) -> School:
    problems = [
        (
            await make_problem(
                db,
                grade=grade,
                topic=topic,
                question_en=f"{topic} question {n}",
                question_bn=f"{topic} প্রশ্ন {n}",
                answer=str(10 + n),
            )
        ).problem_id
        for n, (grade, topic) in enumerate(
            [(7, "Profit & Loss"), (7, "Ratio"), (6, "Fractions"), (6, "Decimals"), (8, "Sets")]
        )
    ]
    ids: dict[str, int] = {}
    for index, (name, grade, days, cost) in enumerate(STUDENTS):
        student = Student(telegram_id=7_000_000 + index, name=name, grade=grade, created_at=REGISTERED)
        db.add(student)
        await db.flush()
        ids[name] = student.student_id
        last: date | None = None
        for day in range(days):
            began = datetime(2026, 4, 30, 12, 0, tzinfo=UTC) - timedelta(days=day)
            session = Session(
                student_id=student.student_id,
                date=began,
                status=SessionStatus.COMPLETED,
                problem_ids=problems,
                completed_at=began + timedelta(minutes=9),
                expires_at=began + timedelta(minutes=30),
                total_time_seconds=540,
                problems_correct=3,
                created_at=began,
            )
            db.add(session)
            await db.flush()
            for position, problem_id in enumerate(problems):
                hints = (position + index) % 4
                skipped = position == 4 and index % 2 == 0
                wrong_first = position in (1, 3)
                if wrong_first and not skipped:
                    db.add(_response(session, problem_id, "99", False, hints, began))
                db.add(
                    _response(
                        session,
                        problem_id,
                        "" if skipped else str(10 + position),
                        not skipped and position != 3,
                        hints,
                        began,
                    )
                )
                for hint_number in range(1, hints + 1):
                    db.add(
                        HintView(
                            session_id=session.session_id,
                            problem_id=problem_id,
                            hint_number=hint_number,
                            is_ai_generated=hint_number == 3,
                            text_en=f"Hint {hint_number}",
                            text_bn=f"ইঙ্গিত {hint_number}",
                            created_at=began,
                        )
                    )
            if cost:
                db.add(
                    CostRecord(
                        student_id=student.student_id,
                        session_id=session.session_id,
                        operation=CostOperation.HINT_GENERATION
                        if day % 3
                        else CostOperation.ANSWER_EVALUATION,
                        api_provider=ApiProvider.CLAUDE,
                        input_tokens=600,
                        output_tokens=80,
                        cost_usd=cost,
                        recorded_at=began + timedelta(minutes=5),
                    )
                )
            last = date(2026, 4, 30)
        if days:
            db.add(
                Streak(
                    student_id=student.student_id,
                    current_streak=days,
                    longest_streak=days,
                    last_practice_date=last,
                    milestones_achieved=[m for m in (7, 14) if m <= days],
                )
            )
    await db.flush()
    return School(ids, problems)


def _response(
    session: Session, problem_id: int, answer: str, correct: bool, hints: int, at: datetime
) -> Response:
    return Response(
        session_id=session.session_id,
        problem_id=problem_id,
        student_answer=answer,
        is_correct=correct,
        time_spent_seconds=60,
        hints_used=hints,
        hints_viewed=[{"hint_number": n, "is_ai_generated": n == 3} for n in range(1, hints + 1)],
        evaluated_at=at,
    )


# The pages' clock: 1 May 2026, 10:00 in Dhaka (tests.factories.START); April is "last month".
NOW = START
