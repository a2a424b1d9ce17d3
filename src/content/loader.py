"""Put the problem library into the `problems` table: idempotent, in place, never duplicating.

Rows are keyed by the library's ids (problem_id = id), so answers and sessions that point at a problem
keep pointing at it after an edit. Running the loader again changes nothing unless a file changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, or_, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from src.content.library import LibraryError, LibraryProblem
from src.content.retired import Retirement
from src.content.validate import validate_problems
from src.models import Problem, RetiredProblem

# Columns the library owns; created_at/updated_at are the database's (a trigger moves updated_at).
CONTENT_COLUMNS = (
    "grade",
    "topic",
    "subtopic",
    "question_en",
    "question_bn",
    "answer",
    "hints",
    "difficulty",
    "estimated_time_minutes",
)
# asyncpg allows 32767 bind parameters per statement; 10 columns a row leaves ample room.
_BATCH = 1000

_ADVANCE_SEQUENCE = text(
    """
    SELECT setval(seq, GREATEST(max_id, COALESCE(pg_sequence_last_value(seq), 0)))
    FROM (SELECT pg_get_serial_sequence('problems', 'problem_id')::regclass AS seq) AS s,
         (SELECT MAX(problem_id) AS max_id FROM problems) AS m
    WHERE seq IS NOT NULL AND max_id IS NOT NULL
    """
)


@dataclass(frozen=True, slots=True)
class LoadReport:
    inserted: int
    updated: int
    unchanged: int
    retired: int = 0  # ids newly marked retired by this load

    def __str__(self) -> str:
        text = f"inserted {self.inserted}, updated {self.updated}, unchanged {self.unchanged}"
        return text + (f", retired {self.retired}" if self.retired else "")


def problem_row(problem: LibraryProblem) -> dict[str, Any]:
    """The `problems` row for a library problem, hints in the spec's JSON shape."""
    return {
        "problem_id": problem.id,
        "grade": problem.grade,
        "topic": problem.topic,
        "subtopic": problem.subtopic,
        "question_en": problem.question_en,
        "question_bn": problem.question_bn,
        "answer": problem.answer,
        "hints": [
            {"hint_number": number, "text_en": hint.en, "text_bn": hint.bn, "is_ai_generated": False}
            for number, hint in enumerate(problem.hints, start=1)
        ],
        "difficulty": problem.difficulty,
        "estimated_time_minutes": problem.estimated_time_minutes,
    }


async def load_library(
    db: AsyncSession, problems: Sequence[LibraryProblem], retired: Sequence[Retirement] = ()
) -> LoadReport:
    """Upsert the problems by id, mark the retired ids that have a row, and move the id sequence past
    them; flushes, the caller commits.

    Raises LibraryError (listing the faults) when the problems do not pass validation. The upsert is a
    Core statement: Problem objects already in this session's identity map are not refreshed.
    """
    faults = validate_problems(problems, retired)
    if faults:
        raise LibraryError(faults)
    rows = [problem_row(problem) for problem in problems]
    ids = [row["problem_id"] for row in rows]
    await db.flush()  # pending ORM changes first, so the comparison below sees them
    existing = set((await db.scalars(select(Problem.problem_id).where(Problem.problem_id.in_(ids)))).all())

    table = cast(Table, Problem.__table__)
    written: set[int] = set()
    for start in range(0, len(rows), _BATCH):
        statement = insert(table).values(rows[start : start + _BATCH])
        upsert = statement.on_conflict_do_update(
            index_elements=[table.c.problem_id],
            set_={name: statement.excluded[name] for name in CONTENT_COLUMNS},
            # Only rows that differ are updated, so the updated_at trigger fires only for real edits.
            where=or_(
                *(table.c[name].is_distinct_from(statement.excluded[name]) for name in CONTENT_COLUMNS)
            ),
        ).returning(table.c.problem_id)
        written.update((await db.execute(upsert)).scalars().all())

    newly_retired = await _mark_retired(db, retired)
    await db.execute(_ADVANCE_SEQUENCE)
    await db.flush()
    inserted = len(written - existing)
    updated = len(written & existing)
    return LoadReport(
        inserted=inserted,
        updated=updated,
        unchanged=len(rows) - inserted - updated,
        retired=newly_retired,
    )


async def _mark_retired(db: AsyncSession, retired: Sequence[Retirement]) -> int:
    """Rows of `retired_problems` for the retired ids that have a `problems` row (an id retired before it
    was ever loaded has nothing to keep out of sessions); the number newly retired."""
    if not retired:
        return 0
    ids = [entry.id for entry in retired]
    present = set((await db.scalars(select(Problem.problem_id).where(Problem.problem_id.in_(ids)))).all())
    already = set(
        (await db.scalars(select(RetiredProblem.problem_id).where(RetiredProblem.problem_id.in_(ids)))).all()
    )
    rows = [
        {"problem_id": entry.id, "replaced_by": entry.replaced_by, "reason": entry.reason}
        for entry in retired
        if entry.id in present
    ]
    if not rows:
        return 0
    table = cast(Table, RetiredProblem.__table__)
    statement = insert(table).values(rows)
    await db.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.problem_id],
            set_={"replaced_by": statement.excluded.replaced_by, "reason": statement.excluded.reason},
            where=or_(
                table.c.replaced_by.is_distinct_from(statement.excluded.replaced_by),
                table.c.reason.is_distinct_from(statement.excluded.reason),
            ),
        )
    )
    return len({row["problem_id"] for row in rows} - already)
