"""The webhook door: the secret, exactly-once handling, ordering, failures, and the bot's three modes."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from telegram.request import HTTPXRequest

from src.api.app import create_app
from src.bot import conversation
from src.bot.application import ChatLocks
from src.bot.fake import FakeBotApi, FakeStudent
from src.bot.webhook import WEBHOOK_PATH, BotOverrides
from src.database import get_session
from src.models import Response, TelegramUpdate
from src.practice import service as practice_service
from tests.bot.conftest import SECRET, Bot, bot_settings, chat_row, fake_request, running_bot
from tests.factories import make_student


async def seen_updates() -> list[int]:
    async with get_session() as db:
        return list((await db.execute(select(TelegramUpdate.update_id))).scalars())


async def response_count() -> int:
    async with get_session() as db:
        return (await db.execute(select(func.count()).select_from(Response))).scalar_one()


async def registered(bot: Bot, student: FakeStudent, language: str = "English") -> None:
    for step in ("/start", student.first_name, "7"):
        await bot.say(student, step)
    await bot.press(student, language)


async def test_starting_registers_the_webhook_with_its_secret(bot: Bot) -> None:
    methods = [call.method for call in bot.fake.calls]
    assert methods[:2] == ["getMe", "setWebhook"]
    [set_webhook] = bot.fake.sent(method="setWebhook")
    assert set_webhook.params["url"] == "https://dars.example.com/telegram/webhook"
    assert set_webhook.params["secret_token"] == SECRET
    assert set_webhook.params["allowed_updates"] == [
        "message",
        "edited_message",
        "callback_query",
        "my_chat_member",
    ]
    assert set_webhook.params["max_connections"] == 100  # no database connection waits on Telegram now


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", SECRET + "x", SECRET[:-1]])
async def test_a_wrong_secret_is_refused_and_nothing_is_processed(bot: Bot, secret: str | None) -> None:
    before = len(bot.fake.calls)
    response = await bot.post(FakeStudent(6001).message("/start"), secret=secret)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_webhook_secret"
    assert len(bot.fake.calls) == before
    assert await seen_updates() == []
    assert await chat_row(6001) is None


async def test_a_body_that_is_not_an_update_is_refused(bot: Bot) -> None:
    for body in ({"hello": 1}, [], {"update_id": "7"}):
        response = await bot.post(body)  # type: ignore[arg-type]
        assert response.status_code == 400
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    response = await bot.client.post(WEBHOOK_PATH, content=b"{not json", headers=headers)
    assert response.status_code == 400


async def test_an_update_with_ids_past_64_bits_is_refused_not_retried_forever(bot: Bot) -> None:
    # Telegram never sends these; an update that could never be recorded must not be a 500 that
    # Telegram delivers again and again.
    too_big = FakeStudent(6003).message("/start", update_id=2**63)
    wide_chat = FakeStudent(6004).message("/start")
    wide_chat["message"]["chat"]["id"] = 2**63
    text_chat = FakeStudent(6005).message("/start")
    text_chat["message"]["chat"]["id"] = "abc"
    wide_user = FakeStudent(6006).message("/start")
    wide_user["message"]["from"]["id"] = -(2**63) - 1
    before = len(bot.fake.calls)
    for update in (too_big, wide_chat, text_chat, wide_user):
        response = await bot.post(update)
        assert response.status_code == 400, response.text
        assert response.json()["error"]["code"] == "invalid_update"
    assert len(bot.fake.calls) == before
    assert await seen_updates() == []


async def test_an_update_over_the_body_limit_is_413_even_when_chunked(bot: Bot) -> None:
    update = FakeStudent(6007).message("x" * 70_000)
    body = json.dumps(update).encode()

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the limit is met while reading
        for at in range(0, len(body), 8192):
            yield body[at : at + 8192]

    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    response = await bot.client.post(WEBHOOK_PATH, content=chunks(), headers=headers)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert await seen_updates() == []


async def test_a_redelivered_update_has_one_effect(bot: Bot, problems: dict[str, str]) -> None:
    kamal = bot.student(6002, first_name="Kamal")
    await registered(bot, kamal)
    await bot.say(kamal, "/practice")
    answer = kamal.message("123456")
    first = await bot.deliver(answer)
    again = await bot.deliver(answer)
    assert [c.method for c in first] == ["editMessageText"]  # the wrong answer, on the problem's message
    assert again == []
    assert await response_count() == 1
    assert answer["update_id"] in await seen_updates()


async def test_concurrent_duplicate_deliveries_have_one_effect(bot: Bot, problems: dict[str, str]) -> None:
    lina = bot.student(6003, first_name="Lina")
    await registered(bot, lina)
    await bot.say(lina, "/practice")
    answer = lina.message("123456")
    before = len(bot.fake.sent(lina.chat_id, "editMessageText"))
    responses = await asyncio.gather(*(bot.post(answer) for _ in range(5)))
    assert [r.status_code for r in responses] == [200] * 5
    assert len(bot.fake.sent(lina.chat_id, "editMessageText")) == before + 1
    assert len(bot.fake.sent(lina.chat_id)) == 5  # registration's four, the problem, nothing more
    assert await response_count() == 1


async def test_duplicates_across_two_processes_wait_for_the_first_commit(problems: dict[str, str]) -> None:
    """Two apps (two workers) receive the same update at once: the database lets exactly one handle it."""
    fakes = [FakeBotApi(), FakeBotApi()]
    apps = []
    for fake in fakes:
        app = create_app(expiry_interval_seconds=0)
        app.state.telegram_overrides = BotOverrides(
            settings=bot_settings(), request=fake_request(fake), reminders=False
        )
        apps.append(app)
    async with apps[0].router.lifespan_context(apps[0]), apps[1].router.lifespan_context(apps[1]):
        clients = [
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") for app in apps
        ]
        student = FakeStudent(6004)
        update = student.message("/start")
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        for _ in range(3):
            responses = await asyncio.gather(
                *(c.post(WEBHOOK_PATH, json=update, headers=headers) for c in clients)
            )
            assert [r.status_code for r in responses] == [200, 200]
        for client in clients:
            await client.aclose()
    welcomes = [call for fake in fakes for call in fake.sent(student.chat_id)]
    assert len(welcomes) == 1
    assert await seen_updates() == [update["update_id"]]


async def test_one_chats_updates_are_handled_in_order(bot: Bot, problems: dict[str, str]) -> None:
    """Sent at once, a chat's updates still run one after another, in the order they arrived."""
    noor = bot.student(6005, first_name="Noor")
    await registered(bot, noor)
    await bot.say(noor, "/practice")
    updates = [noor.message(text) for text in ("111111", "222222", "333333")]
    tasks = [asyncio.create_task(bot.post(update)) for update in updates]
    assert [r.status_code for r in await asyncio.gather(*tasks)] == [200, 200, 200]
    async with get_session() as db:
        answers = list(
            (await db.execute(select(Response.student_answer).order_by(Response.response_id))).scalars()
        )
    assert answers == ["111111", "222222", "333333"]
    assert len(bot.runtime.application.chat_locks) == 0  # nothing left behind


