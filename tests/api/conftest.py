"""HTTP test harness: an app with a controllable clock and test secrets, clients, signed initData."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from src.api.app import create_app
from src.api.dependencies import clock, settings
from src.auth.telegram import sign_init_data
from src.config import Settings, get_settings
from src.database import get_session
from tests.factories import GRADE7_PROBLEMS as PROBLEMS
from tests.factories import Clock, hint_ladder, make_problem

BOT_TOKEN = "123456:TEST-bot-token"
ADMIN_TOKEN = "test-admin-token-0123456789"


@dataclass
class Api:
    """The app under test, its clock, and how to call it as a student or operator."""

    app: FastAPI
    clock: Clock
    config: Settings
    _clients: list[httpx.AsyncClient] = field(default_factory=list)

    def client(self, *, raise_app_exceptions: bool = True) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=raise_app_exceptions)
        client = httpx.AsyncClient(transport=transport, base_url="http://test")
        self._clients.append(client)
        return client

    def init_data(
        self,
        telegram_id: int,
        *,
        first_name: str = "Rahim",
        auth_date: datetime | None = None,
        token: str = BOT_TOKEN,
        extra: dict[str, str] | None = None,
    ) -> str:
        moment = auth_date or self.clock.now
        fields = {
            "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
            "user": json.dumps({"id": telegram_id, "first_name": first_name, "language_code": "bn"}),
            "auth_date": str(int(moment.timestamp())),
        } | (extra or {})
        return sign_init_data(fields, token)

    def student(self, telegram_id: int, **kwargs: Any) -> dict[str, str]:
        return {"Authorization": f"tma {self.init_data(telegram_id, **kwargs)}"}

    @staticmethod
    def admin(token: str = ADMIN_TOKEN) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def api(committed: None) -> AsyncIterator[Api]:
    """The app over a real database whose requests really commit (tables emptied afterwards)."""
    config = get_settings().model_copy(
        update={"telegram_bot_token": SecretStr(BOT_TOKEN), "admin_token": SecretStr(ADMIN_TOKEN)}
    )
    app = create_app(expiry_interval_seconds=0)
    the_clock = Clock()
    app.dependency_overrides[clock] = lambda: the_clock.now
    app.dependency_overrides[settings] = lambda: config
    harness = Api(app, the_clock, config)
    yield harness
    for client in harness._clients:
        await client.aclose()


@pytest.fixture
async def answers(api: Api) -> dict[int, str]:
    """Loads PROBLEMS (committed); maps each problem_id to its answer."""
    loaded: dict[int, str] = {}
    async with get_session() as db:
        for spec in PROBLEMS:
            problem = await make_problem(
                db,
                question_en=f"{spec['topic']}: what is the answer?",
                question_bn=f"{spec['topic']}: উত্তর কত?",
                hints=hint_ladder(),  # "Hint n" / "ইঙ্গিত n"
                **spec,
            )
            loaded[problem.problem_id] = spec["answer"]
    return loaded


Register = Callable[..., Any]


@pytest.fixture
def register(api: Api) -> Register:
    """POST /students for a Telegram id; returns the new student's JSON."""

    async def _register(telegram_id: int, grade: int = 7, language: str = "bn") -> dict[str, Any]:
        client = api.client()
        response = await client.post(
            "/students", json={"grade": grade, "language": language}, headers=api.student(telegram_id)
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    return _register


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The response is the one error shape with this status and code; returns its details."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    details: dict[str, Any] = body["error"]["details"]
    return details
