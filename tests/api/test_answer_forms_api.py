"""Issue 19 through the API: the library's own problems, each alone in a session."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from src.content.library import read_library
from src.content.loader import load_library
from src.database import get_session
from src.models import Response, ResponseMisconception
from tests.api.conftest import Api, Register


async def _session_with(api: Api, register: Register, problem_id: int, telegram_id: int) -> tuple[str, Any]:
    """Load one library problem, register a student of its grade, start today's session."""
    problem = next(p for p in read_library().problems if p.id == problem_id)
    async with get_session() as db:
        await load_library(db, [problem])
    await register(telegram_id, grade=problem.grade, language="bn")
    started = await api.client().post("/sessions/today", headers=api.student(telegram_id))
    assert started.status_code == 201, started.text
    session = started.json()
    assert [p["problem_id"] for p in session["problems"]] == [problem_id]
    return f"/sessions/{session['session_id']}/answers", problem


async def _answer(api: Api, url: str, telegram_id: int, problem_id: int, text: str) -> dict[str, Any]:
    response = await api.client().post(
        url, json={"answer": text, "problem_id": problem_id}, headers=api.student(telegram_id)
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _responses() -> int:
    async with get_session() as db:
        return int((await db.scalar(select(func.count()).select_from(Response))) or 0)


@pytest.mark.parametrize(
    ("problem_id", "other_form", "form"),
    [
        (6020, "84/126", "lowest_terms"),
        (6022, "4 3/5", "improper_fraction"),
        (7007, "127/20", "mixed_number"),
        (8090, "64/10", "decimal"),
        (7030, "(x+5)^2", "expanded"),
        (7035, "(2x+3y)(2x−3y)", "expanded"),
        (7047, "(m^2+11m+28)/(m+7)", "simplified"),
        (6073, "2(3a + 3)", "simplified"),
    ],
)
async def test_the_right_value_in_another_form_is_told_and_not_recorded(
    api: Api, register: Register, problem_id: int, other_form: str, form: str
) -> None:
    url, problem = await _session_with(api, register, problem_id, 7100)
    body = await _answer(api, url, 7100, problem_id, other_form)
    assert (body["verdict"], body["recorded"], body["form"], body["attempts_left"]) == (
        "wrong_form",
        False,
        form,
        3,
    )
    assert body["feedback"]["en"].startswith("Right value! Now")
    assert body["feedback"]["bn"].startswith("ঠিক মান! এবার")
    assert await _responses() == 0
    right = await _answer(api, url, 7100, problem_id, problem.answer)
    assert (right["verdict"], right["recorded"], right["feedback"]) == ("correct", True, None)


@pytest.mark.parametrize(("problem_id", "text"), [(8090, "why 6.4?"), (7007, "how is the answer 6 7/20?")])
async def test_a_question_is_not_graded(api: Api, register: Register, problem_id: int, text: str) -> None:
    url, _ = await _session_with(api, register, problem_id, 7101)
    body = await _answer(api, url, 7101, problem_id, text)
    assert (body["verdict"], body["non_answer"], body["recorded"], body["attempts_left"]) == (
        "not_an_answer",
        "question",
        False,
        3,
    )
    assert await _responses() == 0


async def test_the_right_amount_in_another_unit_is_told_and_not_recorded(
    api: Api, register: Register
) -> None:
    url, _ = await _session_with(api, register, 6014, 7102)  # the bells ring together after 120 minutes
    body = await _answer(api, url, 7102, 6014, "২ ঘণ্টা")
    assert (body["verdict"], body["recorded"], body["unit"], body["attempts_left"]) == (
        "wrong_form",
        False,
        "minute",
        3,
    )
    assert body["feedback"] == {"en": "Right! What is it in minutes?", "bn": "ঠিক! মিনিটে লিখলে কত হবে?"}
    wrong = await _answer(api, url, 7102, 6014, "3 ঘণ্টা")
    assert (wrong["verdict"], wrong["recorded"], wrong["attempts_left"]) == ("wrong", True, 2)
    assert await _responses() == 1


async def test_the_common_wrong_answer_is_named_shown_and_kept(api: Api, register: Register) -> None:
    url, _ = await _session_with(api, register, 7011, 7103)  # profit 60 on a cost price of 240
    body = await _answer(api, url, 7103, 7011, "20%")  # 60 on the selling price of 300
    assert (body["verdict"], body["recorded"], body["misconception"], body["attempts_left"]) == (
        "wrong",
        True,
        "profit_on_selling_price",
        2,
    )
    assert body["feedback"] == {
        "en": "Profit percentage is counted on the cost price, not the selling price.",
        "bn": "শতকরা লাভ ক্রয়মূল্যের উপর হিসাব করা হয়, বিক্রয়মূল্যের উপর নয়।",
    }
    other = await _answer(api, url, 7103, 7011, "30%")  # wrong in no known way
    assert (other["verdict"], other["misconception"], other["feedback"]) == ("wrong", None, None)
    async with get_session() as db:
        rows = (
            await db.execute(
                select(Response.student_answer, ResponseMisconception.misconception)
                .join(ResponseMisconception, isouter=True)
                .order_by(Response.response_id)
            )
        ).all()
    assert [tuple(row) for row in rows] == [("20%", "profit_on_selling_price"), ("30%", None)]


@pytest.mark.parametrize(
    ("problem_id", "text"), [(6026, "six"), (8068, "ten"), (7086, "forteen"), (8081, "2 hundreds")]
)
async def test_english_number_words_are_read(
    api: Api, register: Register, problem_id: int, text: str
) -> None:
    url, _ = await _session_with(api, register, problem_id, 7104)
    body = await _answer(api, url, 7104, problem_id, text)
    assert (body["verdict"], body["recorded"]) == ("correct", True)
