"""Read models of a session: what a channel shows, computed from the rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
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

    @property
    def current(self) -> ProblemProgress | None:
        return next((p for p in self.problems if not p.finished), None)

    @property
    def solved_count(self) -> int:
        return sum(p.solved for p in self.problems)

    def last_activity(self) -> datetime:
        return self.session.date


async def load_view(db: AsyncSession, session: PracticeSession, *, resumed: bool = False) -> SessionView:
    """Problems, responses and hint views of one session, in three queries."""
    ids = list(session.problem_ids)
    problems = {
        p.problem_id: p
        for p in (await db.execute(select(Problem).where(Problem.problem_id.in_(ids)))).scalars()
    }
    progress = {pid: ProblemProgress(position=i + 1, problem=problems[pid]) for i, pid in enumerate(ids)}
    responses = (
        await db.execute(
            select(Response.problem_id, Response.student_answer, Response.is_correct)
            .where(Response.session_id == session.session_id)
            .order_by(Response.response_id)
        )
    ).all()
    for problem_id, answer, is_correct in responses:
        item = progress[problem_id]
        if answer == SKIPPED:
            item.skipped = True
            continue
        item.attempts += 1
        item.solved = item.solved or is_correct
        item.last_answer = answer
    hints = (
        await db.execute(
            select(HintView).where(HintView.session_id == session.session_id).order_by(HintView.hint_number)
        )
    ).scalars()
    for hint in hints:
        progress[hint.problem_id].hints.append(hint)
    return SessionView(session=session, problems=[progress[pid] for pid in ids], resumed=resumed)
