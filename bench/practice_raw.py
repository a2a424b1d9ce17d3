"""The practice loop's transactions issued directly with asyncpg: no HTTP, no ORM, no pydantic.

This is the ceiling the served app is compared with. Each function is one transaction doing what the
service does for the same request, with the same locks and the same rows read and written. Each begins as
every API request does, by finding the caller's student row by Telegram id (the app checks the initData
signature first: that is HTTP-side work, not the database's, and is not repeated here):

- start:  lock the student row; the in-progress session (FOR UPDATE); the last completed one; the grade's
          problems, the student's first answers of the last 120 days and the fitted skill parameters (one
          statement); choose five (the same `choose_from`: mastery traced, then the pure choice); insert
          the session and read its view (one statement).
- hint:   lock the session row; read its view (responses, hint views and the problems' row versions in one
          statement, problems from a per-process cache, as `src/practice/views.py` does); insert the hint
          view.
- answer: lock the session row; read its view; check the answer (the same pure `check_answer`); insert the
          response; on the last one complete the session and move the streak.

Business rules the benchmark never triggers (expiry, problem_not_current, a 4th hint, not-an-answer text) are
checked as cheaply as the service checks them, but their error paths are not reproduced.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import asyncpg  # type: ignore[import-untyped]

from src.answers.check import Verdict, check_answer
from src.config import get_settings
from src.practice.service import HISTORY_WINDOW, TODAYS_SESSIONS, choose_from, daily_seed
from src.streaks.days import advance, local_day, local_day_start

SESSION_LENGTH = timedelta(minutes=30)
MAX_ATTEMPTS = 3


async def init_connection(connection: asyncpg.Connection) -> None:
    """jsonb as Python values, as SQLAlchemy's asyncpg dialect sets it up."""
    await connection.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def no_reset(connection: asyncpg.Connection) -> None:
    """Pool release without asyncpg's reset query: every transaction here ends in COMMIT or ROLLBACK, and
    SQLAlchemy's pool does not send one either."""


@dataclass
class ProblemState:
    problem_id: int
    attempts: int = 0
    solved: bool = False
    skipped: bool = False
    hints: list[int] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.solved or self.skipped or self.attempts >= MAX_ATTEMPTS


@dataclass
class RawView:
    session_id: int
    student_id: int
    status: str
    started: datetime
    expires_at: datetime
    problems: dict[int, dict[str, Any]]
    states: list[ProblemState]
    last_event: datetime

    @property
    def current(self) -> ProblemState | None:
        return next((state for state in self.states if not state.finished), None)


_LOCK_SESSION = """
SELECT session_id, student_id, date, status::text, problem_ids, expires_at
FROM sessions WHERE session_id = $1 AND student_id = $2 FOR UPDATE"""
# As src/practice/views.py reads a view: responses, whole hint-view rows, and each problem's row version;
# the problems themselves come from a per-process cache, read again only when their version changes.
_VERSION = "p.xmin::text || ':' || p.ctid::text"


def _view_columns(session_id: str, problem_ids: str) -> str:
    return f"""
  (SELECT coalesce(jsonb_agg(jsonb_build_array(problem_id, student_answer, is_correct, evaluated_at)
                             ORDER BY response_id), '[]'::jsonb)
   FROM responses WHERE session_id = {session_id}) AS responses,
  (SELECT coalesce(jsonb_agg(to_jsonb(h) ORDER BY h.hint_number), '[]'::jsonb)
   FROM hint_views AS h WHERE h.session_id = {session_id}) AS hints,
  (SELECT coalesce(jsonb_agg(jsonb_build_array(p.problem_id, {_VERSION})), '[]'::jsonb) FROM problems AS p
   WHERE p.problem_id = ANY({problem_ids})) AS problems"""


_VIEW = f"SELECT {_view_columns('$1', '$2::int[]')}"
_PROBLEMS = f"""
SELECT {_VERSION} AS version, p.problem_id, p.topic, p.difficulty, p.question_en, p.question_bn, p.answer,
       p.hints
FROM problems AS p WHERE p.problem_id = ANY($1)"""
_problems: dict[int, tuple[str, dict[str, Any]]] = {}  # problem_id -> (row version, problem)


