"""A teacher's class: students join it from the bot with its join code."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from src.models.base import Base, created_at_column, updated_at_column

# Join codes avoid the letters and digits that read alike on a blackboard (0/O, 1/I/L).
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


class SchoolClass(Base):
    __tablename__ = "classes"
    __table_args__ = (
        CheckConstraint("grade IS NULL OR grade IN (6, 7, 8)", name="grade"),
        CheckConstraint("length(btrim(name)) > 0", name="name_not_blank"),
        CheckConstraint("join_code ~ '^[A-HJKMNP-Z2-9]{6}$'", name="join_code_format"),
        UniqueConstraint("teacher_id", "name", name="uq_classes_teacher_name"),
        Index("idx_classes_join_code", "join_code", unique=True),
    )

    class_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    teacher_id: Mapped[int] = mapped_column(
        ForeignKey("teachers.teacher_id", ondelete="CASCADE"), nullable=False
    )
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    grade: Mapped[int | None] = mapped_column(Integer, nullable=True)
    join_code: Mapped[str] = mapped_column(String(JOIN_CODE_LENGTH), nullable=False)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()

    def __repr__(self) -> str:
        return f"SchoolClass(class_id={self.class_id!r}, teacher_id={self.teacher_id!r})"
