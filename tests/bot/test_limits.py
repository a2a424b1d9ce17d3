"""Telegram's limits and refusals: 403 blocked, 429 flood control, 400 not modified, 4096 chars, 64 bytes."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from telegram.error import RetryAfter

from src.bot import keyboards
from src.bot.keyboards import (
    MAX_CALLBACK_BYTES,
    Button,
    ChooseGrade,
    ChooseLanguage,
    NewSession,
    ProblemAction,
)
from src.bot.ratelimit import DarsRateLimiter, TokenBucket
from src.bot.sending import MAX_TEXT, split_text, utf16_length
from src.database import get_session
from tests.bot.conftest import Bot, answer_in, chat_row
from tests.bot.test_webhook import registered, seen_updates
from tests.factories import hint_ladder, make_problem

# PTB's RetryAfter reads its own deprecated attribute when it is built.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def test_a_student_who_blocked_the_bot_is_marked_and_not_messaged_again(
    bot: Bot, problems: dict[str, str]
) -> None:
    rina = bot.student(7001, first_name="Rina")
    await registered(bot, rina)
    bot.fake.block(rina.chat_id)
    calls = await bot.deliver(rina.message("/practice"))
    assert [(c.method, c.status) for c in calls] == [("sendMessage", 403)]
    chat = await chat_row(rina.chat_id)
    assert chat is not None and chat.blocked

    # They unblock and write again: reachable once more, and answered.
    bot.fake.unblock(rina.chat_id)
    [reply] = await bot.say(rina, "/help")
    assert reply.startswith("I'm Dars")
    chat = await chat_row(rina.chat_id)
    assert chat is not None and not chat.blocked


async def test_a_block_stops_the_rest_of_the_replies(bot: Bot, problems: dict[str, str]) -> None:
    """A correct answer is answered with two messages; after a 403 the second is not even tried."""
    tuhin = bot.student(7002, first_name="Tuhin")
    await registered(bot, tuhin)
    [first] = await bot.say(tuhin, "/practice")
    bot.fake.block(tuhin.chat_id)
    calls = await bot.deliver(tuhin.message(answer_in(first, problems)))
    assert [(c.method, c.status) for c in calls] == [("sendMessage", 403)]
    chat = await chat_row(tuhin.chat_id)
    assert chat is not None and chat.blocked and chat.draft.get("session_id")  # the answer still counted


async def test_my_chat_member_updates_track_blocking(bot: Bot) -> None:
    mina = bot.student(7003, first_name="Mina")
    await registered(bot, mina)
    assert await bot.deliver(mina.member_status("kicked")) == []
    chat = await chat_row(mina.chat_id)
    assert chat is not None and chat.blocked
    assert await bot.deliver(mina.member_status("member")) == []
    chat = await chat_row(mina.chat_id)
    assert chat is not None and not chat.blocked


async def test_flood_control_is_honoured_then_the_message_retried_once(bot: Bot) -> None:
    sumi = bot.student(7004, first_name="Sumi")
    await registered(bot, sumi)
    bot.fake.flood("sendMessage", retry_after=1)
    calls = await bot.deliver(sumi.message("/help"))
    assert [(c.method, c.status) for c in calls] == [("sendMessage", 429), ("sendMessage", 200)]
    assert calls[0].text == calls[1].text
    assert calls[1].at - calls[0].at >= 1.0  # waited retry_after before trying again


async def test_one_chats_flood_control_does_not_hold_up_another_students_button(bot: Bot) -> None:
    sumi, rafi = bot.student(7011, first_name="Sumi"), bot.student(7012, first_name="Rafi")
    await registered(bot, sumi)
    await registered(bot, rafi)
    bot.fake.flood("sendMessage", retry_after=2)
    refused = asyncio.Event()
    bot.fake.on_call = lambda call: refused.set() if call.chat_id == sumi.chat_id else None
    halted = asyncio.create_task(bot.post(sumi.message("/help")))  # 429: messages wait 2 s
    await asyncio.wait_for(refused.wait(), timeout=5)
    shown = bot.fake.last_with_buttons(rafi.chat_id)
    assert shown.message_id is not None

    pressed = await bot.deliver(rafi.press("n", message_id=shown.message_id))

    first_try = next(call for call in bot.fake.calls if call.status == 429)
    answered = next(call for call in pressed if call.method == "answerCallbackQuery")
    assert answered.at - first_try.at < 1.0  # Rafi's spinner stopped at once; his reply waited its turn
    assert [call.method for call in pressed][-1] == "sendMessage"
    assert (await halted).status_code == 200


async def test_flood_control_twice_leaves_the_update_for_telegram_to_retry(bot: Bot) -> None:
    babu = bot.student(7005, first_name="Babu")
    await registered(bot, babu)
    bot.fake.flood("sendMessage", retry_after=1, times=2)
    update = babu.message("/help")
    response = await bot.post(update)
    assert response.status_code == 500
    assert update["update_id"] not in await seen_updates()
    calls = await bot.deliver(update)  # Telegram's retry
    assert [(c.method, c.status) for c in calls] == [("sendMessage", 200)]


async def test_message_is_not_modified_is_ignored(bot: Bot) -> None:
    jui = bot.student(7006, first_name="Jui")
    await bot.say(jui, "/start")
    await bot.say(jui, "Jui")
    grade_question = bot.fake.last_with_buttons(jui.chat_id)
    assert grade_question.message_id is not None
    await bot.press(jui, "৭ম শ্রেণি")
    # The same button again (a double tap): the edit changes nothing, Telegram answers 400, all is well.
    calls = await bot.deliver(jui.press("g:7", message_id=grade_question.message_id))
    assert [(c.method, c.status) for c in calls] == [
        ("answerCallbackQuery", 200),
        ("editMessageReplyMarkup", 400),
    ]
    chat = await chat_row(jui.chat_id)
    assert chat is not None and chat.state == "ask_language" and chat.draft["grade"] == 7


async def test_every_callback_query_is_answered_first(bot: Bot, problems: dict[str, str]) -> None:
    liza = bot.student(7007, first_name="Liza")
    await registered(bot, liza)
    await bot.say(liza, "/practice")
    for data in ("n", "h:1:1", "nonsense", "g:7", "l:en"):
        calls = await bot.deliver(liza.press(data, message_id=1))
        assert calls[0].method == "answerCallbackQuery", data


async def test_a_long_message_is_split_under_4096(bot: Bot) -> None:
    async with get_session() as db:
        await make_problem(
            db,
            question_en="A very long story problem. " * 400,  # 10 800 characters
            question_bn="একটি অনেক লম্বা গল্পের প্রশ্ন। " * 400,
            answer="7",
            hints=hint_ladder(),
        )
    rafi = bot.student(7008, first_name="Rafi")
    await registered(bot, rafi)
    calls = [c for c in await bot.deliver(rafi.message("/practice")) if c.method == "sendMessage"]
    assert len(calls) == 3
    assert all(utf16_length(c.text) <= MAX_TEXT for c in calls)
    assert [bool(c.buttons) for c in calls] == [False, False, True]  # the buttons come with the last part
    assert calls[0].text.startswith("📝 Problem 1 of 1") and calls[-1].text.endswith(
        "Type your answer and send it."
    )


def test_split_text_keeps_every_character_within_the_limit() -> None:
    assert split_text("short") == ["short"]
    words = " ".join(["অনুপাত"] * 2000)
    parts = split_text(words)
    assert all(utf16_length(p) <= MAX_TEXT for p in parts)
    assert " ".join(parts) == words
    emoji = "🙂" * 3000  # two UTF-16 code units each, no spaces: cut hard, never inside a character
    parts = split_text(emoji)
    assert [utf16_length(p) for p in parts] == [4096, 1904]
    assert "".join(parts) == emoji
    paragraphs = "a" * 3000 + "\n\n" + "b" * 3000
    assert split_text(paragraphs) == ["a" * 3000, "b" * 3000]


def test_callback_data_fits_in_64_bytes_for_every_keyboard() -> None:
    largest = 2**31 - 1
    every = [
        keyboards.problem_keyboard("bn", largest, largest, next_hint=3),
        keyboards.problem_keyboard("en", largest, largest, next_hint=None),
        keyboards.practice_keyboard("bn"),
        keyboards.practice_keyboard("en", again=True),
        keyboards.grade_keyboard("bn"),
        keyboards.grade_keyboard("en"),
        keyboards.language_keyboard(),
    ]
    for keyboard in every:
        for button in keyboards.buttons(keyboard):
            assert 1 <= len(button.data.encode()) <= MAX_CALLBACK_BYTES
            assert keyboards.parse(button.data) is not None
    assert keyboards.parse(f"h:{largest}:{largest}") == ProblemAction("hint", largest, largest)
    assert keyboards.parse("s:3:9") == ProblemAction("skip", 3, 9)
    assert keyboards.parse("n") == NewSession()
    assert keyboards.parse("g:8") == ChooseGrade(8)
    assert keyboards.parse("l:en") == ChooseLanguage("en")
    for junk in ("", None, "g:9", "h:1", "h:1:2:3:4", "h:1:2:0", "x" * 64, "l:fr", "h:-1:2"):
        assert keyboards.parse(junk) is None
    with pytest.raises(ValueError):
        Button("too long", "h:" + "9" * 63)


async def test_token_bucket_spreads_a_burst_at_the_rate() -> None:
    now = [0.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    bucket = TokenBucket(10, capacity=2, clock=lambda: now[0], sleep=sleep)
    for _ in range(6):
        await bucket.acquire()
    assert now[0] == pytest.approx(0.4)  # 2 at once, then one every 0.1 s


async def test_bulk_sends_keep_one_second_per_chat_and_429_halts_everyone() -> None:
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds
        await asyncio.sleep(0)

    limiter = DarsRateLimiter(1000, clock=lambda: now[0], sleep=sleep)
    sent: list[tuple[float, int]] = []

    async def send(chat_id: int) -> bool:
        sent.append((now[0], chat_id))
        return True

    for chat_id in (1, 1, 2, 1):
        await limiter.process_request(send, (chat_id,), {}, "sendMessage", {"chat_id": chat_id}, "bulk")
    per_chat_1 = [at for at, chat in sent if chat == 1]
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(per_chat_1))

    failures = [RetryAfter(3)]

    async def flaky() -> bool:
        if failures:
            raise failures.pop()
        return True

    start = now[0]
    assert await limiter.process_request(flaky, (), {}, "sendMessage", {"chat_id": 5}, None) is True
    assert now[0] - start >= 3.0
    # A callback answer is not a message: it never waits for tokens.
    assert await limiter.process_request(flaky, (), {}, "answerCallbackQuery", {}, None) is True
