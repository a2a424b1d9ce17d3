"""Inline buttons tapped twice, from old messages or with forged data: no second effect, no crash."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from src.bot import keyboards
from src.bot.fake import ApiCall, FakeStudent
from src.bot.keyboards import ProblemAction
from src.database import get_session
from src.models import HintView, Response
from tests.bot.conftest import Bot
from tests.factories import make_student


async def _practising(bot: Bot, user_id: int) -> FakeStudent:
    async with get_session() as db:
        await make_student(db, telegram_id=user_id, name="Tania", grade=7, language="en")
    tania = bot.student(user_id, first_name="Tania")
    await bot.say(tania, "/practice")
    return tania


async def _hints_shown() -> list[int]:
    async with get_session() as db:
        return list((await db.scalars(select(HintView.hint_number).order_by(HintView.hint_number))).all())


def _sent(calls: list[ApiCall]) -> list[str]:
    return [call.text for call in calls if call.method == "sendMessage"]


def _hint_edit(calls: list[ApiCall], message_id: int) -> str:
    """The one reply to a hint: the problem's message edited, with the hint under the question."""
    [edit] = [call for call in calls if call.method != "answerCallbackQuery"]
    assert (edit.method, edit.params["message_id"]) == ("editMessageText", message_id)
    return edit.text


async def test_a_hint_button_tapped_twice_gives_one_hint(bot: Bot, problems: dict[str, str]) -> None:
    tania = await _practising(bot, 7101)
    shown = bot.fake.last_with_buttons(tania.chat_id)
    hint_data = shown.buttons[0][1]
    offered = keyboards.parse(hint_data)
    assert shown.message_id is not None
    assert isinstance(offered, ProblemAction) and offered.hint_number == 1  # the button says which hint

    first = await bot.deliver(tania.press(hint_data, message_id=shown.message_id))
    second = await bot.deliver(tania.press(hint_data, message_id=shown.message_id))

    text = _hint_edit(first, shown.message_id)
    assert text.startswith("📝 Problem 1 of 5") and text.endswith(
        "💡 Hint 1 of 3: Hint 1\n\nType your answer and send it."
    )
    # The second tap finds its hint shown: the message's buttons already offer hint 2, so nothing changes.
    assert [call.method for call in second] == ["answerCallbackQuery", "editMessageReplyMarkup"]
    assert await _hints_shown() == [1]
    # The message now offers the next hint, which still works, and keeps the first under the question.
    [text] = await bot.press(tania, "💡 Hint")
    assert "💡 Hint 1 of 3: Hint 1\n💡 Hint 2 of 3: Hint 2\n\n" in text


async def test_two_taps_in_flight_at_once_give_one_hint(bot: Bot, problems: dict[str, str]) -> None:
    tania = await _practising(bot, 7102)
    shown = bot.fake.last_with_buttons(tania.chat_id)
    assert shown.message_id is not None
    taps = [tania.press(shown.buttons[0][1], message_id=shown.message_id) for _ in range(2)]
    answers = await asyncio.gather(*(bot.post(tap) for tap in taps))
    assert [answer.status_code for answer in answers] == [200, 200]
    assert await _hints_shown() == [1]


async def test_a_hint_button_sent_before_hints_were_numbered_still_gives_the_next_hint(
    bot: Bot, problems: dict[str, str]
) -> None:
    tania = await _practising(bot, 7103)
    shown = bot.fake.last_with_buttons(tania.chat_id)
    assert shown.message_id is not None
    old_format = shown.buttons[0][1].rsplit(":", 1)[0]  # h:<session>:<problem>
    assert keyboards.parse(old_format) is not None

    calls = await bot.deliver(tania.press(old_format, message_id=shown.message_id))

    assert "💡 Hint 1 of 3: Hint 1" in _hint_edit(calls, shown.message_id)
    assert await _hints_shown() == [1]


@pytest.mark.parametrize("data", ["h:9999999999:1", "h:1:9999999999:1", "s:2147483648:1", "s:1:9999999999"])
async def test_ids_beyond_postgresql_integers_are_stale_buttons(
    bot: Bot, problems: dict[str, str], data: str
) -> None:
    tania = await _practising(bot, 7104)
    assert keyboards.parse(data) is None

    calls = await bot.deliver(tania.press(data, message_id=1))

    assert [call.method for call in calls] == ["answerCallbackQuery", "editMessageReplyMarkup"]
    async with get_session() as db:
        assert (await db.execute(select(Response))).all() == []


