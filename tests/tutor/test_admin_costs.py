"""GET /admin/costs?month=YYYY-MM over a real database, through the production app."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr

from src.api.app import create_app
from src.api.dependencies import settings
from src.config import get_settings
from src.database import get_session
from src.models import CostRecord, Student
from tests.tutor.support import T0

TOKEN = "admin-costs-test-token-0123456789"


@pytest.fixture
async def client(committed: None) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app()  # the route must be mounted where operators call it, not only in a test app
    config = get_settings().model_copy(update={"admin_token": SecretStr(TOKEN)})
    app.dependency_overrides[settings] = lambda: config
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield client


async def test_the_monthly_report_as_json(client: httpx.AsyncClient) -> None:
    async with get_session() as db:
        students = [
            Student(telegram_id=5_100_000_000 + i, name=f"S{i}", grade=7, created_at=T0) for i in range(2)
        ]
        db.add_all(students)
        await db.flush()
        for cost, operation in ((0.004, "hint_generation"), (0.001, "answer_evaluation")):
            db.add(
                CostRecord(
                    student_id=students[0].student_id,
                    operation=operation,
                    api_provider="claude",
                    input_tokens=500,
                    output_tokens=60,
                    cost_usd=cost,
                    recorded_at=T0,
                )
            )

    response = await client.get("/admin/costs?month=2026-11", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["month"] == "2026-11" and body["students"] == 2 and body["calls"] == 2
    assert body["total_usd"] == pytest.approx(0.005) and body["max_usd"] == pytest.approx(0.005)
    assert body["mean_usd"] == pytest.approx(0.0025) and body["within_target"] is True
    assert body["by_operation"] == {
        "hint_generation": pytest.approx(0.004),
        "answer_evaluation": pytest.approx(0.001),
    }


async def test_operators_only_and_a_real_month(client: httpx.AsyncClient) -> None:
    assert (await client.get("/admin/costs?month=2026-11")).status_code == 401
    wrong = await client.get("/admin/costs?month=2026-11", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    for month in ("2026-13", "2026-1", "november", ""):
        response = await client.get(
            f"/admin/costs?month={month}", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert response.status_code == 422, month
        assert response.json()["error"]["code"] == "validation_error"


async def test_a_month_beyond_the_calendar_is_refused_not_a_crash(client: httpx.AsyncClient) -> None:
    """9999-12 and 0000-01 match YYYY-MM, but their bounds fall outside what datetime can hold."""
    for month in ("9999-12", "0000-01"):
        response = await client.get(
            f"/admin/costs?month={month}", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert response.status_code == 422, month
        assert response.json()["error"]["code"] == "invalid_input"
