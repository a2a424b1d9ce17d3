"""The spec's usage examples, run as written (against the real test database, committing for real)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import httpx
import pytest
from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from src.database import check_connection, get_engine, get_session
from src.models import CostRecord, Problem, Response, Session, Streak, Student

pytestmark = pytest.mark.usefixtures("committed")


async def _seed_student_1() -> None:
    async with get_session() as db:
        db.add(Student(student_id=1, telegram_id=555, name="Fatema", grade=7))


async def test_creating_a_session() -> None:
    await _seed_student_1()
    student_id = 1
    async with get_session() as db:
        # Find student
        student = await db.get(Student, student_id=1)

        # Create session
        now = datetime.now(timezone.utc)  # noqa: UP017 - the spec's spelling, kept on purpose
        session = Session(
            student_id=student.student_id,
            date=now,
            status="in_progress",
            problem_ids=[1, 2, 3, 4, 5],
            expires_at=now + timedelta(minutes=30),
        )

        db.add(session)
        await db.commit()
    async with get_session() as db:
        stored = (await db.execute(select(Session).where(Session.student_id == student_id))).scalar_one()
        assert stored.status == "in_progress"
        assert stored.expires_at - stored.date == timedelta(minutes=30)
        assert stored.date.utcoffset() == timedelta(0)


async def test_querying_problems() -> None:
    async with get_session() as db:
        db.add_all(
            [
                Problem(
                    grade=7,
                    topic="Profit & Loss",
                    question_en="q1",
                    question_bn="প্র১",
                    answer="1",
                    hints=[],
                    difficulty=2,
                ),
                Problem(
                    grade=7,
                    topic="Profit & Loss",
                    question_en="q2",
                    question_bn="প্র২",
                    answer="2",
                    hints=[],
                    difficulty=1,
                ),
                Problem(
                    grade=8,
                    topic="Profit & Loss",
                    question_en="q3",
                    question_bn="প্র৩",
                    answer="3",
                    hints=[],
                    difficulty=2,
                ),
            ]
        )
    async with get_session() as db:
        # Get problems for grade 7, topic "Profit & Loss", difficulty 2
        stmt = select(Problem).where(
            Problem.grade == 7, Problem.topic == "Profit & Loss", Problem.difficulty == 2
        )
        result = await db.execute(stmt)
        problems = result.scalars().all()
    assert [p.question_en for p in problems] == ["q1"]


async def test_updating_streaks() -> None:
    await _seed_student_1()
    async with get_session() as db:
        db.add(Streak(student_id=1, current_streak=6, longest_streak=6))
    async with get_session() as db:
        streak = await db.get(Streak, student_id=1)

        # Increment streak
        streak.current_streak += 1
        if streak.current_streak > streak.longest_streak:
            streak.longest_streak = streak.current_streak

        streak.last_practice_date = date.today()

        # Add milestone if reached
        if streak.current_streak == 7:
            streak.add_milestone(7)

        await db.commit()
    async with get_session() as db:
        stored = await db.get(Streak, 1)
        assert (stored.current_streak, stored.longest_streak, stored.milestones_achieved) == (7, 7, [7])


async def test_endpoint_with_depends_get_session() -> None:
    await _seed_student_1()
    app = FastAPI()

    @app.post("/practice/start")
    async def start_practice(student_id: int, db: AsyncSession = Depends(get_session)) -> dict[str, object]:  # noqa: B008
        # Use db session here
        student = await db.get(Student, student_id)
        if student is None:
            raise HTTPException(status_code=404, detail="no such student")
        now = datetime.now(timezone.utc)  # noqa: UP017
        db.add(
            Session(
                student_id=student_id,
                date=now,
                problem_ids=[1, 2, 3, 4, 5],
                expires_at=now + timedelta(minutes=30),
            )
        )
        return {"student": student.name}

    @app.post("/practice/fail")
    async def fail(student_id: int, db: AsyncSession = Depends(get_session)) -> None:  # noqa: B008
        student = await db.get(Student, student_id)
        student.name = "changed"
        await db.flush()
        raise HTTPException(status_code=409, detail="conflict")

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        ok = await client.post("/practice/start", params={"student_id": 1})
        missing = await client.post("/practice/start", params={"student_id": 99})
        failed = await client.post("/practice/fail", params={"student_id": 1})
    assert ok.status_code == 200 and ok.json() == {"student": "Fatema"}
    assert missing.status_code == 404
    assert failed.status_code == 409
    async with get_session() as db:
        assert (await db.execute(select(func.count()).select_from(Session))).scalar_one() == 1
        assert (await db.get(Student, 1)).name == "Fatema"  # the failed request was rolled back


async def test_health_check_and_engine() -> None:
    is_connected = await check_connection()
    engine = get_engine()
    assert is_connected is True
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT 1"))).scalar_one() == 1


async def test_logging_a_cost_record() -> None:
    await _seed_student_1()
    async with get_session() as seed:
        now = datetime.now(timezone.utc)  # noqa: UP017
        session_row = Session(
            student_id=1, date=now, problem_ids=[1, 2, 3, 4, 5], expires_at=now + timedelta(minutes=30)
        )
        seed.add(session_row)
    async with get_session() as db:

        async def log_claude_call(
            student_id: int, session_id: int, input_tokens: int, output_tokens: int, cost_usd: float
        ) -> None:
            record = CostRecord(
                student_id=student_id,
                session_id=session_id,
                operation="hint_generation",
                api_provider="claude",
                input_tokens=input_tokens,
                output_tokens=output_tokens,
                cost_usd=cost_usd,
            )
            db.add(record)
            await db.commit()

        await log_claude_call(1, session_row.session_id, 420, 80, 0.000082)
    async with get_session() as db:
        record = (await db.execute(select(CostRecord))).scalar_one()
        assert (record.operation, record.api_provider, record.input_tokens, record.output_tokens) == (
            "hint_generation",
            "claude",
            420,
            80,
        )
        assert record.recorded_at.tzinfo is not None


async def test_response_row_roundtrip_through_get_session() -> None:
    await _seed_student_1()
    async with get_session() as db:
        now = datetime.now(timezone.utc)  # noqa: UP017
        problem = Problem(
            grade=7, topic="t", question_en="q", question_bn="প্র", answer="1", hints=[], difficulty=1
        )
        session = Session(student_id=1, date=now, problem_ids=[1], expires_at=now + timedelta(minutes=30))
        db.add_all([problem, session])
        await db.flush()
        db.add(
            Response(
                session_id=session.session_id,
                problem_id=problem.problem_id,
                student_answer="১",
                is_correct=True,
            )
        )
    async with get_session() as db:
        assert (await db.execute(select(Response.student_answer))).scalar_one() == "১"
