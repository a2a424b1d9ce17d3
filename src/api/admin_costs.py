"""GET /admin/costs?month=YYYY-MM: the monthly AI cost report, for operators (Bearer <ADMIN_TOKEN>)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from src.api.dependencies import Db, require_admin
from src.api.errors import error_responses
from src.costs.report import MONTH_PATTERN, CostReport, monthly_report

router = APIRouter(
    prefix="/admin",
    tags=["admin"],
    dependencies=[Depends(require_admin)],
    responses=error_responses(401, 403, 500, 503),
)

Month = Annotated[
    str,
    Query(
        pattern=MONTH_PATTERN.pattern,
        description="The month, YYYY-MM, in DARS_TIMEZONE.",
        examples=["2026-11"],
    ),
]


class CostReportOut(BaseModel):
    """What AI calls cost per student in a month, against the per-student target."""

    month: str = Field(examples=["2026-11"])
    target_usd: float = Field(description="DARS_MONTHLY_BUDGET_USD: the most one student may cost a month.")
    within_target: bool = Field(description="Mean per student within the target and nobody over it.")
    students: int = Field(
        description="Students registered before the month ended or with a cost in it (all are paid for)."
    )
    active_students: int = Field(description="Students who practised at least once in the month.")
    calls: int = Field(description="Paid API calls recorded in the month.")
    total_usd: float
    mean_usd: float
    median_usd: float
    p95_usd: float
    max_usd: float
    over_budget: int = Field(description="Students whose month cost more than the target.")
    by_operation: dict[str, float] = Field(description="hint_generation / answer_evaluation totals.")
    by_provider: dict[str, float]

    @classmethod
    def of(cls, report: CostReport) -> CostReportOut:
        return cls(
            month=report.month,
            target_usd=report.target_usd,
            within_target=report.within_target,
            students=report.students,
            active_students=report.active_students,
            calls=report.calls,
            total_usd=report.total_usd,
            mean_usd=report.mean_usd,
            median_usd=report.median_usd,
            p95_usd=report.p95_usd,
            max_usd=report.max_usd,
            over_budget=report.over_budget,
            by_operation=report.by_operation,
            by_provider=report.by_provider,
        )


@router.get(
    "/costs",
    summary="AI costs per student for a month, against the target",
    description="The same report as `dars costs report --month YYYY-MM`.",
    responses=error_responses(422),
)
async def get_costs(month: Month, db: Db) -> CostReportOut:
    return CostReportOut.of(await monthly_report(db, month))
