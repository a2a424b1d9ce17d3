"""A one-time sign-in link the bot sent a teacher: valid for minutes, used once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from src.models.base import Base, created_at_column


class TeacherLoginLink(Base):
    __tablename__ = "teacher_login_links"
    __table_args__ = (
        CheckConstraint("expires_at > created_at", name="expires_after_creation"),
        CheckConstraint("used_at IS NULL OR used_at >= created_at", name="used_after_creation"),
        CheckConstraint("token_sha256 ~ '^[0-9a-f]{64}$'", name="token_sha256_hex"),
        Index("idx_teacher_login_links_teacher", "teacher_id"),
        Index("idx_teacher_login_links_expires", "expires_at"),
    )

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    teacher_id: Mapped[int] = mapped_column(
        ForeignKey("teachers.teacher_id", ondelete="CASCADE"), nullable=False
    )
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
