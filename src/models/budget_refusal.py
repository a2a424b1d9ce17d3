"""An AI call the monthly budget did not allow (the student got the curated path): counted for operators."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from src.models.base import Base, created_at_column
from src.models.enums import CostOperation, pg_enum


class BudgetRefusal(Base):
    __tablename__ = "budget_refusals"
    __table_args__ = (Index("idx_budget_refusals_refused", "refused_at"),)

    refusal_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    student_id: Mapped[int] = mapped_column(
        ForeignKey("students.student_id", ondelete="CASCADE"), nullable=False
    )
    operation: Mapped[CostOperation] = mapped_column(pg_enum(CostOperation, "cost_operation"), nullable=False)
    refused_at: Mapped[datetime] = created_at_column()
