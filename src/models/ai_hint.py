"""A Claude-written hint kept for reuse: the same request (problem, ladder level, language, kind of
mistake) is paid for once. Not one of the spec's six tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from src.models.base import Base, created_at_column


class AiHint(Base):
    __tablename__ = "ai_hints"
    __table_args__ = (
        CheckConstraint("hint_number BETWEEN 1 AND 3", name="hint_number_range"),
        CheckConstraint("language IN ('bn', 'en')", name="language"),
    )

    problem_id: Mapped[int] = mapped_column(
        ForeignKey("problems.problem_id", ondelete="CASCADE"), primary_key=True
    )
    hint_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    mistake: Mapped[str] = mapped_column(String(32), primary_key=True)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    model: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = created_at_column()
