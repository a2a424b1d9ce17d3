"""What tracing mastery costs a session start: `start_daily_session` for a student with a long history.

A start reads the student's answers of the last two years in its one statement and traces mastery over
them in Python (src/practice/learning.py). This measures a new day's start, end to end through the service
(lock, the statement, the choice, the insert), for students with no history, 30 days, one year and two
years of daily practice (five problems a day, a third of them answered twice), each start rolled back so
every one is a new day's start on the same history; and the pure part alone (`choose_from` on the rows the
statement returned).

    .venv/bin/python -m bench.session_start                 # embedded PostgreSQL, 200 starts per history
    .venv/bin/python -m bench.session_start --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from bench.common import load_problems, parse_arguments, prepare_database
from src import database
from src.config import get_settings
from src.driver import driver
from src.models import Student
from src.practice import service
from src.streaks.days import local_day

NOW = datetime(2027, 6, 1, 11, 0, tzinfo=UTC)
HISTORIES = (0, 30, 365, 730)  # days of daily practice before NOW

# A day's session (completed) and its five problems' responses, the first answer wrong one time in three
# (then a second, right answer); problems of the student's grade in turn.
_HISTORY = """
WITH days AS (SELECT d FROM generate_series(1, :days) AS d),
     made AS (
       INSERT INTO sessions (student_id, date, status, problem_ids, expires_at, completed_at,
                             total_time_seconds, problems_correct)
       SELECT :student, CAST(:now AS timestamptz) - make_interval(days => d), 'completed', '[]'::jsonb,
              CAST(:now AS timestamptz) - make_interval(days => d) + interval '30 minutes',
              CAST(:now AS timestamptz) - make_interval(days => d) + interval '10 minutes', 600, 5
       FROM days RETURNING session_id, date),
     picks AS (
       SELECT m.session_id, m.date, k, (array_agg(p.problem_id ORDER BY p.problem_id))[
                1 + (m.session_id * 5 + k) % count(*)] AS problem_id
       FROM made AS m CROSS JOIN generate_series(0, 4) AS k
       CROSS JOIN problems AS p WHERE p.grade = :grade
       GROUP BY m.session_id, m.date, k)
INSERT INTO responses (session_id, problem_id, student_answer, is_correct, time_spent_seconds, hints_used,
                       hints_viewed, evaluated_at, confidence_level)
SELECT session_id, problem_id, 'x', attempt = 2 OR (session_id + k) % 3 <> 0, 60, 0, '[]'::jsonb,
       date + make_interval(mins => k * 2 + attempt), 'high'
FROM picks CROSS JOIN generate_series(1, 2) AS attempt
WHERE attempt = 1 OR (session_id + k) % 3 = 0"""


async def make_students() -> dict[int, int]:
    """A student per history length: {days: student_id}."""
    students: dict[int, int] = {}
    async with database.get_session() as db:
        for n, days in enumerate(HISTORIES):
            student = Student(telegram_id=8_000_000_000 + n, name=f"History {days}", grade=7)
            db.add(student)
            await db.flush()
            if days:
                await db.execute(
                    text(_HISTORY),
                    {"days": days, "student": student.student_id, "now": NOW, "grade": 7},
                )
            students[days] = student.student_id
    return students


async def measure(student_id: int, starts: int) -> tuple[list[float], list[float], int]:
    """Milliseconds of each whole start and of the pure choice, and the first answers traced."""
    whole: list[float] = []
    pure: list[float] = []
    traced = 0
    zone = get_settings().timezone
    for n in range(starts + 10):
        now = NOW + timedelta(minutes=n)
        async with database.get_session() as db:
            began = time.perf_counter()
            await service.start_daily_session(db, student_id, now=now)
            elapsed = time.perf_counter() - began
            connection = await driver(db)
            student = await db.get(Student, student_id)
            assert student is not None
            inputs = await connection.fetchrow(
                service.CHOICE_INPUTS, student.grade, student_id, now - service.HISTORY_WINDOW
            )
            assert inputs is not None
            began = time.perf_counter()
            service.choose_from(inputs, now, service.daily_seed(student_id, local_day(now, zone)))
            choice = time.perf_counter() - began
            traced = len(inputs["recent"])
            await db.rollback()
        if n >= 10:  # warm-up
            whole.append(elapsed * 1000)
            pure.append(choice * 1000)
    return whole, pure, traced


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


async def run(starts: int) -> None:
    await load_problems()
    students = await make_students()
    print(f"{starts} new-day starts per history, one at a time (each rolled back)")
    print(f"{'history':>9} {'answers':>8} {'start p50':>10} {'start p99':>10} {'choice p50':>11} {'p99':>6}")
    for days, student_id in students.items():
        whole, pure, traced = await measure(student_id, starts)
        print(
            f"{days:>5} d {traced:>8} {statistics.median(whole):8.2f}ms {p99(whole):8.2f}ms "
            f"{statistics.median(pure):9.2f}ms {p99(pure):5.2f}ms"
        )
    await database.dispose_engine()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--starts", type=int, default=200)
    args = parse_arguments(parser, argv)
    with tempfile.TemporaryDirectory() as scratch:
        prepare_database(args.database_url, Path(scratch), 5)
        asyncio.run(run(args.starts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
