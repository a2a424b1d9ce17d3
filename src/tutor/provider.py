"""Tutor providers: curated-only (no key) or Claude. The only module that imports `anthropic`.

Every Claude call goes through ClaudeProvider.complete, which
(a) prices the worst case of one attempt (prompt tokens estimated generously from its characters, plus
    max_tokens) and asks costs.check_budget, which takes the student's budget lock until the transaction
    ends: an attempt that might not fit is never made and the caller falls back to the curated path;
(b) makes the call with a short timeout per attempt, a few retries and an overall deadline, so a long
    retry-after cannot hold the student. The retries are made here, not by the SDK (its client has
    max_retries=0), with the SDK's rules, so that every attempt is seen: each retry is a new generation,
    so the budget is checked again before it and the attempts that may have been billed are recorded;
(c) records a CostRecord from the returned usage, also when the caller then rejects the text, and also when
    the caller's transaction later rolls back (costs.record_usage writes it again after the rollback).
An attempt that times out (per attempt or overall) after its request may have been sent, or whose connection
broke while it waited for the answer, records its worst case, one record per attempt: it may have been
generated and billed. An attempt refused (429, 529, 5xx, another status) or never delivered (no connection,
a connection not made in time, a failed write) records nothing.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import math
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Protocol

import anthropic
import httpx2
from anthropic.types import TextBlock
from sqlalchemy.ext.asyncio import AsyncSession

from src.config import Settings, get_settings
from src.costs import service as costs
from src.costs.pricing import UnknownModelPrice, Usage, worst_case_cost
from src.models import CostOperation, Problem
from src.practice.ports import HintRequest, HintText, Judgement
from src.tutor.completion import Completion
from src.tutor.hints import AiHints
from src.tutor.judge import AiJudge

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]

# Tokens per character, on the generous side of real tokenizers (English ~4 chars a token, Bengali script
# often 1-2), times a margin for models that count more tokens for the same text (Haiku 5.5: ~+30%).
_ASCII_TOKENS_PER_CHAR = 1 / 3
_OTHER_TOKENS_PER_CHAR = 1.0
_TOKENIZER_MARGIN = 1.3
_MESSAGE_OVERHEAD_TOKENS = 20


def estimate_input_tokens(*texts: str) -> int:
    """An upper estimate of the prompt tokens of these texts, before the call."""
    ascii_chars = sum(1 for text in texts for char in text if ord(char) < 128)
    other_chars = sum(len(text) for text in texts) - ascii_chars
    raw = ascii_chars * _ASCII_TOKENS_PER_CHAR + other_chars * _OTHER_TOKENS_PER_CHAR
    return math.ceil((raw + _MESSAGE_OVERHEAD_TOKENS) * _TOKENIZER_MARGIN)


DEFAULT_ATTEMPT_SECONDS = 10.0  # when the client was given a structured httpx timeout instead of seconds
# The longest wait before a retry. The SDK's backoff (0.5 s, doubled per retry, minus up to 25% jitter) is
# cut to it; a retry-after longer than it ends the call instead: retrying sooner than the API asked would
# most likely be refused again, and the student waits for the hint holding the session's row lock.
RETRY_BACKOFF_SECONDS = 2.0
INITIAL_RETRY_DELAY = 0.5  # the SDK's first backoff (anthropic._constants.INITIAL_RETRY_DELAY)

# Failures before the whole request went out (no connection, in time or at all; no free pooled connection;
# a failed write; a request the client would not send): the API cannot have generated anything. Any other
# timeout or broken connection (we stopped waiting, the server hung up, a read failed) may come after a
# generation that was billed.
_NOT_DELIVERED = (
    httpx2.ConnectTimeout,
    httpx2.PoolTimeout,
    httpx2.ConnectError,
    httpx2.WriteError,
    httpx2.ProxyError,
    httpx2.LocalProtocolError,
    httpx2.UnsupportedProtocol,
)


def utcnow() -> datetime:
    return datetime.now(UTC)


def should_retry(response: httpx2.Response) -> bool:
    """The SDK's rule for an error status: the API's x-should-retry when it says, else 408, 409, 429, 5xx."""
    says = response.headers.get("x-should-retry")
    if says in ("true", "false"):
        return says == "true"
    return response.status_code in (408, 409, 429) or response.status_code >= 500


def retry_after_seconds(headers: httpx2.Headers) -> float | None:
    """The wait the API asks for, as the SDK reads it: retry-after-ms, else retry-after in seconds or as
    an HTTP date; None when it asks for none."""
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        try:
            return float(headers[name]) / scale
        except (KeyError, ValueError):
            pass
    date = email.utils.parsedate_tz(headers.get("retry-after", ""))
    return None if date is None else float(email.utils.mktime_tz(date) - time.time())


def retry_delay(retries_taken: int, refused: httpx2.Response | None) -> float | None:
    """Seconds to wait before the next attempt, or None when the API asks for longer than we wait."""
    asked = retry_after_seconds(refused.headers) if refused is not None else None
    if asked is not None and asked > 0:  # the SDK, too, backs off as usual on a retry-after of 0
        return asked if asked <= RETRY_BACKOFF_SECONDS else None
    backoff = min(INITIAL_RETRY_DELAY * 2.0**retries_taken, RETRY_BACKOFF_SECONDS)
    # Jitter, as the SDK's: students refused at the same moment do not all retry at the same moment.
    return backoff * (1 - 0.25 * random.random())


class TutorProvider(Protocol):
    """Both practice ports: personalised hints and judging of undecided answers."""

    async def hint(self, db: AsyncSession, request: HintRequest) -> HintText | None: ...

    async def judge(
        self, db: AsyncSession, student_id: int, session_id: int, problem: Problem, student_text: str
    ) -> Judgement | None: ...


class CuratedProvider:
    """No API key: the library's hints only (None = the curated ladder) and no AI judging at all."""

    async def hint(self, db: AsyncSession, request: HintRequest) -> HintText | None:
        return None

    async def judge(
        self, db: AsyncSession, student_id: int, session_id: int, problem: Problem, student_text: str
    ) -> Judgement | None:
        return None


