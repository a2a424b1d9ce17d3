"""Fixtures of the tutor tests: the real anthropic.AsyncAnthropic against the fake Messages API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator

import pytest

from src.config import get_settings
from src.tutor.provider import ClaudeProvider
from tests.api.conftest import answers, api, register  # noqa: F401 (the HTTP harness, for tests over HTTP)
from tests.tutor.fake_messages_api import FakeMessagesApi
from tests.tutor.support import T0, tutor_settings


@pytest.fixture
def fake() -> FakeMessagesApi:
    return FakeMessagesApi()


@pytest.fixture
def provider(fake: FakeMessagesApi) -> ClaudeProvider:
    return ClaudeProvider.from_settings(tutor_settings(), http_client=fake.client(), clock=lambda: T0)


@pytest.fixture
def budget_usd(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[float], None]]:
    """Call with a number to set DARS_MONTHLY_BUDGET_USD for this test."""

    def set_budget(value: float) -> None:
        monkeypatch.setenv("DARS_MONTHLY_BUDGET_USD", str(value))
        get_settings.cache_clear()

    yield set_budget
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
async def silent_server() -> AsyncIterator[str]:
    """A local HTTP server that accepts connections and never answers: a real timeout, not a simulated one."""

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.read()  # until the client gives up and closes
        finally:
            writer.close()

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.close()
    await server.wait_closed()
