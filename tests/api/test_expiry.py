"""Expired sessions are abandoned: on demand by an operator, and by the lifespan's periodic job."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from src.api import expiry
from src.api.app import create_app
from src.database import get_session
from src.models import Session as PracticeSession
from src.models import SessionStatus
from src.practice import service
from tests.api.conftest import Api
from tests.factories import make_session, make_student


async def _expired_session() -> int:
    past = datetime.now(UTC) - timedelta(hours=2)
    async with get_session() as db:
        student = await make_student(db)
        session = await make_session(db, student, date=past, expires_at=past + timedelta(minutes=30))
        return session.session_id


async def _status(session_id: int) -> SessionStatus:
    async with get_session() as db:
        session = await db.get(PracticeSession, session_id)
        assert session is not None
        return SessionStatus(session.status)


async def test_admin_expires_sessions(api: Api) -> None:
    sid = await _expired_session()
    api.clock.now = datetime.now(UTC)
    response = await api.client().post("/admin/sessions/expire", headers=api.admin())
    assert response.status_code == 200, response.text
    assert response.json()["expired"] == 1
    assert await _status(sid) is SessionStatus.ABANDONED


async def test_periodic_job_survives_failures(
    committed: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    sid = await _expired_session()
    real = service.expire_sessions
    calls = 0

    async def flaky(db: AsyncSession, *, now: datetime | None = None) -> int:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("database went away")
        return await real(db, now=now)

    monkeypatch.setattr(service, "expire_sessions", flaky)
    with caplog.at_level(logging.ERROR, logger="src.api.expiry"):
        task = asyncio.create_task(expiry.expire_periodically(0.01))
        for _ in range(200):
            await asyncio.sleep(0.01)
            if calls >= 2 and await _status(sid) is SessionStatus.ABANDONED:
                break
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert await _status(sid) is SessionStatus.ABANDONED
    assert "expiring sessions failed" in caplog.text


async def test_lifespan_runs_the_job_and_stops_it(committed: None) -> None:
    sid = await _expired_session()
    app = create_app(expiry_interval_seconds=0.01)
    async with app.router.lifespan_context(app):
        for _ in range(200):
            await asyncio.sleep(0.01)
            if await _status(sid) is SessionStatus.ABANDONED:
                break
        jobs = [t for t in asyncio.all_tasks() if t.get_name() == "dars-expire"]
        assert len(jobs) == 1
    assert jobs[0].cancelled() or jobs[0].done()
    assert await _status(sid) is SessionStatus.ABANDONED
