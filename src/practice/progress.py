"""A student's progress: mastery and problems solved per topic, tomorrow's plan, completed sessions per
local week.

A topic counts *problems*, not tries: a problem solved at the second try is one problem, solved; a skipped
one is one problem, met and not solved. Answers given are kept beside (`attempts`) for those who want them.
`class_mastery` is the teacher's view: every student's mastery per topic, for a class.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from src.config import get_settings
from src.driver import driver
from src.models import Problem, Response, SessionStatus, Student
from src.models import Session as PracticeSession
from src.practice import learning
from src.practice.mastery import SkillMastery
from src.practice.selection import Candidate
from src.practice.service import CHOICE_INPUTS, HISTORY_WINDOW, get_student
from src.practice.skills import skill_of, syllabus_key
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
class TopicMastery:
    """A topic (skill) of the student's grade as the student reads it: ⭐ levels."""

    topic: str
    stars: int  # 0 not started, 1 learning, 2 nearly there, 3 mastered
    p_known: float | None  # the estimate now; None before the first answer
    attempts: int  # first answers the estimate was traced from


@dataclass(frozen=True)
class WeekCount:
    week_start: date  # the Monday the local week begins on
    sessions_completed: int


@dataclass(frozen=True)
class Progress:
    student_id: int
    topics: list[TopicProgress]
    weeks: list[WeekCount]  # oldest first, the current week last
    mastery: list[TopicMastery]  # the grade's topics in syllabus order
    tomorrow: list[str]  # the topics tomorrow's session is planned to practise, as things stand

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
    """Mastery and problems met and solved per topic, tomorrow's plan, and sessions completed in the last
    8 weeks."""
    student = await get_student(db, student_id)  # StudentNotFound for an unknown id
    mastery, tomorrow = await _mastery(db, student_id, student.grade, now)
    return Progress(
        student_id, await _topics(db, student_id), await _weeks(db, student_id, now), mastery, tomorrow
    )


async def _mastery(
    db: AsyncSession, student_id: int, grade: int, now: datetime
) -> tuple[list[TopicMastery], list[str]]:
    """The grade's topics with their mastery now, and tomorrow's planned topics: from the same rows, and the
    same code, as a session start (src/practice/learning.py)."""
    inputs = await (await driver(db)).fetchrow(CHOICE_INPUTS, grade, student_id, now - HISTORY_WINDOW)
    assert inputs is not None  # a SELECT without FROM returns one row
    zone = get_settings().timezone
    estimates, _ = learning.mastery_of(inputs, now, zone)
    skills = sorted({skill_of(Candidate(*row)) for row in inputs["candidates"]}, key=syllabus_key)
    return [_topic_mastery(skill, estimates.get(skill)) for skill in skills], learning.tomorrow(
        inputs, now, zone
    )


def _topic_mastery(skill: str, estimate: SkillMastery | None) -> TopicMastery:
    if estimate is None:
        return TopicMastery(skill, 0, None, 0)
    return TopicMastery(skill, estimate.stars, round(estimate.p_known, 4), estimate.attempts)


async def class_mastery(
    db: AsyncSession, student_ids: list[int], now: datetime
) -> dict[int, list[TopicMastery]]:
    """The teacher's view: each student's mastery per topic of their grade (syllabus order), by student id.
    Unknown ids are left out. One statement per student (a class of 40 reads 40 small rows)."""
    result: dict[int, list[TopicMastery]] = {}
    for student_id in student_ids:
        student = await db.get(Student, student_id)
        if student is not None:
            result[student_id] = (await _mastery(db, student_id, student.grade, now))[0]
    return result


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


__all__ = ["Progress", "TopicMastery", "TopicProgress", "WeekCount", "class_mastery", "progress"]
