"""The bot judges and hints with the AI tutor the API uses; without a key it judges nothing, hints curated.

The tutor is the real ClaudeProvider on the fake Messages API (tests/tutor/fake_messages_api.py), so every
model call is budgeted and recorded as in production.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import select

from src.config import get_settings
from src.database import get_session
from src.models import CostRecord, HintView
from src.tutor import ClaudeProvider, get_provider
from tests.bot.conftest import Bot, running_bot
from tests.factories import Clock, make_problem, make_student
from tests.tutor.fake_messages_api import FakeMessagesApi
from tests.tutor.support import tutor_settings

BAT_ANSWER = "৳540"  # make_problem's default problem: a bat bought for ৳450, sold at 20% profit


@pytest.fixture
def messages_api() -> FakeMessagesApi:
    return FakeMessagesApi()


@pytest.fixture
async def tutored_bot(committed: None, messages_api: FakeMessagesApi) -> AsyncIterator[Bot]:
    clock = Clock()
    provider = ClaudeProvider.from_settings(
        tutor_settings(), http_client=messages_api.client(), clock=lambda: clock.now
    )
    async with running_bot(clock, tutor=provider) as harness:
        yield harness


@pytest.fixture
def no_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """ANTHROPIC_API_KEY unset for this test, whatever the environment says."""
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    get_settings.cache_clear()
    get_provider.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()
    get_provider.cache_clear()


async def _student_on_the_bat_problem(bot: Bot, user_id: int) -> None:
    async with get_session() as db:
        await make_problem(db)
        await make_student(db, telegram_id=user_id, name="Nusrat", grade=7, language="en")


async def _cost_operations() -> list[str]:
    async with get_session() as db:
        return list((await db.scalars(select(CostRecord.operation).order_by(CostRecord.cost_id))).all())


async def test_an_answer_the_checker_cannot_read_is_judged_by_the_model(
    tutored_bot: Bot, messages_api: FakeMessagesApi
) -> None:
    await _student_on_the_bat_problem(tutored_bot, 7001)
    nusrat = tutored_bot.student(7001, first_name="Nusrat")
    [problem] = await tutored_bot.say(nusrat, "/practice")
    assert problem.startswith("📝 Problem 1 of 1")

    [correct] = await tutored_bot.say(nusrat, "450 + 90 = 540")  # undecided by the checker alone
    summary = correct.split("\n\n", 1)[1]  # the verdict and the summary travel in one message

    assert correct.startswith("✅")
    assert summary.startswith("🏁")
    assert messages_api.calls == 1
    assert await _cost_operations() == ["answer_evaluation"]


async def test_after_a_wrong_answer_the_hint_comes_from_the_model(
    tutored_bot: Bot, messages_api: FakeMessagesApi
) -> None:
    await _student_on_the_bat_problem(tutored_bot, 7002)
    nusrat = tutored_bot.student(7002, first_name="Nusrat")
    await tutored_bot.say(nusrat, "/practice")
    [again] = await tutored_bot.say(nusrat, "500")

    [hint] = await tutored_bot.press(nusrat, "💡 Hint")

    assert again.rsplit("\n\n", 1)[1].startswith("❌")  # on the problem's message
    assert "\n\n💡 Hint 1 of 3: Read the question again" in hint  # the fake model's first hint
    async with get_session() as db:
        (shown,) = (await db.scalars(select(HintView))).all()
    assert shown.is_ai_generated
    assert await _cost_operations() == ["hint_generation"]


async def test_without_a_key_the_bot_judges_nothing_and_hints_are_curated(
    no_key: None, committed: None
) -> None:
    async with running_bot() as bot:
        assert bot.runtime.application.judge is None
        assert bot.runtime.application.hint_source is None
        await _student_on_the_bat_problem(bot, 7003)
        nusrat = bot.student(7003, first_name="Nusrat")
        await bot.say(nusrat, "/practice")
        [unread] = await bot.say(nusrat, "450 + 90 = 540")
        [hint] = await bot.press(nusrat, "💡 Hint")
    assert unread.rsplit("\n\n", 1)[1].startswith("I couldn't quite read that")
    assert hint.endswith("\n\n💡 Hint 1 of 3: Hint 1\n\nType your answer and send it.")
    assert await _cost_operations() == []
