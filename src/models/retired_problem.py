"""A problem retired from the library (not one of the spec's six tables).

A problem that moves grade gets a new id; the old one is retired: its `problems` row stays, so the
responses and sessions that point at it stay readable, but no new session chooses it. The library's
list (src/content/retired.yaml) is the source; the loader writes these rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from src.models.base import Base, created_at_column


class RetiredProblem(Base):
    __tablename__ = "retired_problems"
    __table_args__ = (
        CheckConstraint("replaced_by IS NULL OR replaced_by <> problem_id", name="not_replaced_by_itself"),
    )

    problem_id: Mapped[int] = mapped_column(
        ForeignKey("problems.problem_id", ondelete="RESTRICT"), primary_key=True, autoincrement=False
    )
    # The problem that took its place (its new id in another grade), if any.
    replaced_by: Mapped[int | None] = mapped_column(
        ForeignKey("problems.problem_id", ondelete="RESTRICT"), nullable=True
    )
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    retired_at: Mapped[datetime] = created_at_column()

    def __repr__(self) -> str:
        return f"RetiredProblem(problem_id={self.problem_id!r}, replaced_by={self.replaced_by!r})"