def test_the_largest_ids_still_parse_and_a_skip_carries_no_hint_number() -> None:
    largest = 2_147_483_647
    assert keyboards.parse(f"h:{largest}:{largest}:3") == ProblemAction("hint", largest, largest, 3)
    assert keyboards.parse(f"s:{largest}:{largest}") == ProblemAction("skip", largest, largest)
    assert keyboards.parse("s:1:1:2") is None


async def _hints_and_responses() -> tuple[list[int], int]:
    async with get_session() as db:
        responses = len((await db.execute(select(Response))).all())
    return await _hints_shown(), responses


async def _welcomed(bot: Bot, telegram_id: int, language: str) -> tuple[FakeStudent, int]:
    """A registered student who sent /start: the student, and the welcome message with its practice button."""
    async with get_session() as db:
        await make_student(db, telegram_id=telegram_id, name="Tania", grade=7, language=language)
    tania = bot.student(telegram_id, first_name="Tania")
    await bot.say(tania, "/start")
    welcome = bot.fake.last_with_buttons(tania.chat_id)
    assert welcome.message_id is not None and welcome.buttons[0][1] == keyboards.NEW_SESSION
    return tania, welcome.message_id


async def test_the_practice_button_tapped_twice_sends_the_problem_once(
    bot: Bot, problems: dict[str, str]
) -> None:
    tania, welcome_id = await _welcomed(bot, 7105, "en")

    # The second tap was sent before the first took the button away; it is handled after the first commits.
    first = await bot.deliver(tania.press(keyboards.NEW_SESSION, message_id=welcome_id))
    second = await bot.deliver(tania.press(keyboards.NEW_SESSION, message_id=welcome_id))

    assert [text.split("\n")[0] for text in _sent(first)] == ["📝 Problem 1 of 5"]
    assert [call.method for call in second] == ["answerCallbackQuery", "editMessageReplyMarkup"]
    # Typed, /practice still shows the problem again: the student asked for it.
    [resumed] = await bot.say(tania, "/practice")
    assert resumed.startswith("Let's pick up where you left off.\n\n📝 Problem 1 of 5")


async def test_two_practice_taps_in_flight_at_once_send_the_problem_once(
    bot: Bot, problems: dict[str, str]
) -> None:
    tania, welcome_id = await _welcomed(bot, 7106, "bn")
    taps = [tania.press(keyboards.NEW_SESSION, message_id=welcome_id) for _ in range(2)]

    answers = await asyncio.gather(*(bot.post(tap) for tap in taps))

    assert [answer.status_code for answer in answers] == [200, 200]
    problems_sent = [text for text in bot.fake.texts(tania.chat_id) if "📝 প্রশ্ন" in text]
    assert len(problems_sent) == 1 and problems_sent[0].startswith("📝 প্রশ্ন ১/৫")


@pytest.mark.parametrize("button", [0, 1], ids=["hint", "skip"])
async def test_an_expired_sessions_button_during_a_new_session_is_taken_away_quietly(
    bot: Bot, problems: dict[str, str], button: int
) -> None:
    tania = await _practising(bot, 7107)
    old = bot.fake.last_with_buttons(tania.chat_id)
    assert old.message_id is not None
    bot.clock.advance(minutes=40)  # the old session runs out of time
    [fresh] = await bot.say(tania, "/practice")
    assert fresh.startswith("📝 Problem 1 of 5")  # a new session, not a resumed one

    calls = await bot.deliver(tania.press(old.buttons[button][1], message_id=old.message_id))

    assert [call.method for call in calls] == ["answerCallbackQuery", "editMessageReplyMarkup"]
    assert await _hints_and_responses() == ([], 0)
    # Today's session goes on as if nothing had happened.
    [text] = await bot.press(tania, "💡 Hint")
    assert text.startswith("📝 Problem 1 of 5") and "💡 Hint 1 of 3: Hint 1" in text
