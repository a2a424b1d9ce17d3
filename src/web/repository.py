"""Every query of the operators' pages. The costs page's report numbers come from src.costs.report itself
(`monthly_report`); what is queried here is only what the report does not hold."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Date, Integer, Subquery, and_, case, cast, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from src.config import get_settings
from src.costs.report import CostReport, month_bounds, monthly_report
from src.models import (
    BudgetRefusal,
    CostOperation,
    CostRecord,
    HintView,
    JobRun,
    Problem,
    Response,
    SessionStatus,
    Streak,
    Student,
)
from src.models import Session as PracticeSession
from src.models.streak import MILESTONES
from src.practice.views import SKIPPED
from src.streaks.days import local_day, local_day_start

OVERVIEW_DAYS = 30
STREAK_BUCKETS: tuple[tuple[int, int | None], ...] = (
    (0, 0),
    (1, 1),
    (2, 3),
    (4, 6),
    (7, 13),
    (14, 29),
    (30, None),
)
NEAR_BUDGET = 0.8  # a student at 80% of the budget or more is "near" it
TODO_MIN_SEEN = 5  # a problem needs this many showings before its rates mean much
TODO_ROWS = 10


def _local_date(column: ColumnElement[datetime] | InstrumentedAttribute[datetime]) -> ColumnElement[date]:
    """The local calendar day of a timestamptz column, in SQL."""
    return cast(func.timezone(get_settings().dars_timezone, column), Date)


@dataclass(frozen=True)
class Overview:
    registered: int
    active_today: int
    active_7: int
    active_30: int
    days: list[date]
    completed_per_day: list[int]
    streak_buckets: list[tuple[int, int | None, int]]  # (from, to or open, students)
    milestones: list[tuple[int, int]]  # (days, students who reached it)


async def _active_since(db: AsyncSession, since: datetime) -> int:
    found = await db.execute(
        select(func.count(func.distinct(PracticeSession.student_id))).where(PracticeSession.date >= since)
    )
    return int(found.scalar_one())


async def overview(db: AsyncSession, now: datetime) -> Overview:
    """Registrations, activity, sessions per day over the last 30 local days, streaks and milestones."""
    zone = get_settings().timezone
    today = local_day(now, zone)
    registered = int((await db.execute(select(func.count()).select_from(Student))).scalar_one())
    active = [
        await _active_since(db, local_day_start(today - timedelta(days=n - 1), zone)) for n in (1, 7, 30)
    ]

    first = today - timedelta(days=OVERVIEW_DAYS - 1)
    day = _local_date(PracticeSession.date)
    per_day = dict(
        (
            await db.execute(
                select(day, func.count())
                .where(
                    PracticeSession.status == SessionStatus.COMPLETED,
                    PracticeSession.date >= local_day_start(first, zone),
                    PracticeSession.date < local_day_start(today + timedelta(days=1), zone),
                )
                .group_by(day)
            )
        ).all()
    )
    days = [first + timedelta(days=n) for n in range(OVERVIEW_DAYS)]

    # A streak whose last practice is older than yesterday reads 0, as the bot shows it.
    shown = case(
        (Streak.last_practice_date >= today - timedelta(days=1), Streak.current_streak), else_=0
    ).label("shown")
    streak_counts = Counter(
        {
            int(value): int(count)
            for value, count in (
                await db.execute(
                    select(shown, func.count()).select_from(Student).outerjoin(Streak).group_by(shown)
                )
            ).all()
        }
    )
    buckets = []
    for low, high in STREAK_BUCKETS:
        students = sum(c for v, c in streak_counts.items() if v >= low and (high is None or v <= high))
        buckets.append((low, high, students))

    elements = func.jsonb_array_elements_text(Streak.milestones_achieved).table_valued("value")
    reached = dict(
        (
            await db.execute(
                select(cast(elements.c.value, Integer), func.count())
                .select_from(Streak)
                .join(elements, true())
                .group_by(cast(elements.c.value, Integer))
            )
        ).all()
    )
    return Overview(
        registered=registered,
        active_today=active[0],
        active_7=active[1],
        active_30=active[2],
        days=days,
        completed_per_day=[int(per_day.get(d, 0)) for d in days],
        streak_buckets=buckets,
        milestones=[(m, int(reached.get(m, 0))) for m in MILESTONES],
    )


@dataclass(frozen=True)
class CostsPage:
    report: CostReport  # every figure the CLI prints, from the CLI's own function
    spender_costs: list[float]  # students with any cost this month (the rest of report.students cost 0)
    near_budget: int
    days: list[date]
    cost_per_day: list[float]
    sessions_completed: int
    hint_calls: int
    ai_hints_shown: int
    budget_refusals: int

    @property
    def zero_cost_students(self) -> int:
        return max(0, self.report.students - len(self.spender_costs))

    @property
    def cost_per_session(self) -> float | None:
        return self.report.total_usd / self.sessions_completed if self.sessions_completed else None

    @property
    def ai_hints_reused_at_least(self) -> int:
        # Each paid hint call can have given at most one of the AI hints shown; the rest came from the store.
        return max(0, self.ai_hints_shown - self.hint_calls)


async def costs_page(db: AsyncSession, month: str) -> CostsPage:
    """The month's cost report (src.costs.report) and what the page adds to it."""
    report = await monthly_report(db, month)
    start, end = month_bounds(month)
    in_month = and_(CostRecord.recorded_at >= start, CostRecord.recorded_at < end)
    spenders = [
        float(total)
        for (total,) in (
            await db.execute(
                select(func.sum(CostRecord.cost_usd))
                .where(in_month)
                .group_by(CostRecord.student_id)
                .having(func.sum(CostRecord.cost_usd) > 0)
            )
        ).all()
    ]
    budget = report.target_usd
    near = sum(NEAR_BUDGET * budget <= cost <= budget for cost in spenders) if budget > 0 else 0
    day = _local_date(CostRecord.recorded_at)
    per_day = dict(
        (await db.execute(select(day, func.sum(CostRecord.cost_usd)).where(in_month).group_by(day))).all()
    )
    first = start.date()
    days = [first + timedelta(days=n) for n in range((end.date() - first).days)]
    completed = await db.execute(
        select(func.count()).where(
            PracticeSession.status == SessionStatus.COMPLETED,
            PracticeSession.date >= start,
            PracticeSession.date < end,
        )
    )
    hint_calls = await db.execute(
        select(func.count()).where(in_month, CostRecord.operation == CostOperation.HINT_GENERATION)
    )
    shown = await db.execute(
        select(func.count()).where(
            HintView.is_ai_generated, HintView.created_at >= start, HintView.created_at < end
        )
    )
    refused = await db.execute(
        select(func.count()).where(BudgetRefusal.refused_at >= start, BudgetRefusal.refused_at < end)
    )
    return CostsPage(
        report=report,
        spender_costs=sorted(spenders),
        near_budget=int(near),
        days=days,
        cost_per_day=[float(per_day.get(d, 0.0)) for d in days],
        sessions_completed=int(completed.scalar_one()),
        hint_calls=int(hint_calls.scalar_one()),
        ai_hints_shown=int(shown.scalar_one()),
        budget_refusals=int(refused.scalar_one()),
    )


