"""Cost records, the per-student monthly budget under concurrency, and the monthly report."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from src.config import get_settings
from src.costs import service as costs
from src.costs.pricing import Usage
from src.costs.report import BadMonth, format_report, month_bounds, monthly_report, percentile
from src.database import DarsSession, get_session
from src.models import CostOperation, CostRecord, Student
from tests.factories import make_student

NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


@pytest.fixture
def budget(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DARS_MONTHLY_BUDGET_USD", "0.01")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


async def test_record_usage_writes_tokens_and_cost(db: DarsSession) -> None:
    student = await make_student(db)
    usage = Usage(input_tokens=400, output_tokens=100, cache_read_input_tokens=50)
    record = await costs.record_usage(
        db, student_id=student.student_id, session_id=None, operation=CostOperation.HINT_GENERATION,
        model="claude-haiku-4-5", usage=usage, now=NOW,
    )  # fmt: skip
    assert record.cost_id is not None
    assert (record.input_tokens, record.output_tokens, record.api_provider) == (450, 100, "claude")
    assert record.cost_usd == pytest.approx((400 * 1 + 100 * 5 + 50 * 0.1) / 1e6)


@pytest.mark.usefixtures("budget")
async def test_budget_refuses_the_call_that_would_go_over(db: DarsSession) -> None:
    student = await make_student(db)
    db.add(
        CostRecord(
            student_id=student.student_id,
            operation="hint_generation",
            api_provider="claude",
            cost_usd=0.009,
            recorded_at=NOW,
        )
    )
    await db.flush()
    assert (await costs.check_budget(db, student.student_id, 0.0009, now=NOW)).allowed
    refused = await costs.check_budget(db, student.student_id, 0.002, now=NOW)
    assert not refused.allowed and refused.remaining_usd == pytest.approx(0.001)
    # Last month's spending does not count against this month.
    next_month = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    assert (await costs.check_budget(db, student.student_id, 0.002, now=next_month)).allowed


@pytest.mark.usefixtures("budget", "committed")
async def test_budget_holds_under_concurrent_requests() -> None:
    async with get_session() as db:
        student = Student(telegram_id=31, name="Mitu", grade=8)
        db.add(student)
        await db.flush()
        student_id = student.student_id
    barrier = asyncio.Barrier(6)

    async def paid_call() -> bool:
        async with get_session() as db:
            await barrier.wait()
            check = await costs.check_budget(db, student_id, 0.004, now=NOW)
            if not check.allowed:
                return False
            await asyncio.sleep(0.05)  # the "API call": the lock is held across it
            await costs.record_usage(
                db, student_id=student_id, session_id=None, operation=CostOperation.HINT_GENERATION,
                model="claude-haiku-4-5", usage=Usage(input_tokens=2000, output_tokens=400), now=NOW,
            )  # fmt: skip
            return True

    results = await asyncio.gather(*(paid_call() for _ in range(6)))
    async with get_session() as db:
        spent = (await db.execute(select(func.sum(CostRecord.cost_usd)))).scalar_one()
    # Each call costs $0.004: only two fit under $0.01, however the six interleave.
    assert sum(results) == 2
    assert spent == pytest.approx(0.008)


def test_a_budget_month_starts_at_the_first_of_a_repeated_midnight(monkeypatch: pytest.MonkeyPatch) -> None:
    # Havana's clocks went back from 01:00 to 00:00 on 2026-11-01: that midnight happened twice, at 04:00Z
    # and at 05:00Z. The month starts at the first, for a moment in the repeated hour too.
    monkeypatch.setenv("DARS_TIMEZONE", "America/Havana")
    get_settings.cache_clear()
    try:
        in_repeated_hour = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
        start = costs.month_start(in_repeated_hour).astimezone(UTC)  # an ambiguous time compares unequal
        assert start == datetime(2026, 11, 1, 4, 0, tzinfo=UTC)
        assert start == month_bounds("2026-11")[0].astimezone(UTC)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_month_bounds_and_percentile() -> None:
    start, end = month_bounds("2026-12")
    assert (start.year, start.month, end.year, end.month) == (2026, 12, 2027, 1)
    assert start.utcoffset().total_seconds() == 6 * 3600
    for bad in ("2026-13", "26-01", "2026/01", "", "2026-1", "9999-12", "0000-01"):
        with pytest.raises(BadMonth):
            month_bounds(bad)
    assert percentile([], 0.95) == 0.0
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95) == 10
    assert percentile([1, 2, 3, 4], 0.5) == 2


async def test_monthly_report(db: DarsSession) -> None:
    registered = datetime(2026, 11, 2, tzinfo=UTC)  # the month's own clock, not today's
    a = await make_student(db, created_at=registered)
    b = await make_student(db, created_at=registered)
    await make_student(db, created_at=registered)  # a student who cost nothing still counts
    await make_student(db, created_at=datetime(2026, 12, 1, tzinfo=UTC))  # registered after: not November's
    for student, cost, operation in (
        (a, 0.03, "hint_generation"),
        (a, 0.09, "answer_evaluation"),
        (b, 0.02, "hint_generation"),
    ):
        db.add(
            CostRecord(
                student_id=student.student_id,
                operation=operation,
                api_provider="claude",
                cost_usd=cost,
                recorded_at=NOW,
            )
        )
    db.add(
        CostRecord(
            student_id=b.student_id,
            operation="hint_generation",
            api_provider="claude",
            cost_usd=5.0,
            recorded_at=datetime(2026, 10, 15, tzinfo=UTC),
        )
    )
    await db.flush()
    report = await monthly_report(db, "2026-11")
    assert report.students == 3 and report.calls == 3
    assert report.total_usd == pytest.approx(0.14)
    assert report.mean_usd == pytest.approx(0.14 / 3)
    assert report.median_usd == pytest.approx(0.02)
    assert report.max_usd == pytest.approx(0.12)
    assert report.over_budget == 1 and not report.within_target
    assert report.by_operation == pytest.approx({"hint_generation": 0.05, "answer_evaluation": 0.09})
    assert report.by_provider == pytest.approx({"claude": 0.14})
    text = format_report(report)
    assert "OVER TARGET" in text and "students over budget: 1" in text


async def test_a_spender_registered_after_the_month_still_counts_in_it(db: DarsSession) -> None:
    """Total, per-student figures and by-operation rows agree whatever the student's created_at."""
    late = await make_student(db, created_at=datetime(2026, 12, 3, tzinfo=UTC))
    early = await make_student(db, created_at=datetime(2026, 10, 1, tzinfo=UTC))
    for student, cost, operation in ((late, 0.05, "hint_generation"), (late, 0.09, "answer_evaluation")):
        db.add(
            CostRecord(
                student_id=student.student_id,
                operation=operation,
                api_provider="claude",
                cost_usd=cost,
                recorded_at=NOW,
            )
        )
    await db.flush()
    report = await monthly_report(db, "2026-11")
    assert report.students == 2 and report.calls == 2
    assert report.total_usd == pytest.approx(0.14)
    assert sum(report.by_operation.values()) == pytest.approx(report.total_usd)
    assert sum(report.by_provider.values()) == pytest.approx(report.total_usd)
    assert report.max_usd == pytest.approx(0.14) and report.median_usd == pytest.approx(0.0)
    assert early.student_id != late.student_id
