"""`dars demo seed`: a month of simulated students in the configured database, for the dashboard to show.

It is the cost simulation's model (bench/cost_simulation.py: who practises on which day, wrong answers,
hints, answers with working) run through the real practice services and the real Claude provider on the
fake Messages API (tests/tutor/fake_messages_api.py), so sessions, streaks, hints and cost records are what
real use would write. It also makes a demo teacher with a class, whose Telegram id is `dars chat`'s
pretend user: in `dars chat`, /teacher gives the sign-in link to the class view.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from pydantic import SecretStr
from sqlalchemy import func, select

from bench.common import load_problems
from bench.cost_simulation import (
    BENGALI_STUDENTS,
    PRACTICE_DAY_RATE,
    CountingHints,
    CountingJudge,
    SimStudent,
    Tally,
    bench_responder,
    practise_day,
)
from src import database
from src.classes import service as classes
from src.config import get_settings
from src.models import Student
from src.tutor.provider import ClaudeProvider
from tests.tutor.fake_messages_api import FakeMessagesApi

DEMO_TELEGRAM_IDS = 7_100_000_000  # demo students' Telegram ids start here (far from real ones' range)
DEMO_TEACHER_TELEGRAM_ID = 1_000_001  # `dars chat`'s default pretend user
NAMES = (
    "Rahim", "Karim", "Mitu", "Nusrat", "Tanvir", "Sadia", "Arif", "Farhana", "Imran", "Jannat", "Rafi",
    "Sumaiya", "Tamim", "Ayesha", "Nabil", "Maliha", "Shakib", "Riya", "Fahim", "Tasnim",
)  # fmt: skip
SURNAMES = ("Ahmed", "Hossain", "Islam", "Rahman", "Akter", "Chowdhury", "Uddin", "Sarkar", "Khan", "Das")


def _name(n: int) -> str:
    return f"{NAMES[n % len(NAMES)]} {SURNAMES[(n // len(NAMES)) % len(SURNAMES)]}"


@dataclass(frozen=True)
class DemoSummary:
    students: int
    sessions: int
    ai_calls: int
    first_day: date
    last_day: date
    join_code: str | None


async def _first_free_telegram_id() -> int:
    async with database.get_session() as db:
        highest = (
            await db.execute(
                select(func.max(Student.telegram_id)).where(Student.telegram_id >= DEMO_TELEGRAM_IDS)
            )
        ).scalar_one()
    return DEMO_TELEGRAM_IDS if highest is None else int(highest) + 1


async def _students(count: int, rng: random.Random, registered: datetime) -> list[SimStudent]:
    first_id = await _first_free_telegram_id()
    made: list[SimStudent] = []
    async with database.get_session() as db:
        rows = [
            Student(
                telegram_id=first_id + i,
                name=_name(first_id + i - DEMO_TELEGRAM_IDS),
                grade=rng.choice([6, 7, 8]),
                language="bn" if rng.random() < BENGALI_STUDENTS else "en",
                created_at=registered,
            )
            for i in range(count)
        ]
        db.add_all(rows)
        await db.flush()
        for row in rows:
            rate = min(0.95, max(0.25, rng.gauss(PRACTICE_DAY_RATE, 0.18)))
            made.append(SimStudent(row.student_id, row.language, rng.uniform(0.5, 1.0), rate))
    return made


async def _demo_class(
    students: list[SimStudent], now: datetime, teacher_telegram_id: int | None
) -> str | None:
    if teacher_telegram_id is None:
        return None
    async with database.get_session() as db:
        teacher = await classes.teacher_for_telegram(db, teacher_telegram_id)
        if teacher is None:
            teacher = await classes.add_teacher(
                db, telegram_id=teacher_telegram_id, name="Ayesha Khatun (demo)"
            )
        existing = [s.school_class for s in await classes.classes_of(db, teacher.teacher_id)]
        school_class = (
            existing[0] if existing else await classes.create_class(db, teacher.teacher_id, "7 B", 7)
        )
        for student in students[:12]:
            await classes.join_class(db, student.student_id, school_class.join_code, now)
        return school_class.join_code


async def seed(
    *,
    students: int = 60,
    days: int = 30,
    until: date | None = None,
    seed_value: int = 2026,
    teacher_telegram_id: int | None = DEMO_TEACHER_TELEGRAM_ID,
) -> DemoSummary:
    """Simulate `students` new students practising over the `days` days ending `until` (default today)."""
    last_day = until or datetime.now(UTC).date()
    first_day = last_day - timedelta(days=days - 1)
    start = datetime.combine(first_day, time(8, 0), tzinfo=UTC)  # 14:00 in Dhaka
    await load_problems()
    rng = random.Random(seed_value)
    simulated = await _students(students, rng, start - timedelta(days=3))
    now = start
    fake = FakeMessagesApi(bench_responder(seed_value))
    settings = get_settings().model_copy(
        update={"anthropic_api_key": SecretStr("sk-ant-demo"), "anthropic_base_url": "http://anthropic.fake"}
    )
    provider = ClaudeProvider.from_settings(settings, http_client=fake.client(), clock=lambda: now)
    tally = Tally()
    hints, judge = CountingHints(provider, fake, tally), CountingJudge(provider, fake, tally)
    gate = asyncio.Semaphore(4)

    async def one(student: SimStudent, day_start: datetime, student_rng: random.Random) -> None:
        async with gate:
            await practise_day(student, day_start, student_rng, hints, judge)

    try:
        for day in range(days):
            now = start + timedelta(days=day)
            todays = [s for s in simulated if rng.random() < s.practice_rate]
            await asyncio.gather(*(one(s, now, random.Random(rng.random())) for s in todays))
    finally:
        await provider.client.close()
    code = await _demo_class(simulated, now, teacher_telegram_id)
    return DemoSummary(len(simulated), tally.sessions, fake.calls, first_day, last_day, code)
