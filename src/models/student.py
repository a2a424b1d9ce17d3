"""A learner, known to us by their Telegram account."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, CheckConstraint, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from src.models.base import Base, created_at_column, updated_at_column

if TYPE_CHECKING:
    from src.models.cost_record import CostRecord
    from src.models.session import Session
    from src.models.streak import Streak


class Student(Base):
    __tablename__ = "students"
    __table_args__ = (
        CheckConstraint("grade IN (6, 7, 8)", name="grade"),
        CheckConstraint("language IN ('bn', 'en')", name="language"),
        # The spec's UNIQUE and its index are one unique index, so PostgreSQL keeps one structure.
        Index("idx_students_telegram_id", "telegram_id", unique=True),
        Index("idx_students_grade", "grade"),
    )

    student_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    grade: Mapped[int] = mapped_column(Integer, nullable=False)
    language: Mapped[str] = mapped_column(
        String(2), nullable=False, default="bn", server_default=text("'bn'")
    )
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()

    sessions: Mapped[list[Session]] = relationship(back_populates="student", lazy="raise")
    streak: Mapped[Streak | None] = relationship(back_populates="student", uselist=False, lazy="raise")
    cost_records: Mapped[list[CostRecord]] = relationship(back_populates="student", lazy="raise")

    def __repr__(self) -> str:
        return f"Student(student_id={self.student_id!r}, grade={self.grade!r})"