@dataclass(frozen=True)
class ProblemRates:
    problem_id: int
    grade: int
    topic: str
    seen: int
    wrong_rate: float | None
    skip_rate: float
    hint_rate: float


@dataclass(frozen=True)
class Learning:
    grades: list[int]
    topics: list[str]
    accuracy: dict[tuple[int, str], tuple[int, int]]  # (grade, topic) -> (correct, answers)
    hints_mean: float | None
    hints_spread: list[tuple[int, int]]  # (hints used on the problem, problems seen)
    most_wrong: list[ProblemRates]
    most_skipped: list[ProblemRates]
    most_hinted: list[ProblemRates]
    wrong_answers: list[tuple[int, str, str, int]]  # (problem id, answer given, correct answer, times)


def _attempts() -> Subquery:
    """One row per problem shown in a session that got any response: what happened to it."""
    skipped = Response.student_answer == SKIPPED
    return (
        select(
            Response.session_id,
            Response.problem_id,
            func.bool_or(skipped).label("skipped"),
            func.max(Response.hints_used).label("hints"),
            func.count().filter(~skipped, ~Response.is_correct).label("wrong"),
            func.count().filter(~skipped).label("answers"),
        )
        .group_by(Response.session_id, Response.problem_id)
        .subquery("attempts")
    )


