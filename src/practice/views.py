"""Read models of a session: what a channel shows, computed from the rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from src.driver import Driver, Row, adopt_row, driver, select_list, snapshot, values_of
from src.models import HintView, Problem
from src.models import Session as PracticeSession

MAX_ATTEMPTS = 3
SKIPPED = ""  # student_answer of a skip: empty text is never recorded as an answer, so it is unambiguous


@dataclass
class ProblemProgress:
    position: int  # 1-based place in the session
    problem: Problem
    attempts: int = 0
    solved: bool = False
    skipped: bool = False
    hints: list[HintView] = field(default_factory=list)
    last_answer: str | None = None

    @property
    def finished(self) -> bool:
        return self.solved or self.skipped or self.attempts >= MAX_ATTEMPTS

    @property
    def attempts_left(self) -> int:
        return 0 if self.finished else MAX_ATTEMPTS - self.attempts


@dataclass
class SessionView:
    session: PracticeSession
    problems: list[ProblemProgress]
    resumed: bool = False
    last_answer_at: datetime | None = None  # when the latest response was recorded (times the next one)

    @property
    def current(self) -> ProblemProgress | None:
        return next((p for p in self.problems if not p.finished), None)

    @property
    def solved_count(self) -> int:
        return sum(p.solved for p in self.problems)


# The view of a session is read on every answer and every hint, so it is one statement: its problems,
# responses and hint views aggregated as jsonb by subqueries on the session's id, sent on the
# session's own asyncpg connection (src/driver.py). Four ORM queries were four round trips and most of a
# request's CPU (bench/README.md). Hint views come back as transient ORM objects: read-only snapshots,
# never added to the session; the session row becomes a persistent object of `db`. Problems come back
# as versions only, and the problems themselves from a process-wide cache (_ProblemSnapshots).
_SESSION_COLUMNS = select_list(PracticeSession, "s")
# xmin and ctid together name a row version: any change to a problem, in any transaction, changes them.
_VERSION = "p.xmin::text || ':' || p.ctid::text"


def view_columns(session_id: str, problem_ids: str) -> str:
    """The select list that reads a session's view (`view_from_row` builds it): problem versions, responses
    and hint views of the session `session_id`, whose problems are `problem_ids` (SQL expressions)."""
    return f"""
  (SELECT coalesce(jsonb_agg(jsonb_build_array(p.problem_id, {_VERSION})), '[]'::jsonb) FROM problems AS p
   WHERE p.problem_id = ANY({problem_ids})) AS problems,
  (SELECT coalesce(jsonb_agg(jsonb_build_array(r.problem_id, r.student_answer, r.is_correct, r.evaluated_at)
                             ORDER BY r.response_id), '[]'::jsonb)
   FROM responses AS r WHERE r.session_id = {session_id}) AS responses,
  (SELECT coalesce(jsonb_agg(to_jsonb(h) ORDER BY h.hint_number), '[]'::jsonb)
   FROM hint_views AS h WHERE h.session_id = {session_id}) AS hints"""


_OWNED = "s.session_id = $1 AND s.student_id = $2"
# Of a session already read: its id and problem ids are parameters, so the statement reads no session row.
_VIEW_OF = f"SELECT {view_columns('$1', '$2::int[]')}"
# Of a session found by id (problem_ids is a jsonb array of integers, looked up by primary key).
_FIND = (
    f"SELECT {_SESSION_COLUMNS}, "
    f"{view_columns('s.session_id', 'ARRAY(SELECT jsonb_array_elements_text(s.problem_ids)::int)')} "
    f"FROM sessions AS s WHERE {_OWNED}"
)
# The lock is its own statement: a statement that waited for it still reads with the snapshot it started
# with, and would miss the responses the lock holder just committed.
_LOCK = f"SELECT {_SESSION_COLUMNS} FROM sessions AS s WHERE {_OWNED} FOR UPDATE"
_PROBLEMS = f"""
SELECT {_VERSION} AS version, {select_list(Problem, "p")} FROM problems AS p WHERE p.problem_id = ANY($1)"""


class _ProblemSnapshots:
    """The problems of a process's sessions as transient ORM objects, read once per row version.

    Every hint and answer shows or checks five problems; decoding them from the database and building
    their objects on every request was a tenth of the request's CPU. The library is small (280
    problems) and changes rarely; a view reads the versions of its problems (one short column each) and
    only a changed or unseen problem is read again. Snapshots are shared by every request: read-only.
    """

    LIMIT = 4096  # never hold more than this many (the library is 280); start again if it grows past it

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[str, Problem]] = {}

    async def get(self, connection: Driver, versions: list[list[Any]]) -> dict[int, Problem]:
        found: dict[int, Problem] = {}
        missing: list[int] = []
        for problem_id, version in versions:
            cached = self._by_id.get(problem_id)
            if cached is not None and cached[0] == version:
                found[problem_id] = cached[1]
            else:
                missing.append(problem_id)
        if missing:
            if len(self._by_id) + len(missing) > self.LIMIT:
                self._by_id.clear()
            for row in await connection.fetch(_PROBLEMS, missing):
                problem = snapshot(Problem, values_of(Problem, row))
                self._by_id[problem.problem_id] = (row["version"], problem)
                found[problem.problem_id] = problem
        return found


_problem_snapshots = _ProblemSnapshots()


async def load_view(db: AsyncSession, session: PracticeSession, *, resumed: bool = False) -> SessionView:
    """The view of a session already loaded (one statement)."""
    return await _view_of(await driver(db), session, resumed)


async def _view_of(connection: Driver, session: PracticeSession, resumed: bool) -> SessionView:
    row = await connection.fetchrow(_VIEW_OF, session.session_id, list(session.problem_ids))
    assert row is not None  # the session is in this transaction: it exists
    return await view_from_row(connection, session, row, resumed=resumed)


async def view_from_row(
    connection: Driver, session: PracticeSession, row: Row, *, resumed: bool = False
) -> SessionView:
    """The view of `session` from a row that selected `view_columns` (with the statement that wrote it)."""
    problems = await _problem_snapshots.get(connection, row["problems"])
    return _build(session, problems, row["responses"], row["hints"], resumed)


async def find_view(
    db: AsyncSession, student_id: int, session_id: int, *, lock: bool = False
) -> SessionView | None:
    """The view of a session of this student, or None; `lock` takes the session row's lock (FOR UPDATE)."""
    connection = await driver(db)
    if lock:
        locked = await connection.fetchrow(_LOCK, session_id, student_id)
        return (
            None
            if locked is None
            else await _view_of(connection, adopt_row(db, PracticeSession, locked), resumed=False)
        )
    row = await connection.fetchrow(_FIND, session_id, student_id)
    if row is None:
        return None
    problems = await _problem_snapshots.get(connection, row["problems"])
    return _build(
        adopt_row(db, PracticeSession, row), problems, row["responses"], row["hints"], resumed=False
    )


