"""One submitted answer to one problem of a session."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from src.models.base import Base
from src.models.enums import ConfidenceLevel, pg_enum

if TYPE_CHECKING:
    from src.models.problem import Problem
    from src.models.session import Session


class Response(Base):
    __tablename__ = "responses"
    __table_args__ = (
        CheckConstraint("hints_used BETWEEN 0 AND 3", name="hints_used_range"),
        CheckConstraint("time_spent_seconds >= 0", name="time_spent_non_negative"),
        CheckConstraint("jsonb_typeof(hints_viewed) = 'array'", name="hints_viewed_is_array"),
        Index("idx_responses_session", "session_id"),
        Index("idx_responses_problem", "problem_id"),
        Index("idx_responses_correctness", "is_correct"),
    )

    response_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.session_id", ondelete="CASCADE"), nullable=False
    )
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("problems.problem_id", ondelete="RESTRICT"), nullable=False
    )
    student_answer: Mapped[str] = mapped_column(String(500), nullable=False)
    is_correct: Mapped[bool] = mapped_column(Boolean, nullable=False)
    time_spent_seconds: Mapped[int] = mapped_column(
        Integer, nullable=False, default=0, server_default=text("0")
    )
    hints_used: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default=text("0"))
    # [{"hint_number": 1, "is_ai_generated": false, ...}, ...]
    hints_viewed: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, nullable=False, default=list, server_default=text("'[]'::jsonb")
    )
    evaluated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
    confidence_level: Mapped[ConfidenceLevel] = mapped_column(
        pg_enum(ConfidenceLevel, "confidence_level"),
        nullable=False,
        default=ConfidenceLevel.MEDIUM,
        server_default=ConfidenceLevel.MEDIUM.value,
    )

    session: Mapped[Session] = relationship(back_populates="responses", lazy="raise")
    problem: Mapped[Problem] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"Response(response_id={self.response_id!r}, is_correct={self.is_correct!r})"
