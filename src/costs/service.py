"""Recording costs and holding every student under the monthly budget.

The budget check and the call it guards run under a per-student transaction-level advisory lock, so two
concurrent requests of one student cannot both pass a check that only one of them fits. Other students are
never blocked, and nothing else of the student (sessions, profile) is locked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from src.config import get_settings
from src.costs.pricing import Usage, cost_usd
from src.database import after_rollback, get_session
from src.models import ApiProvider, BudgetRefusal, CostOperation, CostRecord

_BUDGET_LOCK_NAMESPACE = 0x0DA5  # first key of pg_advisory_xact_lock(int, int): "budget" locks


def month_start(moment: datetime) -> datetime:
    """Start of the budget month containing `moment`, in the configured local zone, as an aware datetime."""
    local = moment.astimezone(get_settings().timezone)
    # fold=0: where local midnight happens twice (Havana's clocks go back at 01:00 to 00:00), the month
    # starts at the first one, as month_bounds says; a moment in the repeated hour keeps fold=1 otherwise.
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0, fold=0)


@dataclass(frozen=True)
class BudgetCheck:
    allowed: bool
    spent_usd: float
    budget_usd: float
    estimate_usd: float

    @property
    def remaining_usd(self) -> float:
        return max(0.0, self.budget_usd - self.spent_usd)


async def lock_student_budget(db: AsyncSession, student_id: int) -> None:
    """Serialise budgeted calls of one student until the transaction ends."""
    await db.execute(
        text("SELECT pg_advisory_xact_lock(:namespace, :student_id)"),
        {"namespace": _BUDGET_LOCK_NAMESPACE, "student_id": student_id},
    )


async def spent_this_month(db: AsyncSession, student_id: int, now: datetime) -> float:
    total = (
        await db.execute(
            select(func.coalesce(func.sum(CostRecord.cost_usd), 0.0)).where(
                CostRecord.student_id == student_id, CostRecord.recorded_at >= month_start(now)
            )
        )
    ).scalar_one()
    return float(total)


async def check_budget(
    db: AsyncSession, student_id: int, estimate_usd: float, *, now: datetime | None = None
) -> BudgetCheck:
    """Take the student's budget lock and say whether a call costing up to `estimate_usd` still fits."""
    now = now or datetime.now(UTC)
    await lock_student_budget(db, student_id)
    spent = await spent_this_month(db, student_id, now)
    budget = get_settings().dars_monthly_budget_usd
    return BudgetCheck(spent + estimate_usd <= budget, spent, budget, estimate_usd)


async def record_refusal(
    db: AsyncSession, *, student_id: int, operation: CostOperation, now: datetime | None = None
) -> None:
    """Count a call the budget did not allow (the operators' costs page shows how many)."""
    refusal = BudgetRefusal(student_id=student_id, operation=operation)
    if now is not None:
        refusal.refused_at = now
    db.add(refusal)
    await db.flush()


async def record_usage(
    db: AsyncSession,
    *,
    student_id: int,
    session_id: int | None,
    operation: CostOperation,
    model: str,
    usage: Usage,
    now: datetime | None = None,
) -> CostRecord:
    """Write the CostRecord of one Claude call (also for billed calls whose result we then threw away)."""
    input_tokens = usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens
    values: dict[str, Any] = {
        "student_id": student_id,
        "session_id": session_id,
        "operation": operation,
        "api_provider": ApiProvider.CLAUDE,
        "input_tokens": input_tokens,
        "output_tokens": usage.output_tokens,
        "cost_usd": cost_usd(model, usage, get_settings().pricing),
    }
    if now is not None:
        values["recorded_at"] = now
    record = CostRecord(**values)
    db.add(record)
    await db.flush()
    # The call is billed whatever happens to the request that made it: if its transaction rolls back (a
    # failed send, a failed commit), the record is written again on its own.
    after_rollback(db, lambda: _record_alone(values))
    return record


async def _record_alone(values: dict[str, Any]) -> None:
    async with get_session() as ledger:
        ledger.add(CostRecord(**values))
