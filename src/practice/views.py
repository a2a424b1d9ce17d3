"""Read models of a session: what a channel shows, computed from the rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, any_, func, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from src.models import HintView, Problem, Response
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
# responses and hint views aggregated as jsonb by correlated subqueries on the session row (three ORM queries
# were three round trips and much of a request's CPU; see bench/README.md). Problems and hint views come
# back as transient ORM objects: read-only snapshots, never added to the session.
_RESPONSES = (
    select(
        func.coalesce(
            func.jsonb_agg(
                aggregate_order_by(
                    func.jsonb_build_array(
                        Response.problem_id,
                        Response.student_answer,
                        Response.is_correct,
                        Response.evaluated_at,
                    ),
                    Response.response_id,
                )
            ),
            literal_column("'[]'::jsonb"),
        )
    )
    .where(Response.session_id == PracticeSession.session_id)
    .scalar_subquery()
)
_HINTS = (
    select(
        func.coalesce(
            func.jsonb_agg(
                aggregate_order_by(func.to_jsonb(literal_column("hint_views")), HintView.hint_number)
            ),
            literal_column("'[]'::jsonb"),
        )
    )
    .select_from(HintView)
    .where(HintView.session_id == PracticeSession.session_id)
    .scalar_subquery()
)
_PROBLEMS = (
    select(
        func.coalesce(
            func.jsonb_agg(func.to_jsonb(literal_column("problems"))), literal_column("'[]'::jsonb")
        )
    )
    .select_from(Problem)
    .where(  # problem_ids is a jsonb array of integers: ANY(ARRAY(...)) looks them up by primary key
        Problem.problem_id
        == any_(
            func.array(
                select(func.jsonb_array_elements_text(PracticeSession.problem_ids).cast(Integer))
                .correlate(PracticeSession)
                .scalar_subquery()
            )
        )
    )
    .scalar_subquery()
)


async def load_view(db: AsyncSession, session: PracticeSession, *, resumed: bool = False) -> SessionView:
    """The view of a session already loaded (one statement)."""
    statement = (
        select(_PROBLEMS, _RESPONSES, _HINTS)
        .select_from(PracticeSession)
        .where(PracticeSession.session_id == session.session_id)
    )
    problems, responses, hints = (await db.execute(statement)).one()
    return _build(session, problems, responses, hints, resumed)


async def find_view(
    db: AsyncSession, student_id: int, session_id: int, *, lock: bool = False
) -> SessionView | None:
    """The view of a session of this student, or None; `lock` takes the session row's lock (FOR UPDATE)."""
    owned = (PracticeSession.session_id == session_id, PracticeSession.student_id == student_id)
    if lock:
        # The lock is its own statement: a statement that waited for it still reads with the snapshot it
        # started with, and would miss the responses the lock holder just committed.
        locked = select(PracticeSession).where(*owned).with_for_update()
        session = (await db.execute(locked.execution_options(populate_existing=True))).scalar_one_or_none()
        return None if session is None else await load_view(db, session)
    row = (
        await db.execute(select(PracticeSession, _PROBLEMS, _RESPONSES, _HINTS).where(*owned))
    ).one_or_none()
    if row is None:
        return None
    session, problems, responses, hints = row
    return _build(session, problems, responses, hints, resumed=False)


def _build(
    session: PracticeSession,
    problem_rows: list[dict[str, Any]],
    response_rows: list[list[Any]],
    hint_rows: list[dict[str, Any]],
    resumed: bool,
) -> SessionView:
    ids = list(session.problem_ids)
    problems = {row["problem_id"]: _problem(row) for row in problem_rows}
    progress = {pid: ProblemProgress(position=i + 1, problem=problems[pid]) for i, pid in enumerate(ids)}
    answered_at = [_timestamp(evaluated_at) for *_, evaluated_at in response_rows]
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


def _timestamp(value: str) -> datetime:
    return datetime.fromisoformat(value)  # jsonb renders timestamptz in ISO 8601 with its offset


def _problem(row: dict[str, Any]) -> Problem:
    return Problem(
        **{name: row[name] for name in _PROBLEM_FIELDS},
        created_at=_timestamp(row["created_at"]),
        updated_at=_timestamp(row["updated_at"]),
    )


def _hint_view(row: dict[str, Any]) -> HintView:
    return HintView(**{name: row[name] for name in _HINT_FIELDS}, created_at=_timestamp(row["created_at"]))


_PROBLEM_FIELDS = tuple(
    column.key for column in Problem.__table__.columns if column.key not in ("created_at", "updated_at")
)
_HINT_FIELDS = tuple(column.key for column in HintView.__table__.columns if column.key != "created_at")
