"""Servers freeze their start-up heap (a full collection walked it for ~165 ms); tests never do."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from src import database
from src.api.app import create_app
from src.config import get_settings

pytestmark = pytest.mark.usefixtures("database_url")  # which sets DARS_ENV=test


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.usefixtures("unfrozen")
async def test_a_test_app_never_freezes_the_heap() -> None:
    app = create_app(expiry_interval_seconds=0)
    async with app.router.lifespan_context(app):
        assert gc.get_freeze_count() == 0


@pytest.mark.usefixtures("unfrozen")
async def test_a_server_freezes_what_start_up_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DARS_ENV", "production")
    get_settings.cache_clear()
    try:
        app = create_app(expiry_interval_seconds=0)
        async with app.router.lifespan_context(app):
            frozen = gc.get_freeze_count()
            assert frozen > 50_000  # FastAPI, SQLAlchemy, sympy: hundreds of thousands of objects
            garbage = [[] for _ in range(1000)]
            del garbage
            assert gc.get_freeze_count() == frozen  # later objects are collected as usual
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        await database.dispose_engine()
