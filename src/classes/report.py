"""What a teacher sees of one class: only its members, each with streak, last practice, this week's
sessions and accuracy by topic, and a summary of the week to read out in class."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from src.config import get_settings
from src.models import ClassMembership, Problem, Response, SchoolClass, SessionStatus, Streak, Student
from src.models import Session as PracticeSession
from src.practice.views import SKIPPED
from src.streaks.days import local_day, local_day_start


@dataclass(frozen=True)
class MemberRow:
    student_id: int
    name: str
    grade: int
    streak: int
    last_practice: date | None
    sessions_this_week: int
    correct_this_week: int
    answers_this_week: int
    topics: list[tuple[str, int, int]]  # (topic, correct, answers), all time

    @property
    def accuracy(self) -> float | None:
        answers = sum(a for _, _, a in self.topics)
        return sum(c for _, c, _ in self.topics) / answers if answers else None


@dataclass(frozen=True)
class WeekSummary:
    week_start: date
    members: int
    practised: int  # members with a completed session this week
    sessions: int
    accuracy: float | None  # this week's answers
    best_streaks: list[tuple[str, int]]  # up to three (name, days), longest first
    strongest_topic: str | None  # this week's topic with the best accuracy (3+ answers)
    weakest_topic: str | None


@dataclass(frozen=True)
class ClassReport:
    school_class: SchoolClass
    members: list[MemberRow]
    week: WeekSummary


async def class_report(db: AsyncSession, school_class: SchoolClass, now: datetime) -> ClassReport:
    """The class's members and their practice; nobody who has not joined (or has left) appears."""
    zone = get_settings().timezone
    today = local_day(now, zone)
    week_start = today - timedelta(days=today.weekday())
    since = local_day_start(week_start, zone)
    members = (
        await db.execute(
            select(
                Student.student_id,
                Student.name,
                Student.grade,
                Streak.current_streak,
                Streak.last_practice_date,
            )
            .join(ClassMembership, ClassMembership.student_id == Student.student_id)
            .outerjoin(Streak, Streak.student_id == Student.student_id)
            .where(ClassMembership.class_id == school_class.class_id)
            .order_by(Student.name, Student.student_id)
        )
    ).all()
    ids = [row[0] for row in members]
    week_sessions: dict[int, int] = {}
    topics: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    week_answers: dict[int, tuple[int, int]] = {}
    week_topics: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    if ids:
        week_sessions = dict(
            (
                await db.execute(
                    select(PracticeSession.student_id, func.count())
                    .where(
                        PracticeSession.student_id.in_(ids),
                        PracticeSession.status == SessionStatus.COMPLETED,
                        PracticeSession.date >= since,
                    )
                    .group_by(PracticeSession.student_id)
                )
            ).all()
        )
        answered = Response.student_answer != SKIPPED
        this_week = PracticeSession.date >= since
        rows = (
            await db.execute(
                select(
                    PracticeSession.student_id,
                    Problem.topic,
                    func.count().filter(Response.is_correct),
                    func.count(),
                    func.count().filter(Response.is_correct, this_week),
                    func.count().filter(this_week),
                )
                .select_from(Response)
                .join(PracticeSession, PracticeSession.session_id == Response.session_id)
                .join(Problem, Problem.problem_id == Response.problem_id)
                .where(PracticeSession.student_id.in_(ids), answered)
                .group_by(PracticeSession.student_id, Problem.topic)
                .order_by(Problem.topic)
            )
        ).all()
        for student_id, topic, correct, answers, week_correct, week_total in rows:
            topics[student_id].append((topic, int(correct), int(answers)))
            c, n = week_answers.get(student_id, (0, 0))
            week_answers[student_id] = (c + int(week_correct), n + int(week_total))
            week_topics[topic][0] += int(week_correct)
            week_topics[topic][1] += int(week_total)
    rows_out = []
    for student_id, name, grade, current, last in members:
        alive = last is not None and (today - last).days <= 1
        correct, total = week_answers.get(student_id, (0, 0))
        rows_out.append(
            MemberRow(
                student_id=student_id,
                name=name,
                grade=grade,
                streak=int(current or 0) if alive else 0,
                last_practice=last,
                sessions_this_week=int(week_sessions.get(student_id, 0)),
                correct_this_week=correct,
                answers_this_week=total,
                topics=topics.get(student_id, []),
            )
        )
    week_correct = sum(r.correct_this_week for r in rows_out)
    week_total = sum(r.answers_this_week for r in rows_out)
    ranked = sorted(
        ((t, c / n) for t, (c, n) in week_topics.items() if n >= 3), key=lambda item: (item[1], item[0])
    )
    streaks = sorted((r for r in rows_out if r.streak > 0), key=lambda r: (-r.streak, r.name))[:3]
    summary = WeekSummary(
        week_start=week_start,
        members=len(rows_out),
        practised=sum(r.sessions_this_week > 0 for r in rows_out),
        sessions=sum(r.sessions_this_week for r in rows_out),
        accuracy=week_correct / week_total if week_total else None,
        best_streaks=[(r.name, r.streak) for r in streaks],
        strongest_topic=ranked[-1][0] if len(ranked) >= 2 else None,
        weakest_topic=ranked[0][0] if len(ranked) >= 2 else None,
    )
    return ClassReport(school_class, rows_out, summary)


__all__ = ["ClassReport", "MemberRow", "WeekSummary", "class_report"]
