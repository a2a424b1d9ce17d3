"""A student's progress: accuracy per topic, and completed sessions per local week."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from src.config import get_settings
from src.models import Problem, Response, SessionStatus
from src.models import Session as PracticeSession
from src.practice.service import get_student
from src.practice.views import SKIPPED
from src.streaks.days import local_day, local_day_start

WEEKS = 8


@dataclass(frozen=True)
class TopicAccuracy:
    topic: str
    attempts: int  # answers given (skips are not answers)
    correct: int
    skipped: int
    accuracy: float | None  # correct / attempts; None before the first answer


@dataclass(frozen=True)
class WeekCount:
    week_start: date  # the Monday the local week begins on
    sessions_completed: int


@dataclass(frozen=True)
class Progress:
    student_id: int
    topics: list[TopicAccuracy]
    weeks: list[WeekCount]  # oldest first, the current week last

    @property
    def attempts(self) -> int:
        return sum(t.attempts for t in self.topics)

    @property
    def correct(self) -> int:
        return sum(t.correct for t in self.topics)


async def progress(db: AsyncSession, student_id: int, now: datetime) -> Progress:
    """Accuracy per topic over all the student's answers, and sessions completed in the last 8 weeks."""
    await get_student(db, student_id)  # StudentNotFound for an unknown id
    return Progress(student_id, await _topics(db, student_id), await _weeks(db, student_id, now))


async def _topics(db: AsyncSession, student_id: int) -> list[TopicAccuracy]:
    skipped = Response.student_answer == SKIPPED
    rows = (
        await db.execute(
            select(
                Problem.topic,
                func.count().filter(~skipped),
                func.count().filter(~skipped, Response.is_correct),
                func.count().filter(skipped),
            )
            .select_from(Response)
            .join(PracticeSession, PracticeSession.session_id == Response.session_id)
            .join(Problem, Problem.problem_id == Response.problem_id)
            .where(PracticeSession.student_id == student_id)
            .group_by(Problem.topic)
            .order_by(Problem.topic)
        )
    ).all()
    return [
        TopicAccuracy(topic, attempts, correct, skips, round(correct / attempts, 4) if attempts else None)
        for topic, attempts, correct, skips in rows
    ]


async def _weeks(db: AsyncSession, student_id: int, now: datetime) -> list[WeekCount]:
    zone = get_settings().timezone
    today = local_day(now, zone)
    this_week = today - timedelta(days=today.weekday())
    starts = [this_week - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]
    since = local_day_start(starts[0], zone)
    completed = (
        await db.execute(
            # Counted on the day each began, as streaks count them.
            select(PracticeSession.date).where(
                PracticeSession.student_id == student_id,
                PracticeSession.status == SessionStatus.COMPLETED,
                PracticeSession.date >= since,
                PracticeSession.date <= now,
            )
        )
    ).scalars()
    per_week: Counter[date] = Counter()
    for moment in completed:
        if moment is not None:
            day = local_day(moment, zone)
            per_week[day - timedelta(days=day.weekday())] += 1
    return [WeekCount(start, per_week[start]) for start in starts]


__all__ = ["Progress", "TopicAccuracy", "WeekCount", "progress"]
