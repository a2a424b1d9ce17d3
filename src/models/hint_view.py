"""A hint a student has seen for a problem of a session (not one of the spec's six tables).

Hints are asked for before an answer exists, and the next request may reach another process, so the
ladder position lives here. When the answer is recorded, its `responses.hints_used` / `hints_viewed`
are copied from these rows. The primary key makes "show hint 2" idempotent under concurrent requests.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from src.models.base import Base, created_at_column


class HintView(Base):
    __tablename__ = "hint_views"
    __table_args__ = (CheckConstraint("hint_number BETWEEN 1 AND 3", name="hint_number_range"),)

    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.session_id", ondelete="CASCADE"), primary_key=True
    )
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("problems.problem_id", ondelete="RESTRICT"), primary_key=True
    )
    hint_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    is_ai_generated: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    text_en: Mapped[str] = mapped_column(Text, nullable=False)
    text_bn: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = created_at_column()
