"""Helpers of the tutor tests: settings with a key, a practice set-up, counts of what was paid for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from src.config import Settings, get_settings
from src.models import AiHint, CostRecord, Problem, Student
from src.models import Session as PracticeSession
from tests.factories import make_problem, make_session, make_student

T0 = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)  # noon in Dhaka, mid-month
MODEL = "claude-haiku-4-5"


def tutor_settings(**changes: Any) -> Settings:
    values: dict[str, Any] = {
        "anthropic_api_key": SecretStr("sk-ant-test"),
        "anthropic_base_url": "http://anthropic.fake",
        "dars_claude_model": MODEL,
        "dars_claude_max_retries": 2,
        "dars_claude_timeout_seconds": 2.0,
    }
    return get_settings().model_copy(update=values | changes)


@dataclass
class Practice:
    student: Student
    problem: Problem
    session: PracticeSession

    @property
    def ids(self) -> tuple[int, int]:
        return self.student.student_id, self.session.session_id


async def practice(
    db: AsyncSession, *, language: str = "bn", problem: Problem | None = None, **fields: Any
) -> Practice:
    """A student in a fresh session whose only problem is `problem`, or a new one (the bat problem, ৳540)."""
    student = await make_student(db, language=language)
    made = problem or await make_problem(db, **fields)
    session = await make_session(
        db, student, problem_ids=[made.problem_id], date=T0, expires_at=T0 + timedelta(minutes=30)
    )
    return Practice(student, made, session)


async def cost_records(db: AsyncSession) -> list[CostRecord]:
    return list((await db.scalars(select(CostRecord).order_by(CostRecord.cost_id))).all())


async def ai_hint_count(db: AsyncSession) -> int:
    return int((await db.execute(select(func.count()).select_from(AiHint))).scalar_one())
