"""Which common wrong answer (the library's `mistakes:`) a recorded response was, so that an operator can
count them. Not one of the spec's six tables: one row beside a response, only when one matched."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from src.models.base import Base, created_at_column


class ResponseMisconception(Base):
    __tablename__ = "response_misconceptions"
    __table_args__ = (
        CheckConstraint("misconception ~ '^[a-z][a-z0-9_]{1,63}$'", name="misconception_id"),
        Index("idx_response_misconceptions_problem", "problem_id", "misconception"),
    )

    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.response_id", ondelete="CASCADE"), primary_key=True
    )
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("problems.problem_id", ondelete="CASCADE"), nullable=False
    )
    misconception: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = created_at_column()
