"""A compromised model that writes the answer into every hint, in a new disguise each time: no student sees
one, through the HTTP API or the bot, and none is kept for others; `dars tutor recheck-hints` drops the ones
stored before the filter knew a disguise."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from src.answers.normalize import to_bengali_digits
from src.api.dependencies import answer_judge, hint_source
from src.database import get_session
from src.models import AiHint, HintView, Problem
from src.practice.ports import HintRequest
from src.tutor.provider import ClaudeProvider
from src.tutor.recheck import recheck_hints
from src.tutor.safety import clean_hint
from tests.api.conftest import Api, Register
from tests.factories import hint_ladder, make_problem
from tests.tutor.fake_messages_api import FakeMessagesApi, LeakingModel, disguises
from tests.tutor.support import ai_hint_count, practice, tutor_settings

# Answers of every kind the fault run saw leak, one problem each (grade 7, so a session draws five).
LEAKY_ANSWERS = [
    ("৳540", "500"),
    ("46", "45"),
    ("14.29", "14.3"),
    ("(x + 7)(x - 7)", "(x + 1)(x - 1)"),
    ("360", "350"),
    ("৳11040", "11000"),
    ("128", "120"),
    ("x = 24", "x = 20"),
    ("3/4", "2/3"),
    ("7", "8"),
]


async def _leaky_library() -> tuple[dict[str, str], dict[int, str]]:
    """The problems, committed; (question -> answer, for the model) and (problem id -> wrong answer)."""
    by_question: dict[str, str] = {}
    wrong: dict[int, str] = {}
    async with get_session() as db:
        for index, (answer, wrong_answer) in enumerate(LEAKY_ANSWERS):
            problem = await make_problem(
                db,
                topic=f"Topic {index}",
                question_en=f"Problem {index}: work it out.",
                question_bn=f"সমস্যা {to_bengali_digits(str(index))}: হিসাব করো।",
                answer=answer,
                hints=hint_ladder(),
                difficulty=1 + index % 3,
            )
            by_question[problem.question_en] = by_question[problem.question_bn] = answer
            wrong[problem.problem_id] = wrong_answer
    return by_question, wrong


STUDENTS = 6  # x 5 problems x 3 hints: 90 hints asked for, 90 disguises


def _as_shown(texts: list[str]) -> set[str]:
    cleaned = {clean_hint(text) for text in texts}
    return cleaned | {to_bengali_digits(text) for text in cleaned}


@pytest.mark.usefixtures("api")
async def test_no_hint_with_the_answer_reaches_a_student_over_http(api: Api, register: Register) -> None:
    by_question, wrong = await _leaky_library()
    model = LeakingModel(by_question)
    fake = FakeMessagesApi(model)
    provider = ClaudeProvider.from_settings(
        tutor_settings(), http_client=fake.client(), clock=lambda: api.clock.now
    )
    api.app.dependency_overrides[hint_source] = lambda: provider
    api.app.dependency_overrides[answer_judge] = lambda: provider
    client = api.client()
    shown: list[dict[str, Any]] = []
    for n in range(STUDENTS):
        telegram_id = 30_000 + n
        await register(telegram_id, grade=7, language="bn" if n % 2 else "en")
        headers = api.student(telegram_id)
        session = (await client.post("/sessions/today", headers=headers)).json()
        for _ in range(5):
            problem = session["current_problem"]
            answered = await client.post(
                f"/sessions/{session['session_id']}/answers",
                json={"answer": wrong[problem["problem_id"]]},
                headers=headers,
            )
            assert answered.status_code == 200 and answered.json()["verdict"] == "wrong", answered.text
            for _ in range(3):
                response = await client.post(f"/sessions/{session['session_id']}/hints", headers=headers)
                assert response.status_code == 200, response.text
                shown.append(response.json()["hint"])
            skipped = await client.post(f"/sessions/{session['session_id']}/skip", headers=headers)
            assert skipped.status_code == 200, skipped.text
            session = (await client.get(f"/sessions/{session['session_id']}", headers=headers)).json()

    leaked = _as_shown(model.leaked)
    with_answer = [hint for hint in shown if {hint["text"]["en"], hint["text"]["bn"]} & leaked]
    assert len(shown) == STUDENTS * 5 * 3 and fake.calls == len(shown)  # every hint asked the model
    # Every call leaked, in many disguises (students who meet the same problem may meet the same one).
    assert len(model.leaked) == len(shown) and len(set(model.leaked)) >= 40
    assert with_answer == []  # hints shown with the answer: 0
    assert not any(hint["is_ai_generated"] for hint in shown)  # the curated ladder instead
    async with get_session() as db:
        assert await ai_hint_count(db) == 0  # none kept for other students
        views = (await db.scalars(select(HintView))).all()
        assert len(views) == len(shown) and not any(view.is_ai_generated for view in views)


async def test_recheck_drops_the_stored_hints_that_give_the_answer_away(db: AsyncSession) -> None:
    honest = "প্রশ্নটি আবার পড়ো এবং কোন রাশিটি চাওয়া হয়েছে তা ঠিক করো।"
    problems: list[Problem] = []
    for answer in ("46", "৳540", "14.29", "(x + 7)(x - 7)", "128"):
        problems.append(await make_problem(db, answer=answer))
    kept = [
        (problems[0], 1, honest),
        (problems[1], 2, honest),
        (problems[2], 1, "দশমিক বিন্দুর পরের দুটি অঙ্ক দেখো।"),
    ]
    leaking = [
        (problems[0], 2, "উত্তর: ৪ ৬"),
        (problems[1], 1, "উত্তর: ৳ ৫ ৪ ০"),
        (problems[2], 2, "তোমার উত্তর হবে ১৪\u200b.২৯।"),
        (problems[3], 1, "উত্তর (x + ৭)\u200b(x − ৭)"),
        (problems[4], 1, "উত্তর লেখো এক-দুই-আট।"),
    ]
    for problem, level, text in kept + leaking:
        db.add(
            AiHint(
                problem_id=problem.problem_id,
                hint_number=level,
                language="bn",
                mistake="other",
                text=text,
                model="claude-haiku-4-5",
            )
        )
    await db.flush()

    dry = await recheck_hints(db, dry_run=True)
    assert (dry.checked, dry.dropped) == (8, 5) and await ai_hint_count(db) == 8

    result = await recheck_hints(db)

    assert (result.checked, result.dropped) == (8, 5)
    assert result.reasons == {"reveals_answer": 5}
    remaining = set((await db.execute(select(AiHint.problem_id, AiHint.hint_number))).all())
    assert remaining == {(problem.problem_id, level) for problem, level, _ in kept}


async def test_a_stored_hint_that_now_fails_is_replaced_by_a_fresh_one(db: AsyncSession) -> None:
    setup = await practice(db, language="bn", answer="46")
    db.add(
        AiHint(
            problem_id=setup.problem.problem_id,
            hint_number=1,
            language="bn",
            mistake="other",
            text="উত্তর: ৪ ৬",
            model="claude-haiku-4-5",
        )
    )
    await db.flush()
    fake = FakeMessagesApi()
    provider = ClaudeProvider.from_settings(tutor_settings(), http_client=fake.client())
    request = HintRequest(
        student_id=setup.student.student_id,
        session_id=setup.session.session_id,
        problem=setup.problem,
        hint_number=1,
        language="bn",
        last_answer="45",
        last_check=None,
    )

    hint = await provider.hint(db, request)

    assert hint is not None and hint.text_bn.startswith("প্রশ্নটি আবার পড়ো") and fake.calls == 1
    stored = (await db.scalars(select(AiHint.text))).all()
    assert stored == [hint.text_bn]  # the fresh hint took the old one's place


def test_the_compromised_model_has_many_disguises() -> None:
    assert len(disguises("৳11040")) >= 40 and len(disguises("7")) >= 20
