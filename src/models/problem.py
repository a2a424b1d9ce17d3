"""A problem of the bilingual library (loaded from src/content/problems)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from src.models.base import Base, created_at_column, updated_at_column


class Problem(Base):
    __tablename__ = "problems"
    __table_args__ = (
        CheckConstraint("grade IN (6, 7, 8)", name="grade"),
        CheckConstraint("difficulty IN (1, 2, 3)", name="difficulty"),
        CheckConstraint("estimated_time_minutes > 0", name="estimated_time_positive"),
        CheckConstraint("jsonb_typeof(hints) = 'array'", name="hints_is_array"),
        Index("idx_problems_grade_topic", "grade", "topic"),
        Index("idx_problems_difficulty", "difficulty"),
    )

    problem_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    grade: Mapped[int] = mapped_column(Integer, nullable=False)
    topic: Mapped[str] = mapped_column(String(100), nullable=False)
    subtopic: Mapped[str | None] = mapped_column(String(100), nullable=True)
    question_en: Mapped[str] = mapped_column(Text, nullable=False)
    question_bn: Mapped[str] = mapped_column(Text, nullable=False)
    answer: Mapped[str] = mapped_column(String(500), nullable=False)
    # [{"hint_number": 1, "text_en": ..., "text_bn": ..., "is_ai_generated": false}, ...]
    hints: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    difficulty: Mapped[int] = mapped_column(Integer, nullable=False)
    estimated_time_minutes: Mapped[int] = mapped_column(
        Integer, nullable=False, default=5, server_default=text("5")
    )
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()

    def __repr__(self) -> str:
        return f"Problem(problem_id={self.problem_id!r}, grade={self.grade!r}, topic={self.topic!r})"
