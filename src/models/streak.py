"""A student's run of consecutive practice days, and the milestones reached."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from src.models.base import Base, created_at_column, updated_at_column

if TYPE_CHECKING:
    from src.models.student import Student

MILESTONES: tuple[int, ...] = (7, 14, 30, 60, 90, 180, 365)


class Streak(Base):
    __tablename__ = "streaks"
    __table_args__ = (
        CheckConstraint("longest_streak >= current_streak", name="longest_at_least_current"),
        CheckConstraint("current_streak >= 0", name="current_non_negative"),
        CheckConstraint("longest_streak >= 0", name="longest_non_negative"),
        CheckConstraint("jsonb_typeof(milestones_achieved) = 'array'", name="milestones_is_array"),
        Index("idx_streaks_current", "current_streak"),
    )

    student_id: Mapped[int] = mapped_column(
        ForeignKey("students.student_id", ondelete="CASCADE"), primary_key=True
    )
    current_streak: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default=text("0"))
    longest_streak: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default=text("0"))
    last_practice_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    milestones_achieved: Mapped[list[int]] = mapped_column(
        JSONB, nullable=False, default=list, server_default=text("'[]'::jsonb")
    )
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()

    student: Mapped[Student] = relationship(back_populates="streak", lazy="raise")

    def add_milestone(self, days: int) -> bool:
        """Record a milestone once; True when newly recorded. Refuses days that are not milestones."""
        if isinstance(days, bool) or days not in MILESTONES:
            raise ValueError(f"{days!r} is not a streak milestone; milestones are {MILESTONES}")
        achieved = list(self.milestones_achieved or [])
        if days in achieved:
            return False
        # Assign a new list: in-place mutation of a JSON value is invisible to the ORM.
        self.milestones_achieved = sorted([*achieved, days])
        return True

    def __repr__(self) -> str:
        return f"Streak(student_id={self.student_id!r}, current_streak={self.current_streak!r})"
