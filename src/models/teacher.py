"""A teacher, known by their Telegram account (they sign in through the bot, without a Dars password)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from src.models.base import Base, created_at_column, updated_at_column


class Teacher(Base):
    __tablename__ = "teachers"
    __table_args__ = (
        CheckConstraint("language IN ('bn', 'en')", name="language"),
        CheckConstraint("length(btrim(name)) > 0", name="name_not_blank"),
        Index("idx_teachers_telegram_id", "telegram_id", unique=True),
    )

    teacher_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    language: Mapped[str] = mapped_column(
        String(2), nullable=False, default="bn", server_default=text("'bn'")
    )
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()

    def __repr__(self) -> str:
        return f"Teacher(teacher_id={self.teacher_id!r})"
