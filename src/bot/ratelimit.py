"""Pacing by the rules Telegram has, as PTB's rate-limiter hook.

- **Replies** (a message or an edit answering a student who just wrote) are paced per chat: each chat has
  a bucket of CHAT_BURST messages refilled at CHAT_RATE a second (the Bot FAQ: about one message a second
  in one chat, short bursts allowed). A student who writes every few seconds never waits; one who taps
  through quickly gets a burst, then one message a second. There is no bot-wide queue for replies: the
  FAQ's ~30 messages/s is about *bulk notifications*, and Telegram answers anything too fast with 429.
  A bot-wide reply cap exists (DARS_TELEGRAM_REPLY_CAP) for an operator who wants one, off by default.
- **Proactive sends** (reminders, any broadcast: rate_limit_args="bulk") also take a token of the bulk
  bucket (DARS_TELEGRAM_BULK_RATE, 25/s by default, under Telegram's ~30): they never take a reply's turn,
  since replies do not pass that bucket.
- **429** is obeyed as Telegram states it: the request waits out its retry_after, then is tried again (up
  to MAX_ATTEMPTS tries; a retry_after over MAX_RETRY_AFTER is not slept through). Telegram's answer does
  not say whose limit it was. A 429 for one chat pauses that chat only. When FLOOD_CHATS different chats
  are refused within FLOOD_WINDOW seconds, or a message without a chat is, the limit is the bot's: every
  message pauses until the longest retry_after has passed.
- Requests that are not messages (answerCallbackQuery, getMe, setWebhook) are never paced; a 429 on one
  waits alone, so a student's spinner never waits behind anyone's messages.

The buckets are GCRA (a theoretical arrival time per bucket): a caller reserves its slot and sleeps until
it, so no lock is held while waiting and each chat's messages keep their order.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

logger = logging.getLogger(__name__)

BULK = "bulk"
CHAT_RATE = 1.0  # messages a second, sustained, in one chat
CHAT_BURST = 10  # messages one chat may get at once before CHAT_RATE applies
BULK_RATE = 25.0
MAX_RETRY_AFTER = 60.0  # a longer flood wait is not slept through: the request fails
MAX_ATTEMPTS = 4  # tries of one request refused with 429
FLOOD_CHATS = 3  # this many chats refused within FLOOD_WINDOW: the limit is the bot's
FLOOD_WINDOW = 1.0
_FORGET_AFTER = 10_000  # chats remembered before the idle ones are dropped

_EPSILON = 1e-6

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


def retry_after_seconds(error: RetryAfter) -> float:
    """RetryAfter.retry_after is an int or a timedelta depending on PTB_TIMEDELTA; read either quietly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: Any = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class Pace:
    """`rate` a second with bursts of `burst` (GCRA): `delay(now)` reserves the next slot and says how long
    to wait for it."""

    __slots__ = ("interval", "tat", "tolerance")

    def __init__(self, rate: float, burst: float = 1) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.interval = 1.0 / rate
        self.tolerance = (burst - 1) * self.interval
        self.tat = 0.0  # theoretical arrival time of the next message

    def delay(self, now: float) -> float:
        start = max(self.tat, now)
        at = max(now, start - self.tolerance)
        self.tat = start + self.interval
        return at - now

    def pause_until(self, until: float) -> None:
        """Nothing before `until`, then one at a time at the rate (the burst is spent)."""
        self.tat = max(self.tat, until + self.tolerance)

    def idle(self, now: float) -> bool:
        return self.tat <= now


