"""Messages that are not plain new text: a photo with a caption, and an edit of a message already sent."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from src.bot.fake import ApiCall, FakeStudent
from src.bot.messages import bengali_digits
from src.database import get_session
from src.models import Response
from tests.bot.conftest import Bot, answer_in, last_word, texts_shown
from tests.factories import make_student


async def _practising(bot: Bot, user_id: int, language: str) -> tuple[FakeStudent, str]:
    """A registered student with problem 1 open; returns the student and the problem's message."""
    async with get_session() as db:
        await make_student(db, telegram_id=user_id, name="Mitu", grade=7, language=language)
    mitu = bot.student(user_id, first_name="Mitu")
    [first] = await bot.say(mitu, "/practice")
    return mitu, first


async def _responses() -> int:
    async with get_session() as db:
        return (await db.execute(select(func.count()).select_from(Response))).scalar_one()


def _sent(calls: list[ApiCall]) -> list[str]:
    return [call.text for call in calls if call.method == "sendMessage"]


@pytest.mark.parametrize(
    ("language", "correct", "next_problem"),
    [("en", "✅ Exactly right!", "📝 Problem 2 of 5"), ("bn", "✅ একদম ঠিক!", "📝 প্রশ্ন ২/৫")],
    ids=["en", "bn"],
)
async def test_a_photo_captioned_with_the_answer_is_graded(
    bot: Bot, problems: dict[str, str], language: str, correct: str, next_problem: str
) -> None:
    mitu, first = await _practising(bot, 5101 if language == "en" else 5102, language)

    calls = await bot.deliver(mitu.photo(caption=answer_in(first, problems)))

    [next_one] = _sent(calls)  # the verdict and the next problem, one message
    assert next_one.startswith(correct) and f"\n\n{next_problem}\n\n" in next_one
    assert await _responses() == 1


async def test_a_photo_without_a_caption_asks_for_the_answer_typed(
    bot: Bot, problems: dict[str, str]
) -> None:
    mitu, _ = await _practising(bot, 5103, "bn")

    calls = await bot.deliver(mitu.photo())

    [asked] = texts_shown(calls)  # on the problem's message, under the question
    assert last_word(asked) == "তোমার উত্তরটা ঠিক বুঝতে পারলাম না। শুধু উত্তরটা লিখে পাঠাও — যেমন ১২, ৩/৪ বা x = ৫।"
    assert await _responses() == 0


@pytest.mark.parametrize(
    ("language", "reply"),
    [
        (
            "en",
            "I can't see changes to a message once it is sent. "
            "Please send your answer again as a new message.",
        ),
        ("bn", "পাঠানো মেসেজ এডিট করলে আমি সেটা দেখতে পাই না। উত্তরটা নতুন একটা মেসেজে আবার লিখে পাঠাও।"),
    ],
    ids=["en", "bn"],
)
async def test_an_edited_answer_is_not_graded_and_the_student_is_told_to_send_it_again(
    bot: Bot, problems: dict[str, str], language: str, reply: str
) -> None:
    mitu, first = await _practising(bot, 5104 if language == "en" else 5105, language)
    wrong = mitu.message("999")
    await bot.deliver(wrong)
    right = answer_in(first, problems)

    calls = await bot.deliver(mitu.edited(right, message_id=wrong["message"]["message_id"]))

    assert _sent(calls) == [reply]
    assert await _responses() == 1  # only the first "999": the edit was no second attempt
    # Sent again as a new message, the answer counts.
    [correct] = await bot.say(mitu, bengali_digits(right) if language == "bn" else right)
    assert correct.startswith("✅")
    assert await _responses() == 2
