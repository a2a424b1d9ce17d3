"""PostgreSQL goes away under the API and the webhook, for real (tests/pg_outage.py: its port closed, its
connections cut), and comes back: 503 `service_unavailable` with Retry-After meanwhile, the webhook a
non-2xx so that Telegram redelivers, /health says the database is down, one log line when it goes and one
when it is back, no traceback; then everything works again and nothing was recorded twice."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from src.database import get_session
from src.models import Response
from src.outage import DATABASE
from tests.api.conftest import Api, Register, assert_error
from tests.bot.conftest import running_bot
from tests.factories import make_student
from tests.pg_outage import app_behind_proxy


def _outage_lines(caplog: pytest.LogCaptureFixture) -> tuple[list[str], list[str], list[logging.LogRecord]]:
    gone = [r.getMessage() for r in caplog.records if r.getMessage().startswith("database unavailable")]
    back = [r.getMessage() for r in caplog.records if r.getMessage().startswith("database available again")]
    tracebacks = [r for r in caplog.records if r.exc_info]
    return gone, back, tracebacks


@pytest.mark.usefixtures("answers")
async def test_an_outage_is_a_503_said_once_and_the_api_comes_back_by_itself(
    api: Api,
    register: Register,
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    async with app_behind_proxy(monkeypatch, database_url) as postgres:
        await register(4401, language="en")
        client = api.client(raise_app_exceptions=False)
        headers = api.student(4401)
        started = await client.post("/sessions/today", headers=headers)
        assert started.status_code == 201, started.text
        session_id = started.json()["session_id"]

        await postgres.stop()
        during = []
        for _ in range(10):
            during.append(await client.post("/sessions/today", headers=headers))
            during.append(
                await client.post(f"/sessions/{session_id}/answers", json={"answer": "1"}, headers=headers)
            )
            during.append(await client.get(f"/sessions/{session_id}", headers=headers))
            during.append(await client.get("/students/me", headers=headers))
        health_down = await client.get("/health")

        for response in during:
            details = assert_error(response, 503, "service_unavailable")
            assert response.headers["Retry-After"] == "5" and details == {"retry_after_seconds": 5}
        assert health_down.status_code == 503 and health_down.headers["Retry-After"] == "5"
        assert health_down.json() == {
            "status": "degraded",
            "database": False,
            "error": "database_unavailable",
        }
        gone, back, tracebacks = _outage_lines(caplog)
        assert len(gone) == 1 and back == [] and tracebacks == []  # 41 failed requests, one line

        await postgres.start()  # the same port, as a restarted server
        answered = await client.post(f"/sessions/{session_id}/answers", json={"answer": "1"}, headers=headers)
        health_up = await client.get("/health")

        assert answered.status_code == 200, answered.text
        assert health_up.status_code == 200 and health_up.json() == {"status": "ok", "database": True}
        gone, back, tracebacks = _outage_lines(caplog)
        assert len(gone) == 1 and len(back) == 1 and tracebacks == []
        assert not DATABASE.down
    async with get_session() as db:
        # The ten answers sent during the outage left nothing; the one after it is recorded once.
        assert (await db.execute(select(func.count()).select_from(Response))).scalar_one() == 1


async def test_the_webhook_answers_an_outage_with_a_503_so_telegram_redelivers(
    committed: None, monkeypatch: pytest.MonkeyPatch, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with app_behind_proxy(monkeypatch, database_url) as postgres, running_bot() as bot:
        async with get_session() as db:
            await make_student(db, telegram_id=4402, name="Nusrat", grade=7, language="en")
        nusrat = bot.student(4402, first_name="Nusrat")
        update = nusrat.message("/streak")

        await postgres.stop()
        refused = [await bot.post(update) for _ in range(5)]  # Telegram's redeliveries of the same update
        await postgres.start()
        delivered = await bot.post(update)
        again = await bot.post(update)

    assert [r.status_code for r in refused] == [503] * 5
    assert all(r.headers["Retry-After"] == "5" for r in refused)
    assert refused[0].json()["error"]["code"] == "service_unavailable"
    assert delivered.status_code == 200 and again.status_code == 200  # handled once, then a duplicate
    replies = [call for call in bot.fake.calls if call.method == "sendMessage"]
    assert len(replies) == 1  # answered once: the redeliveries during the outage did nothing
    gone, back, tracebacks = _outage_lines(caplog)
    assert len(gone) == 1 and len(back) == 1 and tracebacks == []
