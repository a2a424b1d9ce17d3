"""BKT parameters of one skill, fitted from stored first answers by `dars learning fit`
(src/practice/learning.py). Not one of the spec's six tables; a skill without a row uses the defaults of
src/practice/mastery.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Double, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from src.models.base import Base


class SkillParameters(Base):
    __tablename__ = "skill_parameters"
    __table_args__ = (
        CheckConstraint("p_init > 0 AND p_init < 1", name="p_init_range"),
        CheckConstraint("p_learn > 0 AND p_learn < 1", name="p_learn_range"),
        CheckConstraint("p_guess > 0 AND p_guess < 0.5", name="p_guess_range"),
        CheckConstraint("p_slip > 0 AND p_slip < 0.5", name="p_slip_range"),
        CheckConstraint("p_forget >= 0 AND p_forget < 1", name="p_forget_range"),
        CheckConstraint("answers >= 0 AND students >= 0", name="counts_non_negative"),
    )

    skill: Mapped[str] = mapped_column(String(100), primary_key=True)
    p_init: Mapped[float] = mapped_column(Double, nullable=False)
    p_learn: Mapped[float] = mapped_column(Double, nullable=False)
    p_guess: Mapped[float] = mapped_column(Double, nullable=False)
    p_slip: Mapped[float] = mapped_column(Double, nullable=False)
    p_forget: Mapped[float] = mapped_column(Double, nullable=False)
    answers: Mapped[int] = mapped_column(Integer, nullable=False)  # first answers the fit read
    students: Mapped[int] = mapped_column(Integer, nullable=False)
    fitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
