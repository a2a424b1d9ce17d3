"""A signed-in browser of the web pages: an operator (ADMIN_TOKEN) or a teacher (through Telegram).

The cookie holds a random token; only its SHA-256 is stored, so a read of this table signs nobody in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from src.models.base import Base, created_at_column


class WebSession(Base):
    __tablename__ = "web_sessions"
    __table_args__ = (
        CheckConstraint("role IN ('operator', 'teacher')", name="role"),
        CheckConstraint("(role = 'teacher') = (teacher_id IS NOT NULL)", name="teacher_iff_role"),
        CheckConstraint("expires_at > created_at", name="expires_after_creation"),
        CheckConstraint("token_sha256 ~ '^[0-9a-f]{64}$'", name="token_sha256_hex"),
        Index("idx_web_sessions_expires", "expires_at"),
        Index("idx_web_sessions_teacher", "teacher_id"),
    )

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    teacher_id: Mapped[int | None] = mapped_column(
        ForeignKey("teachers.teacher_id", ondelete="CASCADE"), nullable=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
