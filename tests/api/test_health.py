"""GET /health reports database connectivity: 200 when it answers, 503 when it does not."""

from __future__ import annotations

import httpx
import pytest

from src import database
from src.api.app import create_app
from src.config import get_settings


async def _get_health() -> httpx.Response:
    app = create_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        return await client.get("/health")


@pytest.mark.usefixtures("database_url")
async def test_health_ok() -> None:
    await database.dispose_engine()
    response = await _get_health()
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True}


async def test_health_503_when_database_down(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:1/none")
    get_settings.cache_clear()
    await database.dispose_engine()
    try:
        response = await _get_health()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        await database.dispose_engine()
    assert response.status_code == 503
    assert response.json()["database"] is False
