"""Issue 19 in the bot: a form nudge without a used try, a question answered with a hint."""

from __future__ import annotations

from sqlalchemy import func, select

from src.content.library import read_library
from src.content.loader import load_library
from src.database import get_session
from src.models import Response
from tests.bot.conftest import Bot, last_word
from tests.factories import make_student


async def _alone(problem_id: int) -> None:
    problem = next(p for p in read_library().problems if p.id == problem_id)
    async with get_session() as db:
        await load_library(db, [problem])


async def _responses() -> int:
    async with get_session() as db:
        return int((await db.scalar(select(func.count()).select_from(Response))) or 0)


async def test_the_right_value_in_another_form_gets_a_kind_nudge_in_english(bot: Bot) -> None:
    await _alone(7007)
    async with get_session() as db:
        await make_student(db, telegram_id=7201, name="Tuli", grade=7, language="en")
    tuli = bot.student(7201, first_name="Tuli")
    [problem] = await bot.say(tuli, "/practice")
    assert "mixed number" in problem
    [nudge] = await bot.say(tuli, "127/20")
    # The nudge is the problem message's last word (one message per problem: it is edited in place).
    assert last_word(nudge) == "👍 Right value! Now write it as a mixed number. This did not use up a try."
    [hint] = await bot.say(tuli, "why 6 7/20?")  # a question: the first hint, not a verdict
    assert "💡 Hint 1 of 3:" in hint
    assert await _responses() == 0
    [done] = await bot.say(tuli, "6 7/20")  # the verdict travels with the summary
    assert done.startswith("✅ Exactly right! Well done.")


async def test_the_right_value_in_another_form_gets_a_kind_nudge_in_bengali(bot: Bot) -> None:
    await _alone(7030)
    async with get_session() as db:
        await make_student(db, telegram_id=7202, name="Mitu", grade=7, language="bn")
    mitu = bot.student(7202, first_name="Mitu")
    await bot.say(mitu, "/practice")
    [nudge] = await bot.say(mitu, "(x+5)²")
    assert last_word(nudge) == "👍 ঠিক মান! এবার বন্ধনী খুলে সদৃশ পদগুলো একত্র করে লেখো। এতে তোমার কোনো চেষ্টা কমেনি।"
    [hint] = await bot.say(mitu, "কেন?")
    assert "💡 ইঙ্গিত ১/৩:" in hint
    assert await _responses() == 0


async def test_the_common_wrong_answer_gets_the_teachers_nudge(bot: Bot) -> None:
    await _alone(7011)
    async with get_session() as db:
        await make_student(db, telegram_id=7203, name="Mitu", grade=7, language="bn")
    mitu = bot.student(7203, first_name="Mitu")
    await bot.say(mitu, "/practice")
    [reply] = await bot.say(mitu, "২০%")
    reply = last_word(reply)
    assert reply.startswith("❌ এবার হয়নি") and "আরও ২ বার" in reply
    assert reply.endswith("👉 শতকরা লাভ ক্রয়মূল্যের উপর হিসাব করা হয়, বিক্রয়মূল্যের উপর নয়।")
    assert await _responses() == 1
