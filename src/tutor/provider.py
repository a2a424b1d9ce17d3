"""Tutor providers: curated-only (no key) or Claude. The only module that imports `anthropic`.

Every Claude call goes through ClaudeProvider.complete, which
(a) prices the worst case (prompt tokens estimated generously from its characters, plus max_tokens) and
    asks costs.check_budget, which takes the student's budget lock until the transaction ends: a call that
    might not fit is never made and the caller falls back to the curated path;
(b) makes the call with a short timeout per attempt, the SDK's few retries (a retry is a new, billed
    generation) and an overall deadline, so a long retry-after cannot hold the student;
(c) records a CostRecord from the returned usage, also when the caller then rejects the text, and also when
    the caller's transaction later rolls back (costs.record_usage writes it again after the rollback).
A call that times out (per attempt or overall) records the worst case of every attempt: the request may
have been generated and billed. One refused after the retries (429, 529, 5xx, connection) records nothing.
"""

from __future__ import annotations

import asyncio
import logging
import math
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
RETRY_BACKOFF_SECONDS = 2.0  # the SDK's exponential backoff starts at 0.5 s; a retry-after beyond is cut


def utcnow() -> datetime:
    return datetime.now(UTC)


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

    def __init__(self, client: anthropic.AsyncAnthropic, model: str, *, clock: Clock = utcnow) -> None:
        self.client = client
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
            max_retries=settings.dars_claude_max_retries,
            timeout=settings.dars_claude_timeout_seconds,
            http_client=http_client,
        )
        return cls(client, settings.dars_claude_model, clock=clock)

    async def hint(self, db: AsyncSession, request: HintRequest) -> HintText | None:
        return await self._hints.hint(db, request)

    async def judge(
        self, db: AsyncSession, student_id: int, session_id: int, problem: Problem, student_text: str
    ) -> Judgement | None:
        return await self._judge.judge(db, student_id, session_id, problem, student_text)

    def _deadline_seconds(self, attempts: int) -> float:
        """Every attempt's timeout, plus the SDK's short backoff between attempts."""
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
        try:
            estimate = worst_case_cost(self.model, estimated_input, max_tokens, get_settings().pricing)
        except UnknownModelPrice:
            logger.error("no price configured for %s: not calling a model we cannot cost", self.model)
            return None
        budget = await costs.check_budget(db, student_id, estimate, now=now)
        if not budget.allowed:
            logger.info(
                "student %s: $%.5f left this month, a %s call may cost $%.5f: curated path",
                student_id,
                budget.remaining_usd,
                operation.value,
                estimate,
            )
            return None
        attempts = 1 + self.client.max_retries
        try:
            # The SDK's own timeout is per attempt, and it may wait up to a minute for a 429's retry-after
            # between attempts: a student waiting for a hint (holding the session's row lock) gets a cap.
            async with asyncio.timeout(self._deadline_seconds(attempts)):
                message = await self.client.messages.create(
                    model=self.model,
                    max_tokens=max_tokens,
                    system=system,
                    messages=[{"role": "user", "content": prompt}],
                )
            usage = _billed(message.usage, estimated_input, max_tokens)
        except (anthropic.APITimeoutError, TimeoutError):
            # A request we stopped waiting for may still have been generated and billed, once per attempt
            # the SDK made: record the worst case, so the ledger and the budget never undercount.
            logger.warning("Claude %s call timed out: worst case recorded, curated path", operation.value)
            message = None
            usage = Usage(input_tokens=estimated_input * attempts, output_tokens=max_tokens * attempts)
        except anthropic.APIError as exc:  # after the SDK's retries: status, connection, bad body
            logger.warning("Claude %s call failed (%s): curated path", operation.value, type(exc).__name__)
            return None
        except ValueError as exc:  # a 200 whose body is not JSON at all: nothing usable, nothing billed known
            logger.warning("Claude %s call returned no JSON (%s): curated path", operation.value, exc)
            return None
        await costs.record_usage(
            db,
            student_id=student_id,
            session_id=session_id,
            operation=operation,
            model=self.model,
            usage=usage,
            now=now,
        )
        if message is None:
            return None
        blocks = message.content or []
        text = "".join(block.text for block in blocks if isinstance(block, TextBlock))
        return Completion(text=text, stop_reason=message.stop_reason)


def _billed(usage: anthropic.types.Usage | None, estimated_input: int, max_tokens: int) -> Usage:
    """The usage to record: the API's, or, for a 200 that came without one, the worst case we budgeted."""
    if usage is None:
        logger.warning("Claude returned no usage: recording the worst-case estimate")
        return Usage(input_tokens=estimated_input, output_tokens=max_tokens)
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
