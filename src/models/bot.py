"""Telegram bot state kept in PostgreSQL (PTB's own persistence is per process). Not spec tables."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Index, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from src.models.base import Base, created_at_column, updated_at_column


class TelegramUpdate(Base):
    """Every update_id handled: an update delivered twice is recognised by its primary key."""

    __tablename__ = "telegram_updates"
    __table_args__ = (Index("idx_telegram_updates_received", "received_at"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    received_at: Mapped[datetime] = created_at_column()


class BotChat(Base):
    """One private chat with the bot: conversation state, language before registration, reachability."""

    __tablename__ = "bot_chats"
    __table_args__ = (
        CheckConstraint("language IN ('bn', 'en')", name="language"),
        Index("idx_bot_chats_student", "student_id"),
    )

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    student_id: Mapped[int | None] = mapped_column(
        ForeignKey("students.student_id", ondelete="SET NULL"), nullable=True
    )
    state: Mapped[str] = mapped_column(String(32), nullable=False, server_default=text("'idle'"))
    draft: Mapped[dict[str, Any]] = mapped_column(
        JSONB, nullable=False, default=dict, server_default=text("'{}'::jsonb")
    )
    language: Mapped[str] = mapped_column(String(2), nullable=False, server_default=text("'bn'"))
    blocked: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    last_reminder_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = updated_at_column()
