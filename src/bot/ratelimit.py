"""Staying inside Telegram's flood limits: an async token bucket, and PTB's rate-limiter hook built on it.

Every message the bot sends or edits waits for a token of the global bucket (DARS_TELEGRAM_GLOBAL_RATE per
second, Telegram allows about 30). Bulk sends (reminders, rate_limit_args="bulk") also keep one message per
second per chat and take at most 80% of the global rate, so students' replies always find tokens. A 429
on a message halts every message for its retry_after (we cannot tell a chat's limit from the bot's), then
the message is tried once more. Other requests never wait behind that halt: a callback query must be
answered within seconds, and answering one is not a message; a 429 on one waits out its own retry_after.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

logger = logging.getLogger(__name__)

BULK = "bulk"
BULK_SHARE = 0.8
PER_CHAT_INTERVAL = 1.0  # seconds between two bulk messages to one chat
MAX_RETRY_AFTER = 60.0  # a longer flood wait is not slept through: the request fails

_EPSILON = 1e-6

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


def retry_after_seconds(error: RetryAfter) -> float:
    """RetryAfter.retry_after is an int or a timedelta depending on PTB_TIMEDELTA; read either quietly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: Any = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TokenBucket:
    """`rate` tokens a second, bursts up to `capacity`; waiters are served first come, first served."""

    def __init__(
        self,
        rate: float,
        capacity: float | None = None,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = capacity if capacity is not None else max(1.0, rate)
        self._tokens = self.capacity
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self._clock()
                self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
                self._updated = now
                if self._tokens >= 1 - _EPSILON:  # tolerance: float arithmetic must not spin forever
                    self._tokens = max(0.0, self._tokens - 1)
                    return
                await self._sleep((1 - self._tokens) / self.rate)


def _is_message(endpoint: str) -> bool:
    # Sending and editing count against the flood limits; answering callbacks, getMe, setWebhook do not
    # (and a callback answer must never wait behind a queue of reminders).
    return endpoint.startswith(("send", "edit", "copy", "forward"))


class DarsRateLimiter(BaseRateLimiter[str]):
    def __init__(
        self,
        global_rate: float,
        *,
        per_chat_interval: float = PER_CHAT_INTERVAL,
        max_retry_after: float = MAX_RETRY_AFTER,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.global_bucket = TokenBucket(global_rate, clock=clock, sleep=sleep)
        self.bulk_bucket = TokenBucket(global_rate * BULK_SHARE, capacity=1, clock=clock, sleep=sleep)
        self.per_chat_interval = per_chat_interval
        self.max_retry_after = max_retry_after
        self._clock = clock
        self._sleep = sleep
        self._halted_until = 0.0
        self._next_bulk: dict[object, float] = {}

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def _wait_for_halt(self) -> None:
        while (delay := self._halted_until - self._clock()) > _EPSILON:
            await self._sleep(delay)

    async def _space_bulk(self, chat_id: object) -> None:
        now = self._clock()
        if len(self._next_bulk) > 10_000:  # forget chats whose spacing has long passed
            self._next_bulk = {key: at for key, at in self._next_bulk.items() if at > now}
        at = max(now, self._next_bulk.get(chat_id, 0.0))
        self._next_bulk[chat_id] = at + self.per_chat_interval
        if at > now:
            await self._sleep(at - now)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        limited = _is_message(endpoint)
        if limited and rate_limit_args == BULK:
            await self._space_bulk(data.get("chat_id"))
            await self.bulk_bucket.acquire()
        for attempt in (1, 2):
            if limited:
                await self._wait_for_halt()
                await self.global_bucket.acquire()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                seconds = retry_after_seconds(error)
                if attempt == 2 or seconds > self.max_retry_after:
                    raise
                await self._back_off(endpoint, seconds, limited=limited)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _back_off(self, endpoint: str, seconds: float, *, limited: bool) -> None:
        """After a 429: a message halts every message (waited out before the retry); anything else waits
        alone, so that one refused request holds up no one else's."""
        if limited:
            logger.warning(
                "Telegram flood limit on %s: every message waits %.1f s, then retries", endpoint, seconds
            )
            self._halted_until = max(self._halted_until, self._clock() + seconds)
        else:
            logger.warning("Telegram flood limit on %s: waits %.1f s, then retries", endpoint, seconds)
            await self._sleep(seconds)