async def _problems_of(
    connection: asyncpg.Connection, versions: list[list[Any]]
) -> dict[int, dict[str, Any]]:
    missing = [pid for pid, version in versions if _problems.get(pid, ("",))[0] != version]
    for row in await connection.fetch(_PROBLEMS, missing) if missing else []:
        _problems[row["problem_id"]] = (row["version"], dict(row))
    return {pid: _problems[pid][1] for pid, _ in versions}


async def _view(connection: asyncpg.Connection, session: asyncpg.Record) -> RawView:
    """The session's responses, hint views and problems in one statement, as the service reads them."""
    ids: list[int] = list(session["problem_ids"])
    states = {pid: ProblemState(pid) for pid in ids}
    last_event: datetime = session["date"]
    row = await connection.fetchrow(_VIEW, session["session_id"], ids)
    for problem_id, answer, is_correct, evaluated_at in row["responses"]:
        state = states[problem_id]
        if answer == "":
            state.skipped = True
        else:
            state.attempts += 1
            state.solved = state.solved or is_correct
        last_event = max(last_event, datetime.fromisoformat(evaluated_at))
    for hint in row["hints"]:
        states[hint["problem_id"]].hints.append(hint["hint_number"])
    problems = await _problems_of(connection, row["problems"])
    return RawView(
        session["session_id"],
        session["student_id"],
        session["status"],
        session["date"],
        session["expires_at"],
        problems,
        [states[pid] for pid in ids],
        last_event,
    )


_AUTHENTICATE = "SELECT student_id FROM students WHERE telegram_id = $1"


async def _authenticate(connection: asyncpg.Connection, telegram_id: int) -> int:
    """The caller's student id, as the API's `current_student_id` dependency reads it."""
    student_id = await connection.fetchval(_AUTHENTICATE, telegram_id)
    if student_id is None:
        raise LookupError(f"no student for Telegram id {telegram_id}")
    return int(student_id)


async def _open(connection: asyncpg.Connection, student_id: int, session_id: int, now: datetime) -> RawView:
    session = await connection.fetchrow(_LOCK_SESSION, session_id, student_id)
    if session is None:
        raise LookupError(f"no session {session_id} for student {student_id}")
    if session["status"] != "completed" and now >= session["expires_at"]:
        raise RuntimeError("session expired")
    if session["status"] != "in_progress":
        raise RuntimeError("session closed")
    return await _view(connection, session)


async def _open_problem(
    connection: asyncpg.Connection, telegram_id: int, session_id: int, problem_id: int, now: datetime
) -> tuple[RawView, ProblemState]:
    """Authenticate, lock and read the session, and check that `problem_id` is its current problem."""
    student_id = await _authenticate(connection, telegram_id)
    view = await _open(connection, student_id, session_id, now)
    current = view.current
    if current is None or current.problem_id != problem_id:
        raise RuntimeError("problem not current")
    return view, current


async def start(pool: asyncpg.Pool, telegram_id: int, now: datetime) -> tuple[int, list[int]]:
    """Today's session of the student: (session_id, problem ids), resumed or returned as the app does."""
    zone = get_settings().timezone
    today = local_day(now, zone)
    async with pool.acquire() as connection, connection.transaction():
        student_id = await _authenticate(connection, telegram_id)
        student = await connection.fetchrow(
            "SELECT student_id, grade FROM students WHERE student_id = $1 FOR NO KEY UPDATE", student_id
        )
        if student is None:
            raise LookupError(f"no student {student_id}")
        # The app's own statement for all a start decides on: the session in progress, locked; the latest
        # completed one; the choice's inputs unless one of them is today's.
        found = await connection.fetchrow(
            TODAYS_SESSIONS,
            student_id,
            now,
            local_day_start(today, zone),
            student["grade"],
            now - HISTORY_WINDOW,
        )
        if found["active_session_id"] is not None:
            if now < found["active_expires_at"]:
                return found["active_session_id"], list(found["active_problem_ids"])
            await connection.execute(
                "UPDATE sessions SET status = 'abandoned' WHERE session_id = $1", found["active_session_id"]
            )
        elif found["seen_in_progress"]:  # the app reads the completed session again; students start once here
            raise RuntimeError("the session in progress changed while this start waited")
        done_on = found["done_date"]  # a session is the day's it began on, as in the service
        if done_on is not None and local_day(done_on, zone) == today:
            return found["done_session_id"], list(found["done_problem_ids"])
        picks = choose_from(found, now, daily_seed(student_id, today))  # the same pure choice
        ids = [pick.problem_id for pick in picks]
        # The session and its view (for the student to see) in one statement, as the service writes it.
        view = await connection.fetchrow(
            f"WITH s AS (INSERT INTO sessions (student_id, date, status, problem_ids, expires_at) "
            f"VALUES ($1, $2, 'in_progress', $3, $4) RETURNING session_id) "
            f"SELECT s.session_id, {_view_columns('s.session_id', '$5::int[]')} FROM s",
            student_id,
            now,
            ids,
            now + SESSION_LENGTH,
            ids,
        )
        session_id: int = view["session_id"]
        await _problems_of(connection, view["problems"])
        return session_id, ids


