"""A daily practice session: five problems, expiring 30 minutes after it starts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from src.models.base import Base, created_at_column, updated_at_column
from src.models.enums import SessionStatus, pg_enum

if TYPE_CHECKING:
    from src.models.response import Response
    from src.models.student import Student


class Session(Base):
    __tablename__ = "sessions"
    __table_args__ = (
        CheckConstraint("problems_correct BETWEEN 0 AND 5", name="problems_correct_range"),
        CheckConstraint("total_time_seconds >= 0", name="total_time_non_negative"),
        CheckConstraint("jsonb_typeof(problem_ids) = 'array'", name="problem_ids_is_array"),
        Index("idx_sessions_student_created", "student_id", "created_at"),
        Index("idx_sessions_status", "status"),
        Index("idx_sessions_date", "date"),
        # Never two sessions in progress for one student, whatever the application does.
        Index(
            "uq_sessions_one_in_progress",
            "student_id",
            unique=True,
            postgresql_where=text("status = 'in_progress'"),
        ),
    )

    session_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    student_id: Mapped[int] = mapped_column(
        ForeignKey("students.student_id", ondelete="CASCADE"), nullable=False
    )
    date: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    status: Mapped[SessionStatus] = mapped_column(
        pg_enum(SessionStatus, "session_status"),
        nullable=False,
        default=SessionStatus.IN_PROGRESS,
        server_default=SessionStatus.IN_PROGRESS.value,
    )
    problem_ids: Mapped[list[int]] = mapped_column(JSONB, nullable=False)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    total_time_seconds: Mapped[int] = mapped_column(
        Integer, nullable=False, default=0, server_default=text("0")
    )
    problems_correct: Mapped[int] = mapped_column(
        Integer, nullable=False, default=0, server_default=text("0")
    )
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()

    student: Mapped[Student] = relationship(back_populates="sessions", lazy="raise")
    responses: Mapped[list[Response]] = relationship(back_populates="session", lazy="raise")

    def __repr__(self) -> str:
        return f"Session(session_id={self.session_id!r}, status={self.status!r})"
