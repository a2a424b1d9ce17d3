"""The health page reads the periodic jobs' last runs, which the jobs record as they go."""

from __future__ import annotations

import asyncio
import contextlib

from sqlalchemy import select

from src.api.expiry import expire_periodically
from src.database import get_session
from src.jobs.runs import record_run
from src.models import JobRun
from tests.web.conftest import Web
from tests.web.data import NOW


async def test_the_expiry_job_records_its_runs_and_the_page_shows_them(web: Web) -> None:
    loop = asyncio.create_task(expire_periodically(0.05))
    try:
        for _ in range(100):
            async with get_session() as db:
                run = (await db.execute(select(JobRun).where(JobRun.job == "expiry"))).scalar_one_or_none()
            if run is not None and run.runs >= 2:
                break
            await asyncio.sleep(0.05)
    finally:
        loop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop
    assert run is not None and run.last_ok and run.failures == 0 and run.last_detail == "0"
    await web.sign_in()
    page = (await web.client.get("/admin/dashboard/health?lang=en")).text
    assert "ok: 0 sessions marked abandoned" in page


async def test_a_failed_run_is_shown_with_its_error_and_the_last_success_kept(web: Web) -> None:
    await record_run("reminders", ok=True, detail="3", now=NOW)
    await record_run("reminders", ok=False, detail="OperationalError", now=NOW.replace(minute=5))
    async with get_session() as db:
        run = await db.get(JobRun, "reminders")
    assert run is not None
    assert (run.runs, run.failures, run.last_ok, run.last_ok_at) == (2, 1, False, NOW)
    await web.sign_in()
    page = (await web.client.get("/admin/dashboard/health?lang=bn")).text
    assert "<code>OperationalError</code>" in page and "ব্যর্থ" in page
    assert "২ বার চলেছে, ১ বার ব্যর্থ" in page
