"""The periodic job that marks expired sessions abandoned and forgets old Telegram update ids, run by the
API's lifespan."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from src.bot import chats
from src.database import get_session
from src.jobs.runs import record_run
from src.outage import DATABASE, is_outage
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
        outcome = await _logged(
            expire_once, "marked %d expired session(s) abandoned", "expiring sessions", interval_seconds
        )
        await record_run("expiry", ok=isinstance(outcome, int), detail=str(outcome))  # for /admin health
        await _logged(
            forget_updates_once,
            "forgot %d Telegram update id(s) handled over two days ago",
            "forgetting old Telegram update ids",
            interval_seconds,
        )
        await asyncio.sleep(interval_seconds)


async def _logged(
    one_pass: Callable[[], Awaitable[int]], done: str, doing: str, interval_seconds: float
) -> int | str:
    """Run a pass; log what it did, or its failure (the loop goes on). Returns the count, or the name of
    the error."""
    try:
        count = await one_pass()
        if count:
            logger.info(done, count)
        return count
    except Exception as error:  # CancelledError is not an Exception: shutdown still stops the loop
        if is_outage(error):
            DATABASE.went_away(error)  # said once for the whole outage
        else:
            logger.exception("%s failed; retrying in %.0f s", doing, interval_seconds)
        return type(error).__name__
