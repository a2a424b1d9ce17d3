"""Classes from the bot: `/class CODE` joins, `/leave` leaves, `/teacher` sends a one-time sign-in link."""

from __future__ import annotations

import re

from sqlalchemy import select

from src.api.dependencies import clock
from src.classes import service as classes
from src.database import get_session
from src.models import ClassMembership, SchoolClass
from tests.bot.conftest import Bot
from tests.factories import make_student
from tests.web.conftest import csrf_of


async def a_class(name: str = "7 B", teacher_telegram_id: int = 880001) -> SchoolClass:
    async with get_session() as db:
        teacher = await classes.add_teacher(db, telegram_id=teacher_telegram_id, name="Ms Ayesha")
        return await classes.create_class(db, teacher.teacher_id, name, 7)


async def members(class_id: int) -> list[int]:
    async with get_session() as db:
        rows = await db.execute(
            select(ClassMembership.student_id).where(ClassMembership.class_id == class_id)
        )
        return list(rows.scalars())


async def student(bot: Bot, telegram_id: int, language: str) -> tuple[object, int]:
    async with get_session() as db:
        row = await make_student(db, telegram_id=telegram_id, name="Mitu", language=language)
    return bot.student(telegram_id, first_name="Mitu"), row.student_id


async def test_a_bengali_student_joins_and_leaves_a_class(bot: Bot) -> None:
    school_class = await a_class()
    mitu, mitu_id = await student(bot, 6101, "bn")
    # Typed as a student might: lower case, a space inside.
    typed = f"{school_class.join_code[:3].lower()} {school_class.join_code[3:]}"
    [reply] = await bot.say(mitu, f"/class {typed}")  # type: ignore[arg-type]
    assert "তুমি Ms Ayesha-এর ক্লাস “7 B”-এ যোগ দিয়েছ" in reply
    assert f"/leave {school_class.join_code}" in reply
    assert await members(school_class.class_id) == [mitu_id]

    [again] = await bot.say(mitu, f"/class {school_class.join_code}")  # type: ignore[arg-type]
    assert "আগে থেকেই" in again
    [listed] = await bot.say(mitu, "/class")  # type: ignore[arg-type]
    assert "তুমি যে ক্লাসগুলোতে আছ" in listed and school_class.join_code in listed

    [gone] = await bot.say(mitu, "/leave")  # type: ignore[arg-type]
    assert "“7 B” ক্লাস থেকে বের হয়ে গেছ" in gone
    assert await members(school_class.class_id) == []
    [none] = await bot.say(mitu, "/leave")  # type: ignore[arg-type]
    assert none == "তুমি এখন কোনো ক্লাসে নেই।"


async def test_an_english_student_is_told_about_a_wrong_code(bot: Bot) -> None:
    school_class = await a_class()
    rahim, _ = await student(bot, 6102, "en")
    [reply] = await bot.say(rahim, "/class ZZZZZZ")  # type: ignore[arg-type]
    assert reply.startswith("No class has the code “ZZZZZZ”.")
    [how] = await bot.say(rahim, "/class")  # type: ignore[arg-type]
    assert how.startswith("To join your teacher's class")
    await bot.say(rahim, f"/class {school_class.join_code}")  # type: ignore[arg-type]
    [which] = await bot.say(rahim, "/leave ZZZZZZ")  # type: ignore[arg-type]
    assert which == "You are not in a class with the code “ZZZZZZ”."
    [gone] = await bot.say(rahim, f"/leave {school_class.join_code}")  # type: ignore[arg-type]
    assert gone.startswith("You left the class “7 B”.")


async def test_an_unregistered_student_is_asked_to_register_first(bot: Bot) -> None:
    school_class = await a_class()
    stranger = bot.student(6103)
    [reply] = await bot.say(stranger, f"/class {school_class.join_code}")
    assert "/start" in reply
    assert await members(school_class.class_id) == []


async def test_a_teacher_gets_a_one_time_sign_in_link(bot: Bot) -> None:
    await a_class(teacher_telegram_id=880002)
    teacher = bot.student(880002, first_name="Ayesha")
    [reply] = await bot.say(teacher, "/teacher")
    assert "একবারই, ১০ মিনিটের জন্য" in reply
    found = re.search(r"https?://\S+/teach/login/(\S+)", reply)
    assert found is not None, reply
    token = found.group(1)
    bot.app.dependency_overrides[clock] = lambda: bot.clock.now  # the pages see the bot's time

    page = await bot.client.get(f"/teach/login/{token}")
    assert page.status_code == 200  # opening the link (or its preview) signs nobody in yet
    signed = await bot.client.post("/teach/login", data={"token": token, "csrf_token": csrf_of(page.text)})
    assert signed.status_code == 303 and signed.headers["location"] == "/teach/"
    assert "dars_teach=" in signed.headers["set-cookie"] and "Path=/teach" in signed.headers["set-cookie"]
    classes_page = await bot.client.get("/teach/")
    assert classes_page.status_code == 200 and "7 B" in classes_page.text

    bot.client.cookies.clear()
    page = await bot.client.get(f"/teach/login/{token}")
    assert page.status_code == 401  # used once: gone


async def test_the_sign_in_link_expires_within_minutes(bot: Bot) -> None:
    await a_class(teacher_telegram_id=880004)
    [reply] = await bot.say(bot.student(880004), "/teacher")
    found = re.search(r"/teach/login/(\S+)", reply)
    assert found is not None
    bot.app.dependency_overrides[clock] = lambda: bot.clock.now
    bot.clock.advance(minutes=10, seconds=1)
    page = await bot.client.get(f"/teach/login/{found.group(1)}")
    assert page.status_code == 401 and "/teacher" in page.text


async def test_someone_who_is_not_a_teacher_is_told_how_to_become_one(bot: Bot) -> None:
    someone = bot.student(880003)
    [reply] = await bot.say(someone, "/teacher")
    assert "শিক্ষক হিসেবে যুক্ত নেই" in reply and "৮৮০০০৩" in reply
