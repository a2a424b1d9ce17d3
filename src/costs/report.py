"""The monthly cost report: per-student cost against the target, for the CLI and the admin API."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from src.config import get_settings
from src.errors import InvalidInput
from src.models import CostRecord, Student
from src.models import Session as PracticeSession

MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class BadMonth(InvalidInput, ValueError):
    """Not a YYYY-MM month we can report on (the API answers 422, the CLI exits 2)."""


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """[start, end) of a YYYY-MM month in the configured local zone."""
    match = MONTH_PATTERN.match(month)
    if match is None:
        raise BadMonth(f"month must look like 2026-11, got {month!r}")
    year, number = int(match.group(1)), int(match.group(2))
    if not 1970 <= year <= 9998:  # Python's datetime ends at 9999, and the zone's offset needs room
        raise BadMonth(f"month must be between 1970-01 and 9998-12, got {month!r}")
    zone = get_settings().timezone
    start = datetime(year, number, 1, tzinfo=zone)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=zone)
    return start, end


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class CostReport:
    month: str
    target_usd: float
    students: (
        int  # registered before the month ended, or with a cost in it: every one is a student we pay for
    )
    active_students: int  # practised at least once in the month
    total_usd: float
    mean_usd: float
    median_usd: float
    p95_usd: float
    max_usd: float
    over_budget: int
    by_operation: dict[str, float] = field(default_factory=dict)
    by_provider: dict[str, float] = field(default_factory=dict)
    calls: int = 0

    @property
    def within_target(self) -> bool:
        return self.mean_usd <= self.target_usd and self.over_budget == 0


async def monthly_report(db: AsyncSession, month: str) -> CostReport:
    """The month's figures, all from one query: per student × operation × provider.

    A student counts if registered before the month ended or if any cost was recorded for them in the
    month (whatever their `created_at`), so the total, the per-student figures and the by-operation and
    by-provider rows are sums over the same rows and always agree.
    """
    start, end = month_bounds(month)
    in_month = and_(
        CostRecord.student_id == Student.student_id,
        CostRecord.recorded_at >= start,
        CostRecord.recorded_at < end,
    )
    rows = (
        await db.execute(
            select(
                Student.student_id,
                CostRecord.operation,
                CostRecord.api_provider,
                func.coalesce(func.sum(CostRecord.cost_usd), 0.0),
                func.count(CostRecord.cost_id),
            )
            .outerjoin(CostRecord, in_month)
            .where(or_(Student.created_at < end, CostRecord.cost_id.is_not(None)))
            .group_by(Student.student_id, CostRecord.operation, CostRecord.api_provider)
        )
    ).all()
    per_student: dict[int, float] = {}
    by_operation: dict[str, float] = {}
    by_provider: dict[str, float] = {}
    calls = 0
    for student_id, operation, provider, cost, count in rows:
        per_student[student_id] = per_student.get(student_id, 0.0) + float(cost)
        if operation is not None:
            by_operation[operation.value] = by_operation.get(operation.value, 0.0) + float(cost)
            by_provider[provider.value] = by_provider.get(provider.value, 0.0) + float(cost)
        calls += int(count)
    costs = list(per_student.values())
    active = (
        await db.execute(
            select(func.count(func.distinct(PracticeSession.student_id))).where(
                PracticeSession.date >= start, PracticeSession.date < end
            )
        )
    ).scalar_one()
    budget = get_settings().dars_monthly_budget_usd
    total = sum(costs)
    return CostReport(
        month=month,
        target_usd=budget,
        students=len(costs),
        active_students=int(active),
        total_usd=total,
        mean_usd=total / len(costs) if costs else 0.0,
        median_usd=percentile(costs, 0.5),
        p95_usd=percentile(costs, 0.95),
        max_usd=max(costs, default=0.0),
        over_budget=sum(cost > budget for cost in costs),
        by_operation=by_operation,
        by_provider=by_provider,
        calls=calls,
    )


def format_report(report: CostReport) -> str:
    verdict = "WITHIN TARGET" if report.within_target else "OVER TARGET"
    lines = [
        f"Dars costs for {report.month}: {verdict} (target ${report.target_usd:.4f} per student per month)",
        f"  students: {report.students} registered, {report.active_students} active; "
        f"{report.calls} paid calls",
        f"  total ${report.total_usd:.4f}; per student mean ${report.mean_usd:.4f}, "
        f"median ${report.median_usd:.4f}, p95 ${report.p95_usd:.4f}, max ${report.max_usd:.4f}",
        f"  students over budget: {report.over_budget}",
    ]
    for title, totals in (("operation", report.by_operation), ("provider", report.by_provider)):
        for name, value in sorted(totals.items()):
            lines.append(f"  by {title}: {name} ${value:.4f}")
    return "\n".join(lines)