async def test_chat_locks_serialise_one_chat_only() -> None:
    locks = ChatLocks()
    order: list[str] = []

    async def work(chat: int, name: str, pause: float) -> None:
        async with locks.hold(chat):
            order.append(f"{name}+")
            await asyncio.sleep(pause)
            order.append(f"{name}-")

    await asyncio.gather(work(1, "a", 0.02), work(1, "b", 0), work(2, "c", 0))
    assert order.index("a-") < order.index("b+")  # same chat: one after the other
    assert order.index("c+") < order.index("a-")  # another chat: not held up
    assert len(locks) == 0


async def test_a_bug_is_rolled_back_recorded_and_apologised_for(
    bot: Bot, problems: dict[str, str], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    rumi = bot.student(6006, first_name="Rumi")
    await registered(bot, rumi)

    async def broken(turn: conversation.Turn, text: str) -> list[Any]:
        turn.chat.state = "ask_name"  # an effect that must be rolled back
        raise RuntimeError("a bug")

    monkeypatch.setattr(conversation, "text_message", broken)
    update = rumi.message("hello")
    with caplog.at_level(logging.ERROR):
        response = await bot.post(update)
    assert response.status_code == 200  # a retry would fail the same way: do not ask for one
    assert bot.fake.last(rumi.chat_id).text.startswith("Sorry, something went wrong on my side")
    assert update["update_id"] in await seen_updates()
    chat = await chat_row(rumi.chat_id)
    assert chat is not None and chat.state == "idle"
    assert "failed; its effects were rolled back" in caplog.text
    assert await bot.deliver(update) == []  # recorded: not tried again


async def test_the_apology_is_in_the_language_the_student_chose_in_the_mini_app(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with get_session() as db:
        await make_student(db, telegram_id=6007, name="Lina", grade=7, language="en")
    lina = bot.student(6007, first_name="Lina")
    await bot.say(lina, "/start")  # the bot's chat row keeps its default language, Bengali

    async def broken(turn: conversation.Turn, text: str) -> list[Any]:
        raise RuntimeError("a bug")

    monkeypatch.setattr(conversation, "text_message", broken)
    await bot.post(lina.message("hello"))

    assert bot.fake.last(lina.chat_id).text.startswith("Sorry, something went wrong on my side")


async def test_a_database_outage_asks_telegram_to_retry(
    bot: Bot, problems: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tania = bot.student(6007, first_name="Tania")
    await registered(bot, tania)
    real = practice_service.start_daily_session

    async def outage(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(practice_service, "start_daily_session", outage)
    update = tania.message("/practice")
    response = await bot.post(update)
    assert response.status_code == 500
    assert update["update_id"] not in await seen_updates()  # rolled back: the retry will run it

    monkeypatch.setattr(practice_service, "start_daily_session", real)
    [problem] = [c.text for c in await bot.deliver(update) if c.method == "sendMessage"]
    assert problem.startswith("📝 Problem 1 of 5")


async def test_without_a_token_the_bot_is_off_with_one_log_line(
    committed: None, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(expiry_interval_seconds=0)
    settings = bot_settings(telegram_bot_token=None, telegram_webhook_url=None)
    app.state.telegram_overrides = BotOverrides(settings=settings)
    with caplog.at_level(logging.INFO, logger="src.bot"):
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
        ):
            response = await client.post(WEBHOOK_PATH, json=FakeStudent(1).message("/start"))
    assert response.status_code == 404
    bot_lines = [r.getMessage() for r in caplog.records if r.name.startswith("src.bot")]
    assert bot_lines == ["Telegram bot off: TELEGRAM_BOT_TOKEN is not set"]


async def test_long_polling_when_only_the_token_is_set(committed: None, problems: dict[str, str]) -> None:
    fake = FakeBotApi()
    student = FakeStudent(6008)
    fake.updates.append(student.message("/start"))
    app = create_app(expiry_interval_seconds=0)
    app.state.telegram_overrides = BotOverrides(
        settings=bot_settings(telegram_webhook_url=None), request=fake_request(fake), reminders=False
    )
    async with app.router.lifespan_context(app):
        for _ in range(200):
            if fake.sent(student.chat_id):
                break
            await asyncio.sleep(0.01)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            response = await client.post(
                WEBHOOK_PATH,
                json=student.message("/start"),
                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            )
            assert response.status_code == 404  # polling: the webhook route is not open
    methods = {call.method for call in fake.calls}
    assert {"getMe", "deleteWebhook", "getUpdates"} <= methods and "setWebhook" not in methods
    polls = {tuple(call.params["allowed_updates"]) for call in fake.sent(method="getUpdates")}
    assert polls == {("message", "edited_message", "callback_query", "my_chat_member")}
    assert "তোমার নাম কী" in fake.texts(student.chat_id)[0]
    assert len(await seen_updates()) == 1


@pytest.mark.usefixtures("committed")
async def test_an_unreachable_bot_api_at_start_leaves_the_api_serving_and_the_bot_starts_later() -> None:
    fake = FakeBotApi()
    refused = 0
    reachable = asyncio.Event()  # Telegram answers from when the test says so, not after a race of retries

    async def flaky(request: httpx.Request) -> httpx.Response:
        nonlocal refused
        if not reachable.is_set():
            refused += 1
            raise httpx.ConnectError("connection refused", request=request)
        return await fake.handle(request)

    unreachable_at_first = HTTPXRequest(httpx_kwargs={"transport": httpx.MockTransport(flaky)})
    async with running_bot(request=unreachable_at_first, start_retry_seconds=0.02) as bot:
        assert bot.app.state.telegram is None  # start-up went on without the bot
        assert (await bot.client.get("/health")).status_code == 200
        early = await bot.post(FakeStudent(6008).message("/start"))
        assert early.status_code == 404  # Telegram keeps the update and delivers it again
        for _ in range(500):  # the start is retried, and refused, a few times
            if refused >= 3:
                break
            await asyncio.sleep(0.02)
        reachable.set()
        for _ in range(250):
            if bot.app.state.telegram is not None:
                break
            await asyncio.sleep(0.02)
        assert bot.app.state.telegram is not None, "the bot never started"
        assert len(fake.sent(method="setWebhook")) == 1  # on the fake behind the flaky transport
        again = await bot.post(FakeStudent(6008).message("/start"))
        assert again.status_code == 200
        assert "নাম" in fake.last(6008).text
    assert refused >= 3