class ClaudeProvider:
    """Hints and judging with Claude, each call budgeted and recorded (see the module docstring)."""

    def __init__(
        self,
        client: anthropic.AsyncAnthropic,
        model: str,
        *,
        max_retries: int | None = None,
        clock: Clock = utcnow,
    ) -> None:
        # Retries are ours (None: as many as the client was given), never the SDK's: an attempt the SDK
        # retried internally would be invisible here, neither budgeted nor recorded if it timed out.
        self.max_retries = client.max_retries if max_retries is None else max_retries
        self.client = client if client.max_retries == 0 else client.with_options(max_retries=0)
        self.model = model
        self._clock = clock
        self._hints = AiHints(self.complete, model)
        self._judge = AiJudge(self.complete)

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        http_client: httpx2.AsyncClient | None = None,
        clock: Clock = utcnow,
    ) -> ClaudeProvider:
        if settings.anthropic_api_key is None:
            raise ValueError("ClaudeProvider needs ANTHROPIC_API_KEY")
        client = anthropic.AsyncAnthropic(
            api_key=settings.anthropic_api_key.get_secret_value(),
            base_url=settings.anthropic_base_url,
            max_retries=0,  # complete() retries, see __init__
            timeout=settings.dars_claude_timeout_seconds,
            http_client=http_client,
        )
        return cls(
            client, settings.dars_claude_model, max_retries=settings.dars_claude_max_retries, clock=clock
        )

    async def hint(self, db: AsyncSession, request: HintRequest) -> HintText | None:
        return await self._hints.hint(db, request)

    async def judge(
        self, db: AsyncSession, student_id: int, session_id: int, problem: Problem, student_text: str
    ) -> Judgement | None:
        return await self._judge.judge(db, student_id, session_id, problem, student_text)

    def _deadline_seconds(self, attempts: int) -> float:
        """Every attempt's timeout, plus the longest wait before each retry."""
        timeout = self.client.timeout
        per_attempt = float(timeout) if isinstance(timeout, int | float) else DEFAULT_ATTEMPT_SECONDS
        return attempts * per_attempt + (attempts - 1) * RETRY_BACKOFF_SECONDS

    async def complete(
        self,
        db: AsyncSession,
        *,
        student_id: int,
        session_id: int | None,
        operation: CostOperation,
        system: str,
        prompt: str,
        max_tokens: int,
    ) -> Completion | None:
        """One budgeted, recorded call; None when it was not made or failed (the caller falls back)."""
        now = self._clock()
        estimated_input = estimate_input_tokens(system, prompt)
        # What an attempt may have cost when its answer, or the answer's usage, is unknown.
        worst_case = Usage(input_tokens=estimated_input, output_tokens=max_tokens)
        try:
            estimate = worst_case_cost(self.model, estimated_input, max_tokens, get_settings().pricing)
        except UnknownModelPrice:
            logger.error("no price configured for %s: not calling a model we cannot cost", self.model)
            return None

        async def record(usage: Usage) -> None:
            await costs.record_usage(
                db,
                student_id=student_id,
                session_id=session_id,
                operation=operation,
                model=self.model,
                usage=usage,
                now=now,
            )

        attempts = 1 + self.max_retries
        loop = asyncio.get_running_loop()
        # The SDK's timeout is per attempt; the deadline caps the whole call, waits included. It covers only
        # the requests, never a database statement, which a cancellation could leave half done.
        deadline = loop.time() + self._deadline_seconds(attempts)
        for retries_taken in range(attempts):
            # Before every attempt, a retry too: it is a new generation, and the worst case of an attempt
            # that timed out before it is already recorded, so together they never pass the budget.
            budget = await costs.check_budget(db, student_id, estimate, now=now)
            if not budget.allowed:
                logger.info(
                    "student %s: $%.5f left this month, a %s call may cost $%.5f: curated path",
                    student_id,
                    budget.remaining_usd,
                    operation.value,
                    estimate,
                )
                await costs.record_refusal(db, student_id=student_id, operation=operation, now=now)
                return None
            refused: httpx2.Response | None = None
            try:
                async with asyncio.timeout_at(deadline):
                    message = await self.client.messages.create(
                        model=self.model,
                        max_tokens=max_tokens,
                        system=system,
                        messages=[{"role": "user", "content": prompt}],
                    )
            except (anthropic.APIConnectionError, TimeoutError) as exc:  # APITimeoutError among them
                timed_out = isinstance(exc, anthropic.APITimeoutError | TimeoutError)
                if isinstance(exc.__cause__, _NOT_DELIVERED):
                    logger.warning(
                        "Claude %s attempt could not connect%s",
                        operation.value,
                        " in time" if timed_out else "",
                    )
                else:
                    # A request whose answer never came may still have been generated and billed: record
                    # its worst case, so the ledger and the budget never undercount.
                    logger.warning(
                        "Claude %s attempt %s: worst case recorded",
                        operation.value,
                        "timed out" if timed_out else "lost its connection",
                    )
                    await record(worst_case)
                if isinstance(exc, TimeoutError):  # the overall deadline: no time left for a retry
                    logger.warning("Claude %s call out of time: curated path", operation.value)
                    return None
            except anthropic.APIStatusError as exc:  # refused before any generation: nothing billed
                if not should_retry(exc.response):
                    logger.warning(
                        "Claude %s call refused (%s): curated path", operation.value, exc.status_code
                    )
                    return None
                refused = exc.response
            except anthropic.APIError as exc:  # a body the SDK cannot read: the SDK does not retry it
                logger.warning(
                    "Claude %s call failed (%s): curated path", operation.value, type(exc).__name__
                )
                return None
            except ValueError as exc:  # a 200 whose body is not JSON: nothing usable, no usage to record
                logger.warning("Claude %s call returned no JSON (%s): curated path", operation.value, exc)
                return None
            else:
                if not isinstance(message, anthropic.types.Message):
                    # A 200 whose JSON is not a message (null, a list: a proxy gone wrong): nothing usable,
                    # and whatever was generated is unknown, so its worst case is recorded.
                    logger.warning("Claude %s call returned no message: curated path", operation.value)
                    await record(worst_case)
                    return None
                await record(_billed(message.usage, worst_case))
                blocks = message.content or []
                text = "".join(block.text for block in blocks if isinstance(block, TextBlock))
                return Completion(text=text, stop_reason=message.stop_reason)
            if retries_taken + 1 == attempts:
                break
            delay = retry_delay(retries_taken, refused)
            if delay is None or loop.time() + delay >= deadline:
                logger.warning("Claude %s call: no time to wait for a retry: curated path", operation.value)
                return None
            await asyncio.sleep(delay)
        logger.warning("Claude %s call failed on all %s attempts: curated path", operation.value, attempts)
        return None


