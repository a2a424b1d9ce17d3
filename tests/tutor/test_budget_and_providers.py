"""The budget under real concurrency, and which provider a configuration gets."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from src.answers import check_answer
from src.config import Settings, get_settings
from src.costs.pricing import worst_case_cost
from src.database import DarsSession, get_session
from src.models import CostRecord, Problem, Student
from src.practice import service
from src.practice.ports import HintRequest
from src.tutor import ClaudeProvider, CuratedProvider, make_provider
from src.tutor.prompts import hint_prompt
from src.tutor.provider import estimate_input_tokens
from tests.factories import hint_ladder, make_session
from tests.tutor.fake_messages_api import FakeMessagesApi, Reply
from tests.tutor.support import MODEL, T0, cost_records, practice, tutor_settings

CLIENTS = 8


def _estimate(problem: Problem) -> float:
    prompt = hint_prompt(
        question=problem.question_bn,
        curated_hint=problem.hints[0]["text_bn"],
        last_answer="-540",
        mistake=check_answer("-540", problem.answer).mistake,  # type: ignore[arg-type]
        level=1,
        language="bn",
    )
    tokens = estimate_input_tokens(prompt.system, prompt.user)
    return worst_case_cost(MODEL, tokens, 200, get_settings().pricing)


@pytest.mark.usefixtures("committed")
async def test_concurrent_calls_of_one_student_never_go_over_the_budget(
    fake: FakeMessagesApi, budget_usd: Callable[[float], None]
) -> None:
    async with get_session() as db:
        student = Student(telegram_id=4_200_000_001, name="Nusrat", grade=7, language="bn")
        db.add(student)
        problems = [
            Problem(
                grade=7,
                topic="Profit & Loss",
                question_en=f"A bat costs ৳450 and sells at 20% profit ({i}). Selling price?",
                question_bn=f"একটি ব্যাট ৪৫০ টাকায় কিনে ২০% লাভে বিক্রি করলে বিক্রয়মূল্য কত? ({i})",
                answer="৳540",
                hints=hint_ladder(),
                difficulty=2,
            )
            for i in range(CLIENTS)
        ]
        db.add_all(problems)
        await db.flush()
        session = await make_session(
            db,
            student,
            problem_ids=[p.problem_id for p in problems],
            date=T0,
            expires_at=T0 + timedelta(minutes=30),
        )
        student_id, session_id = student.student_id, session.session_id

    estimate = max(_estimate(p) for p in problems)
    budget = 2.5 * estimate
    budget_usd(budget)
    provider = ClaudeProvider.from_settings(tutor_settings(), http_client=fake.client(), clock=lambda: T0)
    barrier = asyncio.Barrier(CLIENTS)

    async def ask(problem: Problem) -> bool:
        async with get_session() as db:
            await barrier.wait()
            request = HintRequest(
                student_id, session_id, problem, 1, "bn", "-540", check_answer("-540", problem.answer)
            )
            return await provider.hint(db, request) is not None

    served = await asyncio.gather(*(ask(p) for p in problems))

    async with get_session() as db:
        records = list((await db.scalars(select(CostRecord))).all())
    spent = sum(r.cost_usd for r in records)
    assert spent <= budget
    assert fake.calls == len(records) == sum(served)
    assert 0 < len(records) < CLIENTS
    # Meaningful: had every client passed the check at once, together they would have overspent.
    assert CLIENTS * min(r.cost_usd for r in records) > budget


async def test_a_retry_is_not_made_when_its_worst_case_no_longer_fits_the_budget(
    db: DarsSession, fake: FakeMessagesApi, provider: ClaudeProvider, budget_usd: Callable[[float], None]
) -> None:
    setup = await practice(db)
    estimate = _estimate(setup.problem)
    budget_usd(1.5 * estimate)  # room for one attempt's worst case, not for two
    fake.responder = lambda body: Reply(timeout=True)
    await service.submit_answer(db, *setup.ids, "-540", now=T0 + timedelta(minutes=1))
    outcome = await service.next_hint(db, *setup.ids, now=T0 + timedelta(minutes=2), source=provider)
    assert not outcome.hint.is_ai_generated
    # The timed-out attempt's worst case is recorded before the retry's budget check, which then refuses:
    # the SDK retrying by itself made 3 attempts, a worst case of 3 × the estimate against 1.5 × allowed.
    assert fake.calls == 1
    (record,) = await cost_records(db)
    assert record.cost_usd == pytest.approx(estimate) and record.cost_usd <= 1.5 * estimate


def test_no_key_means_the_curated_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(make_provider(tutor_settings(anthropic_api_key=None)), CuratedProvider)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "  ")
    assert Settings().anthropic_api_key is None  # a blank line in .env is "no key", not an empty key
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-from-env")
    monkeypatch.setenv("DARS_CLAUDE_TIMEOUT_SECONDS", "7.5")
    provider = make_provider(Settings())
    assert isinstance(provider, ClaudeProvider)
    assert provider.model == "claude-haiku-4-5"
    assert provider.max_retries == 2 and provider.client.timeout == 7.5
    assert provider.client.max_retries == 0  # the provider retries itself, seeing every attempt


async def test_without_a_key_everything_works_on_curated_hints(db: DarsSession) -> None:
    curated = make_provider(tutor_settings(anthropic_api_key=None))
    setup = await practice(db)
    wrong = await service.submit_answer(db, *setup.ids, "-540", now=T0 + timedelta(minutes=1), judge=curated)
    assert wrong.recorded and not wrong.is_correct
    hint = await service.next_hint(db, *setup.ids, now=T0 + timedelta(minutes=2), source=curated)
    assert not hint.hint.is_ai_generated and hint.hint.text_bn == "ইঙ্গিত 1"
    undecided = await service.submit_answer(
        db, *setup.ids, "450 + 90 = 540", now=T0 + timedelta(minutes=3), judge=curated
    )
    assert not undecided.recorded  # nobody to judge it: the student is asked to rephrase
    assert await cost_records(db) == []