async def learning(db: AsyncSession) -> Learning:
    skipped = Response.student_answer == SKIPPED
    rows = (
        await db.execute(
            select(Problem.grade, Problem.topic, func.count().filter(Response.is_correct), func.count())
            .select_from(Response)
            .join(Problem, Problem.problem_id == Response.problem_id)
            .where(~skipped)
            .group_by(Problem.grade, Problem.topic)
        )
    ).all()
    accuracy = {(int(g), str(t)): (int(c), int(n)) for g, t, c, n in rows}
    grades = sorted({g for g, _ in accuracy})
    topics = sorted({t for _, t in accuracy})

    attempts = _attempts()
    spread: dict[int, int] = {
        int(h): int(n)
        for h, n in (
            await db.execute(select(attempts.c.hints, func.count()).group_by(attempts.c.hints))
        ).all()
    }
    seen_total = sum(spread.values())
    hints_mean = sum(h * n for h, n in spread.items()) / seen_total if seen_total else None

    per_problem = (
        await db.execute(
            select(
                Problem.problem_id,
                Problem.grade,
                Problem.topic,
                func.count(),
                func.sum(attempts.c.wrong),
                func.sum(attempts.c.answers),
                func.count().filter(attempts.c.skipped),
                func.count().filter(attempts.c.hints > 0),
            )
            .select_from(attempts)
            .join(Problem, Problem.problem_id == attempts.c.problem_id)
            .group_by(Problem.problem_id)
            .having(func.count() >= TODO_MIN_SEEN)
        )
    ).all()
    rates = [
        ProblemRates(
            problem_id=int(pid),
            grade=int(grade),
            topic=str(topic),
            seen=int(seen),
            wrong_rate=int(wrong) / int(answers) if answers else None,
            skip_rate=int(skips) / int(seen),
            hint_rate=int(hinted) / int(seen),
        )
        for pid, grade, topic, seen, wrong, answers, skips, hinted in per_problem
    ]

    def top(key: str) -> list[ProblemRates]:
        def rate(r: ProblemRates) -> float:
            value = getattr(r, key)
            return -1.0 if value is None else float(value)

        return sorted((r for r in rates if rate(r) > 0), key=lambda r: (-rate(r), r.problem_id))[:TODO_ROWS]

    wrong = (
        await db.execute(
            select(Response.problem_id, Response.student_answer, Problem.answer, func.count().label("times"))
            .join(Problem, Problem.problem_id == Response.problem_id)
            .where(~skipped, ~Response.is_correct)
            .group_by(Response.problem_id, Response.student_answer, Problem.answer)
            .having(func.count() >= 2)
            .order_by(func.count().desc(), Response.problem_id)
            .limit(TODO_ROWS)
        )
    ).all()
    return Learning(
        grades=grades,
        topics=topics,
        accuracy=accuracy,
        hints_mean=hints_mean,
        hints_spread=[(h, int(spread.get(h, 0))) for h in range(4)],
        most_wrong=top("wrong_rate"),
        most_skipped=top("skip_rate"),
        most_hinted=top("hint_rate"),
        wrong_answers=[(int(p), str(a), str(c), int(n)) for p, a, c, n in wrong],
    )


async def problem(db: AsyncSession, problem_id: int) -> Problem | None:
    return await db.get(Problem, problem_id)


async def job_runs(db: AsyncSession) -> dict[str, JobRun]:
    return {run.job: run for run in (await db.execute(select(JobRun))).scalars()}
