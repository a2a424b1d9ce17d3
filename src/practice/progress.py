"""A student's progress: problems met and solved per topic, and completed sessions per local week.

A topic counts *problems*, not tries: a problem solved at the second try is one problem, solved; a skipped
one is one problem, met and not solved. Answers given are kept beside (`attempts`) for those who want them.
"""

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
class TopicProgress:
    topic: str
    problems: int  # problems met in sessions: solved, not solved, or skipped (each time it came)
    solved: int
    skipped: int
    attempts: int  # answers given (skips are not answers)

    @property
    def solved_share(self) -> float | None:
        """solved / problems, 0..1; None before the first problem."""
        return round(self.solved / self.problems, 4) if self.problems else None


@dataclass(frozen=True)
class WeekCount:
    week_start: date  # the Monday the local week begins on
    sessions_completed: int


@dataclass(frozen=True)
class Progress:
    student_id: int
    topics: list[TopicProgress]
    weeks: list[WeekCount]  # oldest first, the current week last

    @property
    def problems(self) -> int:
        return sum(t.problems for t in self.topics)

    @property
    def solved(self) -> int:
        return sum(t.solved for t in self.topics)

    @property
    def attempts(self) -> int:
        return sum(t.attempts for t in self.topics)


async def progress(db: AsyncSession, student_id: int, now: datetime) -> Progress:
    """Problems met and solved per topic over all the student's sessions, and sessions completed in the last
    8 weeks."""
    await get_student(db, student_id)  # StudentNotFound for an unknown id
    return Progress(student_id, await _topics(db, student_id), await _weeks(db, student_id, now))


async def _topics(db: AsyncSession, student_id: int) -> list[TopicProgress]:
    skipped = Response.student_answer == SKIPPED
    # One row per problem met (a session's problem with any response), then counted per topic.
    met = (
        select(
            Problem.topic.label("topic"),
            func.bool_or(Response.is_correct).label("solved"),
            func.bool_or(skipped).label("skipped"),
            func.count().filter(~skipped).label("answers"),
        )
        .select_from(Response)
        .join(PracticeSession, PracticeSession.session_id == Response.session_id)
        .join(Problem, Problem.problem_id == Response.problem_id)
        .where(PracticeSession.student_id == student_id)
        .group_by(Problem.topic, Response.session_id, Response.problem_id)
        .subquery()
    )
    rows = (
        await db.execute(
            select(
                met.c.topic,
                func.count(),
                func.count().filter(met.c.solved),
                func.count().filter(met.c.skipped),
                func.coalesce(func.sum(met.c.answers), 0),
            )
            .group_by(met.c.topic)
            .order_by(met.c.topic)
        )
    ).all()
    return [
        TopicProgress(topic, problems, solved, skips, int(answers))
        for topic, problems, solved, skips, answers in rows
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


__all__ = ["Progress", "TopicProgress", "WeekCount", "progress"]
