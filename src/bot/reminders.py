"""The daily reminder: at DARS_REMINDER_TIME (local, DARS_TIMEZONE), once, to students who have not practised.

Each chat's reminder is claimed with `UPDATE ... WHERE last_reminder_on IS DISTINCT FROM today RETURNING`
and committed before the message goes out, so two workers never both send it, and a crash after the claim
loses at most that one reminder (never sends it twice). Sends are bulk sends: paced per chat
and at DARS_TELEGRAM_BULK_RATE at most (ratelimit.py), so they never take a reply's turn. Reminders are
only sent in the few hours after the reminder time, so a restart late at night does not wake anyone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from telegram import Bot

from src.bot import chats, keyboards, messages
from src.bot.replies import Say
from src.bot.sending import send_replies
from src.config import Settings, get_settings
from src.database import get_session
from src.jobs.runs import record_run

logger = logging.getLogger(__name__)

REMINDER_WINDOW = timedelta(hours=3)
CHECK_INTERVAL_SECONDS = 60.0


def reminders_due(now: datetime, settings: Settings) -> bool:
    local = now.astimezone(settings.timezone)
    start = datetime.combine(local.date(), settings.reminder_time, tzinfo=settings.timezone)
    return start <= local < start + REMINDER_WINDOW


async def send_due_reminders(bot: Bot, now: datetime, *, settings: Settings | None = None) -> int:
    """Send today's reminders that are due at `now`; returns how many were delivered."""
    settings = settings or get_settings()
    if not reminders_due(now, settings):
        return 0
    today = now.astimezone(settings.timezone).date()
    async with get_session() as db:
        targets = await chats.reminder_targets(db, today, now)
    delivered = 0
    for target in targets:
        async with get_session() as db:
            if not await chats.claim_reminder(db, target.chat_id, today):
                continue  # another worker took it, or the student blocked the bot meanwhile
        reminder = Say(
            messages.reminder(target.language, target.name, target.streak),
            keyboards.practice_keyboard(target.language),
        )
        try:
            outcome = await send_replies(bot, target.chat_id, [reminder], bulk=True)
        except Exception:
            logger.exception("reminder to chat %s failed", target.chat_id)
            continue
        if outcome.blocked:
            async with get_session() as db:
                await chats.set_blocked(db, target.chat_id, True)
        else:
            delivered += 1
    if targets:
        logger.info("reminders: %d of %d delivered", delivered, len(targets))
    return delivered


async def reminder_loop(
    bot: Bot, *, clock: Callable[[], datetime], interval_seconds: float = CHECK_INTERVAL_SECONDS
) -> None:
    """Check for due reminders every `interval_seconds` until cancelled; a failed pass is logged."""
    while True:
        try:
            delivered = await send_due_reminders(bot, clock())
            await record_run("reminders", ok=True, detail=str(delivered))  # for the operators' health page
        except Exception as error:  # CancelledError is not an Exception: shutdown still stops the loop
            logger.exception("sending reminders failed; trying again in %.0f s", interval_seconds)
            await record_run("reminders", ok=False, detail=type(error).__name__)
        await asyncio.sleep(interval_seconds)
