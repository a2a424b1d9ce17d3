"""Telegram's limits and refusals: 403 blocked, 429 flood control, 400 not modified, 4096 chars, 64 bytes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine
from typing import Any

import pytest
from sqlalchemy import select, text
from telegram.error import RetryAfter

from src.bot import keyboards
from src.bot.fake import FakeStudent
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
from src.models import Response
from tests.bot.conftest import Bot, answer_in, chat_row, running_bot
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


async def test_flood_control_twice_is_obeyed_twice_and_the_reply_arrives(bot: Bot) -> None:
    """Replies go out after the commit, so a refused one cannot be left to Telegram's redelivery (it would
    be skipped as handled): the limiter waits out each retry_after and tries again."""
    babu = bot.student(7005, first_name="Babu")
    await registered(bot, babu)
    bot.fake.flood("sendMessage", retry_after=1, times=2)
    update = babu.message("/help")
    calls = await bot.deliver(update)
    assert [(c.method, c.status) for c in calls] == [("sendMessage", 429)] * 2 + [("sendMessage", 200)]
    assert calls[2].at - calls[0].at >= 2.0
    assert update["update_id"] in await seen_updates()


async def test_a_reply_telegram_keeps_refusing_is_given_up_and_the_work_is_kept(
    bot: Bot, problems: dict[str, str]
) -> None:
    """The update committed before its reply was tried: a reply that cannot be sent loses nothing else,
    and the webhook answers 200 (a redelivery would only be skipped)."""
    babu = bot.student(7013, first_name="Babu")
    await registered(bot, babu)
    [first] = await bot.say(babu, "/practice")
    bot.fake.fail_next("sendMessage", status=500, description="Internal Server Error")
    update = babu.message(answer_in(first, problems))
    response = await bot.post(update)
    assert response.status_code == 200
    assert update["update_id"] in await seen_updates()
    async with get_session() as db:
        assert len((await db.execute(select(Response))).all()) == 1  # the answer is recorded
    # No reply came (as when the process dies between the commit and the send): the student sends the
    # answer again. It is not graded against problem 2, which they have not seen: they are shown it.
    [resumed] = await bot.say(babu, answer_in(first, problems))
    assert resumed.startswith("Let's pick up where you left off.\n\n📝 Problem 2 of 5")
    async with get_session() as db:
        assert len((await db.execute(select(Response))).all()) == 1
    # And from there on as ever: a wrong try edits that message.
    [tried] = await bot.say(babu, "99991")
    assert tried.startswith("✅ Exactly right! Well done.\n\n📝 Problem 2 of 5") and tried.endswith(
        "You have 2 more tries. Take a 💡 hint if you need one."
    )


async def test_no_database_connection_is_held_while_telegram_answers(
    bot: Bot, problems: dict[str, str]
) -> None:
    """Every Bot API request of an update is made after its transaction ended: while the fake Bot API
    answers, the database shows no transaction of ours open."""
    rumi = bot.student(7014, first_name="Rumi")
    await registered(bot, rumi)
    open_during_calls: list[int] = []
    pending: list[asyncio.Task[None]] = []
    one_counter = asyncio.Lock()  # two counters at once would each see the other's transaction

    async def count_open_transactions() -> None:
        async with one_counter, get_session() as db:
            found = await db.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
                )
            )
            open_during_calls.append(found.scalar_one())

    bot.fake.latency = 0.2
    bot.fake.on_call = lambda call: pending.append(asyncio.create_task(count_open_transactions()))
    [first] = await bot.say(rumi, "/practice")
    await bot.say(rumi, "99991")  # a wrong answer: an edit
    await bot.say(rumi, answer_in(first, problems))  # the next problem, then its message id remembered
    await bot.deliver(rumi.press("n", message_id=1))  # a callback answer, then an edit
    bot.fake.on_call = None
    await asyncio.gather(*pending)
    assert len(open_during_calls) >= 5 and set(open_during_calls) == {0}


async def test_one_chats_flood_pauses_that_chat_only(bot: Bot) -> None:
    sumi, rafi = bot.student(7015, first_name="Sumi"), bot.student(7016, first_name="Rafi")
    await registered(bot, sumi)
    await registered(bot, rafi)
    bot.fake.fail_next(
        "sendMessage", status=429, description="Too Many Requests: retry after 2", retry_after=2,
        chat_id=sumi.chat_id,
    )  # fmt: skip
    refused = asyncio.Event()
    bot.fake.on_call = lambda call: refused.set() if call.chat_id == sumi.chat_id else None
    halted = asyncio.create_task(bot.post(sumi.message("/help")))
    await asyncio.wait_for(refused.wait(), timeout=5)

    [help_call] = [c for c in await bot.deliver(rafi.message("/help")) if c.method == "sendMessage"]

    first_try = next(call for call in bot.fake.calls if call.status == 429)
    assert help_call.status == 200 and help_call.at - first_try.at < 1.0  # Rafi did not wait for Sumi
    assert (await halted).status_code == 200
    retried = bot.fake.sent(sumi.chat_id)[-1]
    assert retried.status == 200 and retried.at - first_try.at >= 2.0
    assert bot.runtime.application.bot.rate_limiter.floods == 0  # type: ignore[union-attr]


async def test_a_flood_of_the_whole_bot_pauses_every_message(bot: Bot) -> None:
    """Refusals for several chats at once are the bot's limit: every message waits, even to a chat that
    was never refused, and no chat hammers Telegram meanwhile."""
    students = [bot.student(7020 + n, first_name=f"S{n}") for n in range(5)]
    for student in students:
        await registered(bot, student)
    late = bot.student(7030, first_name="Late")
    await registered(bot, late)
    bot.fake.flood_the_bot(seconds=0.5, retry_after=2)
    started = time.monotonic()
    answers = await asyncio.gather(*(bot.post(student.message("/help")) for student in students))
    # The bot-wide pause has begun: a chat Telegram never refused waits for its end too.
    late_answer = await bot.post(late.message("/help"))

    assert [a.status_code for a in [*answers, late_answer]] == [200] * 6
    refused = [call.chat_id for call in bot.fake.calls if call.status == 429]
    # Three chats refused make it the bot's limit; those sent later wait; nobody tries again meanwhile.
    assert 3 <= len(refused) == len(set(refused)) <= len(students)
    [late_call] = bot.fake.sent(late.chat_id)[-1:]
    assert late_call.status == 200 and late_call.at - started >= 2.0
    for student in students:
        assert bot.fake.sent(student.chat_id)[-1].status == 200
    assert bot.runtime.application.bot.rate_limiter.floods == 1  # type: ignore[union-attr]


async def test_a_burst_of_500_chats_is_answered_without_a_bot_wide_queue(problems: dict[str, str]) -> None:
    """500 students write at once (Telegram holds each chat's next update until the last is answered, and
    opens at most `max_connections` connections: 40 here). With the production pacing, no reply waits:
    each chat gets its one reply, the limiter never sleeps."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.sleep(seconds)

    async with running_bot(rate_limiter=DarsRateLimiter(sleep=sleep)) as harness:
        students = [FakeStudent(9_100_000 + n, first_name="Rafi") for n in range(500)]
        gate = asyncio.Semaphore(40)

        async def write(student: FakeStudent) -> int:
            async with gate:
                return (await harness.post(student.message("/start"))).status_code

        statuses = await asyncio.gather(*(write(student) for student in students))
        assert statuses == [200] * 500
        assert waits == []
        for student in students:
            [welcome] = harness.fake.texts(student.chat_id)
            assert "তোমার নাম কী" in welcome


