"""The periodic job that marks expired sessions abandoned and forgets old Telegram update ids, run by the
API's lifespan."""

from __future__ import annotations

import asyncio
import logging

from src.bot import chats
from src.database import get_session
from src.practice import service

logger = logging.getLogger(__name__)


async def expire_once() -> int:
    """One pass in its own transaction; returns how many sessions were abandoned."""
    async with get_session() as db:
        return await service.expire_sessions(db)


async def forget_updates_once() -> int:
    """One pass in its own transaction; returns how many handled update ids were forgotten."""
    async with get_session() as db:
        return await chats.forget_old_updates(db)


async def expire_periodically(interval_seconds: float) -> None:
    """Expire sessions, and forget old update ids, every `interval_seconds` until cancelled; a failed pass is
    logged, not fatal."""
    while True:
        try:
            expired = await expire_once()
            if expired:
                logger.info("marked %d expired session(s) abandoned", expired)
        except Exception:  # CancelledError is not an Exception: shutdown still stops the loop
            logger.exception("expiring sessions failed; retrying in %.0f s", interval_seconds)
        try:
            forgotten = await forget_updates_once()
            if forgotten:
                logger.info("forgot %d Telegram update id(s) handled over two days ago", forgotten)
        except Exception:
            logger.exception(
                "forgetting old Telegram update ids failed; retrying in %.0f s", interval_seconds
            )
        await asyncio.sleep(interval_seconds)
