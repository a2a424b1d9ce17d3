"""The real problem library through the API: every grade gets a session the checker can mark."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from src.content.library import read_library
from src.content.loader import load_library
from src.database import get_session
from src.models import Problem
from tests.api.conftest import Api, Register


@pytest.fixture
async def library(api: Api) -> dict[int, str]:
    read = read_library()
    assert not read.faults
    async with get_session() as db:
        await load_library(db, read.problems)
    async with get_session() as db:
        rows = (await db.execute(select(Problem.problem_id, Problem.answer))).all()
    return dict(rows)


@pytest.mark.parametrize("grade", [6, 7, 8])
async def test_canonical_answers_complete_a_real_session(
    api: Api, library: dict[int, str], register: Register, grade: int
) -> None:
    await register(900 + grade, grade=grade)
    client = api.client()
    started = await client.post("/sessions/today", headers=api.student(900 + grade))
    assert started.status_code == 201, started.text
    session = started.json()
    assert len(session["problems"]) == 5
    for problem in session["problems"]:
        response = await client.post(
            f"/sessions/{session['session_id']}/answers",
            json={"answer": library[problem["problem_id"]], "problem_id": problem["problem_id"]},
            headers=api.student(900 + grade),
        )
        assert response.status_code == 200, response.text
        assert response.json()["verdict"] == "correct", (problem["question"]["en"], response.json())
    assert response.json()["summary"]["problems_correct"] == 5