async def hint(pool: asyncpg.Pool, telegram_id: int, session_id: int, problem_id: int, now: datetime) -> int:
    """Show the next hint of the current problem; returns its number."""
    async with pool.acquire() as connection, connection.transaction():
        view, current = await _open_problem(connection, telegram_id, session_id, problem_id, now)
        number = len(current.hints) + 1
        if number > 3:
            raise RuntimeError("no hints left")
        curated = view.problems[problem_id]["hints"][number - 1]
        await connection.execute(
            "INSERT INTO hint_views (session_id, problem_id, hint_number, is_ai_generated, text_en, text_bn, "
            "created_at) VALUES ($1, $2, $3, false, $4, $5, $6)",
            session_id,
            problem_id,
            number,
            curated["text_en"],
            curated["text_bn"],
            now,
        )
        return number


async def answer(
    pool: asyncpg.Pool, telegram_id: int, session_id: int, problem_id: int, text: str, now: datetime
) -> tuple[bool, bool]:
    """Check and record an answer to the current problem; returns (correct, session completed)."""
    async with pool.acquire() as connection, connection.transaction():
        view, current = await _open_problem(connection, telegram_id, session_id, problem_id, now)
        problem = view.problems[problem_id]
        check = check_answer(text, problem["answer"])
        if check.verdict in (Verdict.NOT_AN_ANSWER, Verdict.UNDECIDED):
            return False, False
        correct = check.verdict is Verdict.CORRECT
        await connection.execute(
            "INSERT INTO responses (session_id, problem_id, student_answer, is_correct, time_spent_seconds, "
            "hints_used, hints_viewed, evaluated_at, confidence_level) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::confidence_level)",
            session_id,
            problem_id,
            text.strip()[:500],
            correct,
            max(0, min(int((now - view.last_event).total_seconds()), int(SESSION_LENGTH.total_seconds()))),
            len(current.hints),
            [{"hint_number": n, "is_ai_generated": False} for n in current.hints],
            now,
            check.confidence.value,
        )
        current.attempts += 1
        current.solved = current.solved or correct
        if any(not state.finished for state in view.states):
            return correct, False
        await connection.execute(
            "UPDATE sessions SET status = 'completed', completed_at = $2, total_time_seconds = $3, "
            "problems_correct = $4 WHERE session_id = $1",
            session_id,
            now,
            max(0, int((min(now, view.expires_at) - view.started).total_seconds())),
            sum(state.solved for state in view.states),
        )
        await _record_practice(connection, view.student_id, view.started)
        return correct, True


async def _record_practice(connection: asyncpg.Connection, student_id: int, started: datetime) -> None:
    await connection.execute(
        "INSERT INTO streaks (student_id) VALUES ($1) ON CONFLICT DO NOTHING", student_id
    )
    streak = await connection.fetchrow(
        "SELECT current_streak, longest_streak, last_practice_date, milestones_achieved FROM streaks "
        "WHERE student_id = $1 FOR UPDATE",
        student_id,
    )
    assert streak is not None
    update = advance(
        streak["current_streak"],
        streak["longest_streak"],
        streak["last_practice_date"],
        tuple(streak["milestones_achieved"]),
        local_day(started, get_settings().timezone),
    )
    await connection.execute(
        "UPDATE streaks SET current_streak = $2, longest_streak = $3, last_practice_date = $4, "
        "milestones_achieved = $5 WHERE student_id = $1",
        student_id,
        update.current,
        update.longest,
        update.last_practice_date,
        sorted({*streak["milestones_achieved"], *update.new_milestones}),
    )
