"""Recording a periodic job's run: one row per job (`job_runs`), updated in place by every worker."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import case
from sqlalchemy.dialects.postgresql import insert

from src.database import get_session
from src.models import JobRun

logger = logging.getLogger(__name__)

Job = Literal["expiry", "reminders"]


async def record_run(job: Job, *, ok: bool, detail: str, now: datetime | None = None) -> None:
    """Remember this run in a transaction of its own. Never raises: the job goes on if the database is
    what failed (its own failure is logged already)."""
    at = now or datetime.now(UTC)
    statement = insert(JobRun).values(
        job=job,
        last_run_at=at,
        last_ok=ok,
        last_detail=detail[:500],
        last_ok_at=at if ok else None,
        runs=1,
        failures=0 if ok else 1,
    )
    statement = statement.on_conflict_do_update(
        index_elements=[JobRun.job],
        set_={
            "last_run_at": at,
            "last_ok": ok,
            "last_detail": detail[:500],
            "last_ok_at": at if ok else JobRun.last_ok_at,
            "runs": JobRun.runs + 1,
            "failures": JobRun.failures + case((statement.excluded.last_ok, 0), else_=1),
        },
    )
    try:
        async with get_session() as db:
            await db.execute(statement)
    except Exception:
        logger.warning("could not record the %s job's run", job, exc_info=True)