def _billed(usage: anthropic.types.Usage | None, worst_case: Usage) -> Usage:
    """The usage to record: the API's, or, for a 200 that came without one, the worst case we budgeted."""
    if usage is None:
        logger.warning("Claude returned no usage: recording the worst-case estimate")
        return worst_case
    return Usage(
        input_tokens=usage.input_tokens or 0,
        output_tokens=usage.output_tokens or 0,
        cache_creation_input_tokens=usage.cache_creation_input_tokens or 0,
        cache_read_input_tokens=usage.cache_read_input_tokens or 0,
    )


def make_provider(
    settings: Settings | None = None,
    *,
    http_client: httpx2.AsyncClient | None = None,
    clock: Clock = utcnow,
) -> TutorProvider:
    """Claude when ANTHROPIC_API_KEY is set, else the curated-only provider."""
    settings = settings or get_settings()
    if settings.anthropic_api_key is None:
        return CuratedProvider()
    return ClaudeProvider.from_settings(settings, http_client=http_client, clock=clock)


@lru_cache(maxsize=1)
def get_provider() -> TutorProvider:
    """The process-wide provider (one HTTP connection pool), e.g. for the API's hint_source/answer_judge."""
    return make_provider()


def model_tutor() -> TutorProvider | None:
    """The process-wide provider when it is a model (ANTHROPIC_API_KEY set), else None: callers then serve
    curated hints and leave undecided answers undecided, and prepare no model request (such as looking up
    the student's language) that would never be sent. The API and the bot both judge and hint with it."""
    provider = get_provider()
    return None if isinstance(provider, CuratedProvider) else provider