async def test_pacing_by_chat_by_bulk_and_by_the_optional_cap() -> None:
    """Virtual time: each request's wait is recorded, not slept (the clock stands still)."""
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(round(seconds, 3))

    async def send() -> bool:
        return True

    def message(limiter: DarsRateLimiter, chat_id: int, bulk: bool = False) -> Coroutine[Any, Any, Any]:
        args = "bulk" if bulk else None
        return limiter.process_request(send, (), {}, "sendMessage", {"chat_id": chat_id}, args)

    limiter = DarsRateLimiter(clock=lambda: 0.0, sleep=record)
    # 500 chats at once: no reply waits.
    for chat_id in range(500):
        await message(limiter, chat_id)
    assert waits == []
    # One chat: a burst of 10, then one a second.
    for _ in range(9 + 3):
        await message(limiter, 0)
    assert waits == [1.0, 2.0, 3.0]
    waits.clear()
    # Reminders: 25 a second in all (and per chat); a reply in between waits for none of them.
    for chat_id in range(1000, 1050):
        await message(limiter, chat_id, bulk=True)
    assert len(waits) == 49 and waits[-1] == pytest.approx(49 / 25)
    waits.clear()
    await message(limiter, 2000)
    assert waits == []
    # The bot-wide reply cap, when an operator sets one: replies to 30 chats at 10/s.
    capped = DarsRateLimiter(reply_cap=10, clock=lambda: 0.0, sleep=record)
    for chat_id in range(30):
        await message(capped, chat_id)
    assert waits[-1] == pytest.approx(2.0)


async def test_a_429_is_waited_out_as_telegram_states_it() -> None:
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds
        await asyncio.sleep(0)

    limiter = DarsRateLimiter(clock=lambda: now[0], sleep=sleep)
    failures = [RetryAfter(3)]

    async def flaky() -> bool:
        if failures:
            raise failures.pop()
        return True

    assert await limiter.process_request(flaky, (), {}, "sendMessage", {"chat_id": 5}, None) is True
    assert now[0] == pytest.approx(3.0)
    # A callback answer is not a message: it never waits for a chat, and a 429 on it waits alone.
    failures.append(RetryAfter(2))
    assert await limiter.process_request(flaky, (), {}, "answerCallbackQuery", {}, None) is True
    assert now[0] == pytest.approx(5.0)
    # Past MAX_RETRY_AFTER, the wait is not slept through: the request fails.
    failures.append(RetryAfter(3600))
    with pytest.raises(RetryAfter):
        await limiter.process_request(flaky, (), {}, "sendMessage", {"chat_id": 6}, None)


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
