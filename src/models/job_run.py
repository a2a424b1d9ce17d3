"""The last run of each periodic job (session expiry, reminders), for the operators' health page."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from src.models.base import Base


class JobRun(Base):
    __tablename__ = "job_runs"
    __table_args__ = (
        CheckConstraint("job IN ('expiry', 'reminders')", name="job"),
        CheckConstraint("runs >= 1", name="runs_positive"),
        CheckConstraint("failures >= 0 AND failures <= runs", name="failures_range"),
    )

    job: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_run_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    last_ok: Mapped[bool] = mapped_column(Boolean, nullable=False)
    last_detail: Mapped[str] = mapped_column(Text, nullable=False, server_default=text("''"))
    last_ok_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    runs: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))
    failures: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("0"))
