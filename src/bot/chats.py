"""Bot state in PostgreSQL: seen update ids (exactly-once), chats, reachability and daily reminders."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from src.driver import driver
from src.models import BotChat, SessionStatus, Streak, Student, TelegramUpdate
from src.models import Session as PracticeSession

# Every update runs these: on the session's asyncpg connection (src/driver.py), not through SQLAlchemy's
# statement machinery, which was a quarter of an update's CPU (bench/README.md).
_CLAIM_UPDATE = """
INSERT INTO telegram_updates (update_id, chat_id) VALUES ($1, $2)
ON CONFLICT (update_id) DO NOTHING RETURNING update_id"""
_REMEMBER_PROBLEM_MESSAGE = "UPDATE bot_chats SET draft = draft || $2::text::jsonb WHERE chat_id = $1"


async def claim_update(db: AsyncSession, update_id: int, chat_id: int | None) -> bool:
    """True the first time this update_id is seen. Run it first in the update's own transaction:
    a concurrent duplicate blocks on the primary key until the first commits, then gets no row."""
    claimed = await (await driver(db)).fetchval(_CLAIM_UPDATE, update_id, chat_id)
    return claimed is not None


# Telegram gives up on an update after 24 hours, so no duplicate of an older one can arrive. And after a
# week of silence update ids restart at a random value: an id kept for ever could make a new update look
# handled. Two days is a safe margin either way.
HANDLED_UPDATES_KEPT = timedelta(days=2)
FORGET_BATCH = 10_000  # rows a pass deletes at most: a short transaction, whatever the backlog


async def forget_old_updates(db: AsyncSession, *, now: datetime | None = None) -> int:
    """Delete handled update ids older than HANDLED_UPDATES_KEPT, FORGET_BATCH at most; returns how many."""
    before = (now or datetime.now(UTC)) - HANDLED_UPDATES_KEPT
    oldest = (
        select(TelegramUpdate.update_id)
        .where(TelegramUpdate.received_at < before)
        .order_by(TelegramUpdate.received_at)
        .limit(FORGET_BATCH)
    )
    result = await db.execute(
        delete(TelegramUpdate)
        .where(TelegramUpdate.update_id.in_(oldest.scalar_subquery()))
        .returning(TelegramUpdate.update_id)
    )
    return len(result.all())


async def open_chat(db: AsyncSession, chat_id: int, telegram_user_id: int) -> BotChat:
    """The chat's row, created on first contact and locked for the rest of the update's transaction."""
    await db.execute(
        insert(BotChat)
        .values(chat_id=chat_id, telegram_user_id=telegram_user_id)
        .on_conflict_do_nothing(index_elements=[BotChat.chat_id])
    )
    chat = (
        await db.execute(
            select(BotChat)
            .where(BotChat.chat_id == chat_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one()
    return chat


@dataclass(frozen=True)
class Reach:
    language: str
    blocked: bool


async def reach(db: AsyncSession, chat_id: int) -> Reach | None:
    """Whether a chat can be messaged, and in which language: its student's (they may have changed it in
    the Mini App, which the chat's own language does not follow), else the chat's. None: no such chat."""
    row = (
        await db.execute(
            select(func.coalesce(Student.language, BotChat.language), BotChat.blocked)
            .select_from(BotChat)
            .outerjoin(Student, Student.student_id == BotChat.student_id)
            .where(BotChat.chat_id == chat_id)
        )
    ).first()
    return None if row is None else Reach(language=row[0], blocked=row[1])


async def set_blocked(db: AsyncSession, chat_id: int, blocked: bool) -> None:
    """Remember whether the student has blocked the bot (403 on send, or a my_chat_member update)."""
    await db.execute(update(BotChat).where(BotChat.chat_id == chat_id).values(blocked=blocked))


@dataclass(frozen=True)
class ReminderTarget:
    chat_id: int
    student_id: int
    name: str
    language: str
    streak: int  # the current streak, alive as of yesterday (0 if broken)


async def reminder_targets(
    db: AsyncSession, today: date, now: datetime, *, limit: int = 1000
) -> list[ReminderTarget]:
    """Registered, reachable students not yet reminded today who have not practised today and have no
    session open right now."""
    yesterday = date.fromordinal(today.toordinal() - 1)
    open_session = exists().where(
        PracticeSession.student_id == Student.student_id,
        PracticeSession.status == SessionStatus.IN_PROGRESS,
        PracticeSession.expires_at > now,
    )
    rows = (
        await db.execute(
            select(
                BotChat.chat_id,
                Student.student_id,
                Student.name,
                Student.language,
                Streak.current_streak,
                Streak.last_practice_date,
            )
            .join(Student, Student.student_id == BotChat.student_id)
            .outerjoin(Streak, Streak.student_id == Student.student_id)
            .where(
                BotChat.blocked.is_(False),
                or_(BotChat.last_reminder_on.is_(None), BotChat.last_reminder_on != today),
                or_(Streak.last_practice_date.is_(None), Streak.last_practice_date != today),
                ~open_session,
            )
            .order_by(BotChat.chat_id)
            .limit(limit)
        )
    ).all()
    return [
        ReminderTarget(
            chat_id,
            student_id,
            name,
            language,
            (current or 0) if last == yesterday else 0,
        )
        for chat_id, student_id, name, language, current, last in rows
    ]


async def claim_reminder(db: AsyncSession, chat_id: int, today: date) -> bool:
    """Atomically take today's reminder for this chat; of two workers racing, exactly one gets True."""
    claimed = (
        await db.execute(
            update(BotChat)
            .where(
                and_(
                    BotChat.chat_id == chat_id,
                    BotChat.blocked.is_(False),
                    BotChat.last_reminder_on.is_distinct_from(today),
                )
            )
            .values(last_reminder_on=today)
            .returning(BotChat.chat_id)
        )
    ).scalar_one_or_none()
    return claimed is not None


# draft key: [session_id, problem_id, message_id, 1 while it is the bot's last message in the chat]
PROBLEM_MESSAGE = "problem_message"


async def remember_problem_message(db: AsyncSession, chat_id: int, ref: tuple[int, int, int]) -> None:
    """After a problem's message was sent (its id is only known then): the message later hints and verdicts
    on that problem edit. One statement, in a transaction of its own, after the update's commit."""
    change = json.dumps({PROBLEM_MESSAGE: [*ref, 1]})
    await (await driver(db)).execute(_REMEMBER_PROBLEM_MESSAGE, chat_id, change)
