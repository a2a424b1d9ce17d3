"""One paid call to an external API, for the cost ceiling and the monthly report."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, Index, Integer, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from src.models.base import Base
from src.models.enums import ApiProvider, CostOperation, pg_enum

if TYPE_CHECKING:
    from src.models.session import Session
    from src.models.student import Student


class CostRecord(Base):
    __tablename__ = "cost_records"
    __table_args__ = (
        CheckConstraint("cost_usd >= 0", name="cost_non_negative"),
        CheckConstraint("input_tokens IS NULL OR input_tokens >= 0", name="input_tokens_non_negative"),
        CheckConstraint("output_tokens IS NULL OR output_tokens >= 0", name="output_tokens_non_negative"),
        Index("idx_cost_records_student", "student_id"),
        Index("idx_cost_records_session", "session_id"),
        Index("idx_cost_records_recorded", "recorded_at"),
        Index("idx_cost_records_operation", "operation"),
    )

    cost_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    student_id: Mapped[int] = mapped_column(
        ForeignKey("students.student_id", ondelete="CASCADE"), nullable=False
    )
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.session_id", ondelete="SET NULL"), nullable=True
    )
    operation: Mapped[CostOperation] = mapped_column(pg_enum(CostOperation, "cost_operation"), nullable=False)
    api_provider: Mapped[ApiProvider] = mapped_column(pg_enum(ApiProvider, "api_provider"), nullable=False)
    input_tokens: Mapped[int | None] = mapped_column(Integer, nullable=True)
    output_tokens: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cost_usd: Mapped[float] = mapped_column(Float, nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )

    student: Mapped[Student] = relationship(back_populates="cost_records", lazy="raise")
    session: Mapped[Session | None] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"CostRecord(cost_id={self.cost_id!r}, cost_usd={self.cost_usd!r})"