def _build(
    session: PracticeSession,
    problems: dict[int, Problem],
    response_rows: list[list[Any]],
    hint_rows: list[dict[str, Any]],
    resumed: bool,
) -> SessionView:
    ids = list(session.problem_ids)
    progress = {pid: ProblemProgress(position=i + 1, problem=problems[pid]) for i, pid in enumerate(ids)}
    answered_at = [jsonb_timestamp(evaluated_at) for *_, evaluated_at in response_rows]
    for problem_id, answer, is_correct, _ in response_rows:
        item = progress[problem_id]
        if answer == SKIPPED:
            item.skipped = True
            continue
        item.attempts += 1
        item.solved = item.solved or is_correct
        item.last_answer = answer
    for row in hint_rows:
        progress[row["problem_id"]].hints.append(_hint_view(row))
    return SessionView(
        session=session,
        problems=[progress[pid] for pid in ids],
        resumed=resumed,
        last_answer_at=max(answered_at, default=None),
    )


def jsonb_timestamp(value: str) -> datetime:
    return datetime.fromisoformat(value)  # jsonb renders timestamptz in ISO 8601 with its offset


def _hint_view(row: dict[str, Any]) -> HintView:
    values = {name: row[name] for name in _HINT_FIELDS}
    values["created_at"] = jsonb_timestamp(row["created_at"])
    return snapshot(HintView, values)


_HINT_FIELDS = tuple(column.key for column in HintView.__table__.columns if column.key != "created_at")
