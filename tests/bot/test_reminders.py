"""Daily reminders: at the reminder time, once a day, only to reachable students who have not practised."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from src.api.app import create_app
from src.bot.fake import FakeBotApi
from src.bot.reminders import send_due_reminders
from src.bot.webhook import BotOverrides
from src.database import get_session
from src.models import BotChat, Streak, Student
from tests.bot.conftest import Bot, bot_settings, chat_row, fake_request
from tests.bot.test_webhook import registered
from tests.factories import make_student

TODAY = date(2026, 5, 1)
EVENING = datetime(2026, 5, 1, 12, 5, tzinfo=UTC)  # 18:05 in Dhaka


async def set_streak(telegram_id: int, current: int, last: date) -> None:
    async with get_session() as db:
        student = (await db.execute(select(Student).where(Student.telegram_id == telegram_id))).scalar_one()
        db.add(
            Streak(
                student_id=student.student_id,
                current_streak=current,
                longest_streak=current,
                last_practice_date=last,
            )
        )


async def test_reminders_are_sent_once_a_day_to_those_who_have_not_practised(bot: Bot) -> None:
    practised = bot.student(8001, first_name="Anik")
    waiting = bot.student(8002, first_name="Borna")
    blocked = bot.student(8003, first_name="Chaya")
    half = bot.student(8004, first_name="Dipu")
    for student in (practised, waiting, blocked):
        await registered(bot, student, language="বাংলা")
    await bot.say(half, "/start")  # never finished registering: not a student, no reminder
    await set_streak(8001, 4, TODAY)
    await set_streak(8002, 3, TODAY - timedelta(days=1))
    await bot.deliver(blocked.member_status("kicked"))
    telegram = bot.runtime.application.bot
    settings = bot_settings()
    bot.fake.clear()

    assert (
        await send_due_reminders(telegram, EVENING - timedelta(minutes=10), settings=settings) == 0
    )  # 17:55
    assert bot.fake.calls == []
    assert await send_due_reminders(telegram, EVENING, settings=settings) == 1
    [reminder] = bot.fake.sent()
    assert reminder.chat_id == waiting.chat_id
    assert reminder.text.startswith("Borna, আজকের ৫টি প্রশ্ন তোমার জন্য অপেক্ষা করছে!")
    assert "টানা ৩ দিনের" in reminder.text
    assert reminder.buttons == [("▶️ আজকের অনুশীলন", "n")]
    chat = await chat_row(waiting.chat_id)
    assert chat is not None and chat.last_reminder_on == TODAY

    # Later the same evening: nobody is reminded twice. Late at night: nobody is woken.
    assert await send_due_reminders(telegram, EVENING + timedelta(hours=1), settings=settings) == 0
    assert await send_due_reminders(telegram, EVENING + timedelta(hours=5), settings=settings) == 0
    assert len(bot.fake.sent()) == 1

    # The reminder's button starts the practice (here: the kind word that no problems are loaded yet).
    [reply] = await bot.press(waiting, "n")
    assert reply.startswith("দুঃখিত, তোমার শ্রেণির প্রশ্নগুলো এখনো তৈরি হয়নি")


async def test_two_workers_never_send_the_same_reminder(bot: Bot) -> None:
    students = [bot.student(8100 + n, first_name=f"S{n}") for n in range(6)]
    for student in students:
        await registered(bot, student)
    bot.fake.clear()
    telegram = bot.runtime.application.bot
    settings = bot_settings()
    counts = await asyncio.gather(
        *(send_due_reminders(telegram, EVENING, settings=settings) for _ in range(3))
    )
    assert sum(counts) == 6
    assert sorted(call.chat_id or 0 for call in bot.fake.sent()) == [s.chat_id for s in students]
    # The next day, everyone is due again.
    next_day = EVENING + timedelta(days=1)
    assert await send_due_reminders(telegram, next_day, settings=settings) == 6


async def test_a_reminder_to_a_student_who_blocked_the_bot_marks_them(bot: Bot) -> None:
    gone = bot.student(8201, first_name="Gopa")
    await registered(bot, gone)
    bot.fake.block(gone.chat_id)
    telegram = bot.runtime.application.bot
    assert await send_due_reminders(telegram, EVENING, settings=bot_settings()) == 0
    chat = await chat_row(gone.chat_id)
    assert chat is not None and chat.blocked
    bot.fake.clear()
    assert await send_due_reminders(telegram, EVENING + timedelta(days=1), settings=bot_settings()) == 0
    assert bot.fake.calls == []  # never messaged again until they write


async def test_the_reminder_loop_runs_with_the_bot(committed: None) -> None:
    async with get_session() as db:
        student = await make_student(db, telegram_id=8301, name="Hasi", language="en")
        db.add(BotChat(chat_id=8301, telegram_user_id=8301, student_id=student.student_id))
    fake = FakeBotApi()
    app = create_app(expiry_interval_seconds=0)
    app.state.telegram_overrides = BotOverrides(
        settings=bot_settings(), request=fake_request(fake), clock=lambda: EVENING, reminders=True
    )
    async with app.router.lifespan_context(app):
        runtime = app.state.telegram
        assert [task.get_name() for task in runtime.tasks] == ["dars-reminders"]
        for _ in range(200):
            if fake.sent(8301):
                break
            await asyncio.sleep(0.01)
    [reminder] = fake.sent(8301)
    assert reminder.text.startswith("Hasi, today's 5 problems are waiting for you!")
    assert runtime.tasks[0].cancelled()
