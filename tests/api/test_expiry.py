"""Expired sessions are abandoned: on demand by an operator, and by the lifespan's periodic job, which also
forgets the Telegram update ids handled over two days ago."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from src.api import expiry
from src.api.app import create_app
from src.bot import chats
from src.database import get_session
from src.models import Session as PracticeSession
from src.models import SessionStatus, TelegramUpdate
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


async def _handled_updates(received: dict[int, datetime]) -> None:
    async with get_session() as db:
        db.add_all(TelegramUpdate(update_id=uid, received_at=at) for uid, at in received.items())


async def _update_ids() -> set[int]:
    async with get_session() as db:
        return set((await db.scalars(select(TelegramUpdate.update_id))).all())


async def test_handled_update_ids_are_forgotten_after_two_days_in_batches(
    committed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    old = {uid: now - timedelta(days=2, minutes=uid) for uid in (1, 2, 3)}
    await _handled_updates(old | {4: now - timedelta(days=1, hours=23), 5: now})
    monkeypatch.setattr(chats, "FORGET_BATCH", 2)
    async with get_session() as db:
        assert await chats.forget_old_updates(db, now=now) == 2  # the two oldest first
    assert await _update_ids() == {1, 4, 5}
    async with get_session() as db:
        assert await chats.forget_old_updates(db, now=now) == 1
        assert await chats.forget_old_updates(db, now=now) == 0
    assert await _update_ids() == {4, 5}  # within the 24 h Telegram may still deliver again, and a margin


async def test_the_periodic_job_forgets_old_update_ids(committed: None) -> None:
    now = datetime.now(UTC)
    await _handled_updates({11: now - timedelta(days=3), 12: now})
    task = asyncio.create_task(expiry.expire_periodically(0.01))
    try:
        for _ in range(200):
            await asyncio.sleep(0.01)
            if await _update_ids() == {12}:
                break
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert await _update_ids() == {12}