class TokenBucket:
    """`rate` tokens a second, bursts up to `capacity`; waiters are served in order."""

    def __init__(
        self,
        rate: float,
        capacity: float | None = None,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.pace = Pace(rate, capacity if capacity is not None else max(1.0, rate))
        self._clock = clock
        self._sleep = sleep

    async def acquire(self) -> None:
        wait = self.pace.delay(self._clock())
        if wait > _EPSILON:
            await self._sleep(wait)


def _is_message(endpoint: str) -> bool:
    # Sending and editing count against the flood limits; answering callbacks, getMe, setWebhook do not.
    return endpoint.startswith(("send", "edit", "copy", "forward"))


class DarsRateLimiter(BaseRateLimiter[str]):
    def __init__(
        self,
        *,
        bulk_rate: float = BULK_RATE,
        reply_cap: float | None = None,
        chat_rate: float = CHAT_RATE,
        chat_burst: float = CHAT_BURST,
        max_retry_after: float = MAX_RETRY_AFTER,
        max_attempts: int = MAX_ATTEMPTS,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.bulk = TokenBucket(bulk_rate, capacity=1, clock=clock, sleep=sleep)
        self.reply_cap = TokenBucket(reply_cap, clock=clock, sleep=sleep) if reply_cap else None
        self.chat_rate = chat_rate
        self.chat_burst = chat_burst
        self.max_retry_after = max_retry_after
        self.max_attempts = max_attempts
        self._clock = clock
        self._sleep = sleep
        self._chats: dict[object, Pace] = {}
        self._paused_until = 0.0  # a bot-wide flood: every message waits
        self._refusals: deque[tuple[float, object]] = deque()
        self.floods = 0  # bot-wide pauses so far (for logs and tests)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def _chat(self, chat_id: object) -> Pace:
        pace = self._chats.get(chat_id)
        if pace is None:
            if len(self._chats) >= _FORGET_AFTER:
                now = self._clock()
                self._chats = {key: p for key, p in self._chats.items() if not p.idle(now)}
            pace = self._chats[chat_id] = Pace(self.chat_rate, self.chat_burst)
        return pace

    async def _wait(self, seconds: float) -> None:
        if seconds > _EPSILON:
            await self._sleep(seconds)

    async def _wait_for_flood(self) -> None:
        while (delay := self._paused_until - self._clock()) > _EPSILON:
            await self._sleep(delay)

    async def _pace(self, chat_id: object, bulk: bool) -> None:
        await self._wait_for_flood()
        if chat_id is not None:
            await self._wait(self._chat(chat_id).delay(self._clock()))
        if bulk:
            await self.bulk.acquire()
        elif self.reply_cap is not None:
            await self.reply_cap.acquire()
        await self._wait_for_flood()  # a flood may have begun while this one waited its turn

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
        chat_id = data.get("chat_id")
        attempt = 0
        while True:
            attempt += 1
            if limited:
                await self._pace(chat_id, rate_limit_args == BULK)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                seconds = retry_after_seconds(error)
                if attempt >= self.max_attempts or seconds > self.max_retry_after:
                    raise
                if limited:
                    self._refused(endpoint, chat_id, seconds)
                else:
                    logger.warning("Telegram flood limit on %s: waits %.1f s, retries", endpoint, seconds)
                    await self._wait(seconds)

    def _refused(self, endpoint: str, chat_id: object, seconds: float) -> None:
        """A 429 on a message: pause its chat, or every message when the limit is evidently the bot's."""
        now = self._clock()
        until = now + seconds
        refusals = self._refusals
        refusals.append((now, chat_id))
        while refusals and refusals[0][0] < now - FLOOD_WINDOW:
            refusals.popleft()
        chats = {chat for _, chat in refusals}
        if chat_id is None or len(chats) >= FLOOD_CHATS:
            if until > self._paused_until + _EPSILON:
                self.floods += 1
                logger.warning(
                    "Telegram flood limit for the whole bot (%s, %d chats refused): all messages wait %.1f s",
                    endpoint,
                    len(chats),
                    seconds,
                )
            self._paused_until = max(self._paused_until, until)
        else:
            logger.info("Telegram flood limit in chat %s (%s): it waits %.1f s", chat_id, endpoint, seconds)
        if chat_id is not None:
            self._chat(chat_id).pause_until(until)
