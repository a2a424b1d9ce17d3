"""The bot judges and hints with the AI tutor the API uses; without a key it judges nothing, hints curated.

The tutor is the real ClaudeProvider on the fake Messages API (tests/tutor/fake_messages_api.py), so every
model call is budgeted and recorded as in production.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import select

from src.answers.normalize import to_bengali_digits
from src.config import get_settings
from src.database import get_session
from src.models import AiHint, CostRecord, HintView, Problem
from src.tutor import ClaudeProvider, get_provider
from src.tutor.safety import clean_hint
from tests.bot.conftest import Bot, running_bot
from tests.factories import Clock, make_problem, make_student
from tests.tutor.fake_messages_api import FakeMessagesApi, LeakingModel
from tests.tutor.support import tutor_settings
from tests.tutor.test_disguised_hints import _leaky_library

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


async def test_no_hint_with_the_answer_reaches_a_student_through_the_bot(committed: None) -> None:
    """The compromised model writes the answer into every hint, each time in another disguise: the bot
    shows the curated hints instead, keeps none of the model's, and no message carries one."""
    by_question, wrong_by_id = await _leaky_library()
    wrong = {question: wrong_by_id[pid] for question, pid in await _question_ids()}
    model = LeakingModel(by_question)
    messages_api = FakeMessagesApi(model)
    clock = Clock()
    provider = ClaudeProvider.from_settings(
        tutor_settings(), http_client=messages_api.client(), clock=lambda: clock.now
    )
    sent: list[str] = []
    async with running_bot(clock, tutor=provider) as bot:
        for n in range(4):
            language = "bn" if n % 2 else "en"
            async with get_session() as db:
                await make_student(db, telegram_id=7100 + n, name="Nusrat", grade=7, language=language)
            student = bot.student(7100 + n, first_name="Nusrat")
            [problem] = await bot.say(student, "/practice")
            for position in range(5):
                question = next(q for q in wrong if q in problem)
                sent += await bot.say(student, wrong[question])
                for _ in range(3):
                    sent += await bot.press(student, "💡 ইঙ্গিত" if language == "bn" else "💡 Hint")
                replies = await bot.press(student, "বাদ দাও ⏭" if language == "bn" else "Skip")
                sent += replies
                if position < 4:
                    problem = next(reply for reply in replies if any(q in reply for q in wrong))

    leaked = {clean_hint(text) for text in model.leaked}
    leaked |= {to_bengali_digits(text) for text in leaked}
    # One message per problem: each hint is a paragraph of the problem's (edited) message.
    hints = [line for text in sent for line in text.split("\n") if line.startswith("💡")]
    assert messages_api.calls == 4 * 5 * 3 and hints
    # Every call leaked, in many disguises (students who meet the same problem may meet the same one).
    assert len(model.leaked) == messages_api.calls and len(set(model.leaked)) >= 40
    assert [text for text in sent if any(leak in text for leak in leaked)] == []  # with the answer: 0
    curated = re.compile(r"(?:Hint|ইঙ্গিত) [1-3১-৩]")  # the ladder of make_problem
    assert all(curated.fullmatch(text.split(": ", 1)[1]) for text in hints), hints
    async with get_session() as db:
        assert (await db.scalars(select(AiHint))).all() == []
        assert not any(view.is_ai_generated for view in (await db.scalars(select(HintView))).all())


async def _question_ids() -> list[tuple[str, int]]:
    async with get_session() as db:
        rows = (await db.execute(select(Problem.question_en, Problem.question_bn, Problem.problem_id))).all()
    return [(question, pid) for en, bn, pid in rows for question in (en, bn)]
