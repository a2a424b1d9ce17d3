"""Personalised hints through practice.service.next_hint, against the fake Messages API."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx2
import pytest
from sqlalchemy import select

from src.costs.pricing import DEFAULT_PRICES
from src.database import DarsSession, get_session
from src.models import AiHint, BudgetRefusal, CostRecord, HintView
from src.practice import service
from src.tutor.provider import ClaudeProvider, estimate_input_tokens
from tests.tutor.fake_messages_api import FakeMessagesApi, Reply, count_tokens, prompt_text
from tests.tutor.support import MODEL, T0, Practice, ai_hint_count, cost_records, practice, tutor_settings

BN_LEVEL_1 = "প্রশ্নটি আবার পড়ো"  # the start of the fake's Bengali level-1 hint


async def wrong_then_hint(
    db: DarsSession, setup: Practice, provider: ClaudeProvider, answer: str = "-540"
) -> service.HintOutcome:
    student_id, session_id = setup.ids
    outcome = await service.submit_answer(db, student_id, session_id, answer, now=T0 + timedelta(minutes=1))
    assert outcome.recorded and not outcome.is_correct
    return await service.next_hint(db, student_id, session_id, now=T0 + timedelta(minutes=2), source=provider)


@pytest.mark.parametrize("usage_style", ["absent", "null", "zero"])
async def test_hint_after_a_wrong_answer_is_claude_written_stored_and_paid_for(
    db: DarsSession, fake: FakeMessagesApi, provider: ClaudeProvider, usage_style: str
) -> None:
    fake.usage_style = usage_style
    setup = await practice(db, language="bn")
    outcome = await wrong_then_hint(db, setup, provider)

    hint = outcome.hint
    assert hint.is_ai_generated is True
    assert hint.text_bn.startswith(BN_LEVEL_1)  # the AI text in the student's language
    assert hint.text_en == "Hint 1"  # the curated hint of the same level in the other one
    stored = (await db.scalars(select(HintView).where(HintView.session_id == setup.session.session_id))).one()
    assert stored.is_ai_generated and stored.text_bn == hint.text_bn

    # What was sent: the model, a small max_tokens, the kind of mistake, the level, the delimited answer.
    assert fake.calls == 1
    body = fake.requests[0]
    assert body["model"] == MODEL and body["max_tokens"] == 200
    assert "sign (+ or -) is wrong" in body["system"] and "level 1 of 3" in body["system"]
    assert "Write in Bengali" in body["system"]
    assert "-540" in body["messages"][0]["content"] and "৳540" not in body["system"]

    (record,) = await cost_records(db)
    assert record.operation == "hint_generation" and record.api_provider == "claude"
    assert record.session_id == setup.session.session_id and record.student_id == setup.student.student_id
    input_tokens = count_tokens(prompt_text(body), MODEL) + 8
    output_tokens = count_tokens(hint.text_bn, MODEL)
    assert (record.input_tokens, record.output_tokens) == (input_tokens, output_tokens)
    price = DEFAULT_PRICES[MODEL]
    assert record.cost_usd == pytest.approx((input_tokens * price.input + output_tokens * price.output) / 1e6)
    assert record.recorded_at == T0

    (reusable,) = (await db.scalars(select(AiHint))).all()
    assert (reusable.problem_id, reusable.hint_number, reusable.language, reusable.mistake) == (
        setup.problem.problem_id, 1, "bn", "sign",
    )  # fmt: skip
    assert reusable.text == hint.text_bn and reusable.model == MODEL


async def test_english_student_gets_english_ai_text_and_bengali_curated(
    db: DarsSession, provider: ClaudeProvider
) -> None:
    outcome = await wrong_then_hint(db, await practice(db, language="en"), provider, answer="5400")
    assert outcome.hint.text_en.startswith("Read the question again")
    assert outcome.hint.text_bn == "ইঙ্গিত 1"


async def test_bengali_ai_hint_is_shown_and_stored_with_bengali_digits(
    db: DarsSession, fake: FakeMessagesApi, provider: ClaudeProvider
) -> None:
    fake.then(Reply("প্রশ্নটি আবার পড়ো: 2 টি জিনিসের দাম 100 টাকা বেশি।"))
    setup = await practice(db, language="bn")
    outcome = await wrong_then_hint(db, setup, provider)
    assert outcome.hint.is_ai_generated
    assert outcome.hint.text_bn == "প্রশ্নটি আবার পড়ো: ২ টি জিনিসের দাম ১০০ টাকা বেশি।"
    assert (await db.scalars(select(AiHint.text))).one() == outcome.hint.text_bn


async def test_a_hint_with_control_characters_is_shown_and_stored_without_them(
    db: DarsSession, fake: FakeMessagesApi, provider: ClaudeProvider
) -> None:
    fake.then(Reply("প্রশ্নটি আবার\u0000 পড়ো, তারপর\x1b নিয়মটি মিলিয়ে দেখো।"))
    setup = await practice(db, language="bn")
    outcome = await wrong_then_hint(db, setup, provider)  # NUL reached PostgreSQL: DataError, a 500
    assert outcome.hint.is_ai_generated
    assert outcome.hint.text_bn == "প্রশ্নটি আবার পড়ো, তারপর নিয়মটি মিলিয়ে দেখো।"
    assert (await db.scalars(select(AiHint.text))).one() == outcome.hint.text_bn


async def test_no_wrong_answer_yet_means_the_curated_hint_and_no_call(
    db: DarsSession, fake: FakeMessagesApi, provider: ClaudeProvider
) -> None:
    setup = await practice(db)
    outcome = await service.next_hint(db, *setup.ids, now=T0 + timedelta(minutes=1), source=provider)
    assert not outcome.hint.is_ai_generated and outcome.hint.text_bn == "ইঙ্গিত 1"
    assert fake.calls == 0 and await cost_records(db) == []


async def test_the_same_hint_request_is_served_from_reuse_without_a_call(
    db: DarsSession, fake: FakeMessagesApi, provider: ClaudeProvider
) -> None:
    first = await practice(db)
    written = (await wrong_then_hint(db, first, provider, answer="600")).hint.text_bn
    assert fake.calls == 1

    # Another student, same problem, same language, same kind of mistake (a different wrong number).
    second = await practice(db, problem=first.problem)
    served = (await wrong_then_hint(db, second, provider, answer="700")).hint
    assert served.is_ai_generated and served.text_bn == written
    assert fake.calls == 1 and len(await cost_records(db)) == 1

    # A different kind of mistake is a different hint: one more call.
    third = await practice(db, problem=first.problem)
    await wrong_then_hint(db, third, provider, answer="5400")  # scale
    assert fake.calls == 2 and len(await cost_records(db)) == 2 and await ai_hint_count(db) == 2


@pytest.mark.parametrize(
    "text",
    [
        "The selling price is ৳540.",
        "বিক্রয়মূল্য ৫৪০ টাকা।",
        "উত্তর হলো 540 taka, এখন মিলিয়ে দেখো।",
        "বিক্রয়মূল্য পাঁচশো চল্লিশ টাকা।",
        "দাম = ৳540.00",
    ],
)
async def test_a_hint_that_reveals_the_answer_falls_back_to_curated_but_is_paid_for(
    db: DarsSession, fake: FakeMessagesApi, provider: ClaudeProvider, text: str
) -> None:
    fake.then(Reply(text))
    outcome = await wrong_then_hint(db, await practice(db), provider)
    assert not outcome.hint.is_ai_generated and outcome.hint.text_bn == "ইঙ্গিত 1"
    assert fake.calls == 1
    (record,) = await cost_records(db)
    assert record.operation == "hint_generation" and (record.output_tokens or 0) > 0
    assert await ai_hint_count(db) == 0


@pytest.mark.parametrize(
    "reply",
    [
        Reply(""),
        Reply("   "),
        Reply("প্রশ্নটি আবার পড়ো। " * 40),  # overlong
        Reply("প্রশ্নটি আবার পড়ো এবং", stop_reason="max_tokens"),  # cut off
        Reply("Read the question again and check the sign."),  # English for a Bengali student
        Reply("", stop_reason="refusal"),
    ],
    ids=["empty", "blank", "overlong", "truncated", "wrong-language", "refusal"],
)
async def test_unusable_hint_text_falls_back_to_curated(
    db: DarsSession, fake: FakeMessagesApi, provider: ClaudeProvider, reply: Reply
) -> None:
    fake.then(reply)
    outcome = await wrong_then_hint(db, await practice(db), provider)
    assert not outcome.hint.is_ai_generated
    assert len(await cost_records(db)) == 1 and await ai_hint_count(db) == 0


async def test_a_rate_limit_is_retried_then_the_hint_is_served(
    db: DarsSession, fake: FakeMessagesApi, provider: ClaudeProvider
) -> None:
    fake.then(Reply(status=429, headers={"retry-after": "0"}))
    outcome = await wrong_then_hint(db, await practice(db), provider)
    assert outcome.hint.is_ai_generated
    assert fake.calls == 2  # the SDK retried once
    assert len(await cost_records(db)) == 1  # only the answered call is billed


@pytest.mark.parametrize("status", [529, 429, 500])
async def test_failing_on_every_try_falls_back_and_records_nothing(
    db: DarsSession, fake: FakeMessagesApi, provider: ClaudeProvider, status: int
) -> None:
    fake.responder = lambda body: Reply(status=status, headers={"retry-after-ms": "5"})
    outcome = await wrong_then_hint(db, await practice(db), provider)
    assert not outcome.hint.is_ai_generated
    assert fake.calls == 3  # the first try and DARS_CLAUDE_MAX_RETRIES=2 retries
    assert await cost_records(db) == [] and await ai_hint_count(db) == 0


def _worst_case(body: dict[str, Any]) -> tuple[int, int]:
    """The (input, output) tokens recorded for an attempt that may have been billed but never answered."""
    return estimate_input_tokens(body["system"], body["messages"][0]["content"]), 200


def _answered(body: dict[str, Any], text: str) -> tuple[int, int]:
    """The (input, output) tokens the fake reports for an answered request."""
    return count_tokens(prompt_text(body), MODEL) + 8, count_tokens(text, MODEL)


def _tokens(records: list[CostRecord]) -> list[tuple[int | None, int | None]]:
    return [(record.input_tokens, record.output_tokens) for record in records]


async def test_timeouts_fall_back_and_record_the_worst_case_of_every_attempt(
    db: DarsSession, fake: FakeMessagesApi, provider: ClaudeProvider
) -> None:
    fake.responder = lambda body: Reply(timeout=True)
    outcome = await wrong_then_hint(db, await practice(db), provider)
    assert not outcome.hint.is_ai_generated
    assert fake.calls == 3 and await ai_hint_count(db) == 0
    records = await cost_records(db)  # each of the 3 attempts may have been generated and billed
    assert _tokens(records) == [_worst_case(fake.requests[0])] * 3
    price = DEFAULT_PRICES[MODEL]
    input_tokens, output_tokens = _worst_case(fake.requests[0])
    expected = (input_tokens * price.input + output_tokens * price.output) / 1e6
    assert all(record.cost_usd == pytest.approx(expected) for record in records)


async def test_a_timeout_then_server_errors_records_the_timed_out_attempt_only(
    db: DarsSession, fake: FakeMessagesApi, provider: ClaudeProvider
) -> None:
    fake.then(
        Reply(timeout=True),
        Reply(status=500, headers={"retry-after-ms": "5"}),
        Reply(status=500, headers={"retry-after-ms": "5"}),
    )
    outcome = await wrong_then_hint(db, await practice(db), provider)
    assert not outcome.hint.is_ai_generated and fake.calls == 3
    # The timed-out attempt may have been billed; the two 500s were refused without a generation. (The SDK
    # retrying by itself hid the timeout behind the final 500: nothing was recorded at all.)
    assert _tokens(await cost_records(db)) == [_worst_case(fake.requests[0])]


async def test_a_timeout_then_an_answer_records_both_attempts(
    db: DarsSession, fake: FakeMessagesApi, provider: ClaudeProvider
) -> None:
    fake.then(Reply(timeout=True))
    outcome = await wrong_then_hint(db, await practice(db), provider)
    assert outcome.hint.is_ai_generated and fake.calls == 2
    # The first attempt may have been generated and billed as well as the answered one (no idempotency key).
    assert _tokens(await cost_records(db)) == [
        _worst_case(fake.requests[0]),
        _answered(fake.requests[1], outcome.hint.text_bn),
    ]


async def test_a_rate_limit_waits_its_retry_after_and_records_the_answer_only(
    db: DarsSession, fake: FakeMessagesApi, provider: ClaudeProvider
) -> None:
    fake.then(Reply(status=429, headers={"retry-after": "1"}))
    setup = await practice(db)
    started = time.monotonic()
    outcome = await wrong_then_hint(db, setup, provider)
    assert time.monotonic() - started >= 1.0  # the wait the API asked for, not our shorter backoff
    assert outcome.hint.is_ai_generated and fake.calls == 2
    assert _tokens(await cost_records(db)) == [_answered(fake.requests[1], outcome.hint.text_bn)]


async def test_a_request_that_never_connected_in_time_is_not_recorded(
    db: DarsSession, fake: FakeMessagesApi
) -> None:
    refused = 0

    def connect_timeout_first(request: httpx2.Request) -> httpx2.Response:
        nonlocal refused
        if not refused:
            refused += 1
            raise httpx2.ConnectTimeout("fake: no connection in time", request=request)
        return fake.handle(request)

    http = httpx2.AsyncClient(transport=httpx2.MockTransport(connect_timeout_first))
    provider = ClaudeProvider.from_settings(tutor_settings(), http_client=http, clock=lambda: T0)
    outcome = await wrong_then_hint(db, await practice(db), provider)
    assert outcome.hint.is_ai_generated and refused == 1 and fake.calls == 1
    # No connection, no request sent: unlike a read timeout, nothing can have been billed.
    assert _tokens(await cost_records(db)) == [_answered(fake.requests[0], outcome.hint.text_bn)]


def _failing_first(fake: FakeMessagesApi, failure: type[httpx2.TransportError]) -> ClaudeProvider:
    """A provider whose first request fails in the transport with `failure`; later ones reach `fake`."""
    failed = False

    def handle(request: httpx2.Request) -> httpx2.Response:
        nonlocal failed
        if not failed:
            failed = True
            raise failure("fake: the connection failed", request=request)
        return fake.handle(request)

    http = httpx2.AsyncClient(transport=httpx2.MockTransport(handle))
    return ClaudeProvider.from_settings(tutor_settings(), http_client=http, clock=lambda: T0)


@pytest.mark.parametrize(
    ("failure", "went_out"),
    [
        (httpx2.ConnectError, False),
        (httpx2.WriteError, False),
        (httpx2.RemoteProtocolError, True),
        (httpx2.ReadError, True),
    ],
)
async def test_a_broken_connection_records_its_worst_case_only_if_the_request_went_out(
    db: DarsSession, fake: FakeMessagesApi, failure: type[httpx2.TransportError], went_out: bool
) -> None:
    # A server that hung up, or a connection that broke, after the request went out may follow a billed
    # generation, as a timeout may (that recorded nothing before, and the budget undercounted); no
    # connection, or a failed write, cannot.
    provider = _failing_first(fake, failure)
    outcome = await wrong_then_hint(db, await practice(db), provider)
    assert outcome.hint.is_ai_generated and fake.calls == 1
    retried = fake.requests[0]  # the failed attempt sent the same request
    lost = [_worst_case(retried)] if went_out else []
    assert _tokens(await cost_records(db)) == [*lost, _answered(retried, outcome.hint.text_bn)]


async def test_a_server_that_never_answers_is_cut_off_by_the_configured_timeout(
    db: DarsSession, silent_server: str
) -> None:
    settings = tutor_settings(
        anthropic_base_url=silent_server, dars_claude_timeout_seconds=0.3, dars_claude_max_retries=1
    )
    slow = ClaudeProvider.from_settings(settings, clock=lambda: T0)
    started = time.monotonic()
    outcome = await wrong_then_hint(db, await practice(db), slow)
    assert time.monotonic() - started < 5
    assert not outcome.hint.is_ai_generated
    records = await cost_records(db)  # the worst case of each of the 2 attempts, which may have been billed
    assert [record.output_tokens for record in records] == [200, 200]


async def test_a_retry_after_longer_than_a_student_waits_ends_the_call_unbilled(
    db: DarsSession, fake: FakeMessagesApi, provider: ClaudeProvider
) -> None:
    fake.then(Reply(status=429, headers={"retry-after": "30"}))  # the SDK would sleep 30 s, then retry
    setup = await practice(db)
    started = time.monotonic()
    outcome = await wrong_then_hint(db, setup, provider)
    assert time.monotonic() - started < 2  # not waited for: the curated hint at once
    assert not outcome.hint.is_ai_generated and fake.calls == 1
    assert await cost_records(db) == []  # a 429 is refused before any generation


@pytest.mark.parametrize(
    "reply",
    [
        Reply(raw_body="<html>502 Bad Gateway</html>"),
        Reply(raw_body='{"unexpected": true}'),
        Reply(raw_body="null"),
        Reply(raw_body="[]"),
    ],
    ids=["not-json", "not-a-message", "null", "a-list"],
)
async def test_malformed_responses_fall_back(
    db: DarsSession, fake: FakeMessagesApi, provider: ClaudeProvider, reply: Reply
) -> None:
    fake.then(reply)
    outcome = await wrong_then_hint(db, await practice(db), provider)
    assert not outcome.hint.is_ai_generated
    # A 200 of JSON without usage is recorded at the budgeted worst case; a body that is not JSON is not.
    assert len(await cost_records(db)) == (0 if reply.raw_body and reply.raw_body.startswith("<") else 1)


async def test_an_exhausted_budget_means_no_request_at_all(
    db: DarsSession, fake: FakeMessagesApi, provider: ClaudeProvider, budget_usd: Callable[[float], None]
) -> None:
    budget_usd(0.01)
    setup = await practice(db)
    db.add(
        CostRecord(
            student_id=setup.student.student_id,
            operation="hint_generation",
            api_provider="claude",
            cost_usd=0.0095,
            recorded_at=T0 - timedelta(days=1),
        )
    )
    await db.flush()
    outcome = await wrong_then_hint(db, setup, provider)
    assert not outcome.hint.is_ai_generated and outcome.hint.text_bn == "ইঙ্গিত 1"
    assert fake.calls == 0 and len(await cost_records(db)) == 1
    # The refusal is counted, for the operators' costs page.
    refusals = (await db.execute(select(BudgetRefusal))).scalars().all()
    assert [(r.student_id, r.operation) for r in refusals] == [(setup.student.student_id, "hint_generation")]


async def test_later_hints_follow_the_ladder_level(
    db: DarsSession, fake: FakeMessagesApi, provider: ClaudeProvider
) -> None:
    setup = await practice(db)
    await wrong_then_hint(db, setup, provider)
    second = await service.next_hint(db, *setup.ids, now=T0 + timedelta(minutes=3), source=provider)
    third = await service.next_hint(db, *setup.ids, now=T0 + timedelta(minutes=4), source=provider)
    assert [second.hint.hint_number, third.hint.hint_number] == [2, 3]
    assert second.hint.is_ai_generated and third.hint.is_ai_generated
    assert ["level 1 of 3" in r["system"] for r in fake.requests] == [True, False, False]
    assert "level 3 of 3, the last step but one" in fake.requests[2]["system"]
    assert third.hint.text_en == "Hint 3"


@pytest.mark.usefixtures("committed")
async def test_a_billed_call_stays_recorded_when_its_request_then_fails(fake: FakeMessagesApi) -> None:
    async with get_session() as db:
        setup = await practice(db)
    provider = ClaudeProvider.from_settings(tutor_settings(), http_client=fake.client(), clock=lambda: T0)
    with pytest.raises(RuntimeError, match="send failed"):
        async with get_session() as db:  # one Telegram update or HTTP request
            outcome = await wrong_then_hint(db, setup, provider)
            assert outcome.hint.is_ai_generated
            raise RuntimeError("send failed after the call")  # rolls the whole transaction back

    async with get_session() as db:
        (record,) = await cost_records(db)  # the call was billed: its record survives the rollback
        assert (record.operation, record.student_id) == ("hint_generation", setup.student.student_id)
        assert record.session_id == setup.session.session_id and record.recorded_at == T0
        assert record.output_tokens is not None and record.output_tokens > 0
        assert (await db.scalars(select(HintView))).all() == []  # the rest of the work was undone
        assert await ai_hint_count(db) == 0
    assert fake.calls == 1


@pytest.mark.usefixtures("committed")
async def test_a_committed_request_records_its_call_once(fake: FakeMessagesApi) -> None:
    async with get_session() as db:
        setup = await practice(db)
    provider = ClaudeProvider.from_settings(tutor_settings(), http_client=fake.client(), clock=lambda: T0)
    async with get_session() as db:
        await wrong_then_hint(db, setup, provider)
    async with get_session() as db:
        assert len(await cost_records(db)) == 1
