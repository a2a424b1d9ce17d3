"""Bot test harness: the real app and PTB Bot, a fake Bot API, real update JSON through the webhook route.

Requests commit for real (the `committed` fixture empties every table afterwards). The fake Bot API is
plugged into PTB's own HTTPXRequest through an httpx.MockTransport, so every Bot API call the real PTB Bot
makes is answered with real Bot API JSON and recorded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import select
from telegram.request import HTTPXRequest

from src.api.app import create_app
from src.bot.fake import ApiCall, FakeBotApi, FakeStudent
from src.bot.keyboards import MAX_CALLBACK_BYTES
from src.bot.ratelimit import DarsRateLimiter
from src.bot.runtime import BotRuntime
from src.bot.webhook import SECRET_HEADER, WEBHOOK_PATH, BotOverrides
from src.config import Settings, get_settings
from src.database import get_session
from src.models import BotChat, Problem
from tests.factories import GRADE7_PROBLEMS as PROBLEMS
from tests.factories import Clock, hint_ladder, make_problem

BOT_TOKEN = "123456:TEST-bot-token"
SECRET = "test-webhook-secret_0123"


def bot_settings(**changes: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": SecretStr(BOT_TOKEN),
        "telegram_webhook_url": "https://dars.example.com/telegram/webhook",
        "telegram_webhook_secret": SecretStr(SECRET),
    }
    return get_settings().model_copy(update=values | changes)


def fake_request(fake: FakeBotApi) -> HTTPXRequest:
    return HTTPXRequest(httpx_kwargs={"transport": fake.transport()})


@dataclass
class Bot:
    """The app with the bot in webhook mode, its fake Bot API, its clock, and a client for Telegram's side."""

    app: FastAPI
    fake: FakeBotApi
    clock: Clock
    client: httpx.AsyncClient
    _users: list[int] = field(default_factory=list)

    @property
    def runtime(self) -> BotRuntime:
        runtime: BotRuntime = self.app.state.telegram
        return runtime

    def student(self, user_id: int, first_name: str = "Rahim") -> FakeStudent:
        self._users.append(user_id)
        return FakeStudent(user_id, first_name=first_name)

    async def post(self, update: dict[str, Any], *, secret: str | None = SECRET) -> httpx.Response:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        return await self.client.post(WEBHOOK_PATH, json=update, headers=headers)

    async def deliver(self, update: dict[str, Any]) -> list[ApiCall]:
        """Post an update as Telegram would; returns the Bot API calls the bot made while handling it."""
        before = len(self.fake.calls)
        response = await self.post(update)
        assert response.status_code == 200, response.text
        return self.fake.calls[before:]

    async def say(self, student: FakeStudent, text: str) -> list[str]:
        """The student writes `text`; returns the texts the bot sent back: new messages, and the new text of
        a message it edited (a problem's message takes its hints and verdicts as edits)."""
        return texts_shown(await self.deliver(student.message(text)))

    async def press(self, student: FakeStudent, label_or_data: str) -> list[str]:
        """The student presses a button of the latest message with buttons (by label, or callback_data)."""
        shown = self.fake.last_with_buttons(student.chat_id)
        data = next((d for label, d in shown.buttons if label_or_data in (label, d)), None)
        assert data is not None, (label_or_data, shown.buttons)
        assert shown.message_id is not None
        calls = await self.deliver(student.press(data, message_id=shown.message_id, message_text=shown.text))
        return texts_shown(calls)


def texts_shown(calls: list[ApiCall]) -> list[str]:
    """What the student reads anew after these calls, in order: the messages sent, and a problem's message
    edited with a hint or a verdict (such an edit keeps the problem's buttons; the "✅ choice" a question
    with buttons turns into does not, and is left out, as it was when every reply was a new message)."""
    return [
        call.text
        for call in calls
        if call.method == "sendMessage" or (call.method == "editMessageText" and call.buttons)
    ]


def last_word(text: str) -> str:
    """A problem message's last paragraph: what to do, or the word on the latest try."""
    return text.rsplit("\n\n", 1)[-1]


@asynccontextmanager
async def running_bot(clock: Clock | None = None, **overrides: Any) -> AsyncIterator[Bot]:
    """The app with its bot in webhook mode on a fresh fake Bot API; `overrides` go to BotOverrides."""
    fake = FakeBotApi()
    now = clock or Clock()
    app = create_app(expiry_interval_seconds=0)
    app.state.telegram_overrides = BotOverrides(
        **(
            {
                "settings": bot_settings(),
                "request": fake_request(fake),
                "clock": lambda: now.now,
                "reminders": False,
                # Production pacing, with a burst no test reaches: tests of the pacing build their own.
                "rate_limiter": DarsRateLimiter(chat_burst=1000),
            }
            | overrides
        )
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Bot(app, fake, now, client)
    # Whatever a test did, no button the bot sent may carry more than Telegram's 64 bytes.
    for call in fake.calls:
        for _, data in call.buttons:
            assert 1 <= len(data.encode()) <= MAX_CALLBACK_BYTES, data


@pytest.fixture
async def bot(committed: None) -> AsyncIterator[Bot]:
    async with running_bot() as harness:
        yield harness


@pytest.fixture
async def problems(committed: None) -> dict[str, str]:
    """Loads PROBLEMS (committed); maps a marker found in both question texts to the answer."""
    answers: dict[str, str] = {}
    async with get_session() as db:
        for index, spec in enumerate(PROBLEMS):
            marker = f"Q{index + 1}#"
            await make_problem(
                db,
                question_en=f"{marker} {spec['topic']}: what is the answer?",
                question_bn=f"{marker} {spec['topic']}: উত্তর কত?",
                hints=hint_ladder(),  # "Hint n" / "ইঙ্গিত n"
                **spec,
            )
            answers[marker] = spec["answer"]
    return answers


def answer_in(text: str, answers: dict[str, str]) -> str:
    """The answer to the problem whose question is in `text`."""
    found = [answer for marker, answer in answers.items() if marker in text]
    assert len(found) == 1, text
    return found[0]


async def chat_row(chat_id: int) -> BotChat | None:
    async with get_session() as db:
        return (await db.execute(select(BotChat).where(BotChat.chat_id == chat_id))).scalar_one_or_none()


async def problem_count() -> int:
    async with get_session() as db:
        return len((await db.execute(select(Problem.problem_id))).all())
