"""A student in a class: made when the student joins from the bot, deleted when they leave."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from src.models.base import Base, created_at_column


class ClassMembership(Base):
    __tablename__ = "class_memberships"
    __table_args__ = (Index("idx_class_memberships_student", "student_id"),)

    class_id: Mapped[int] = mapped_column(
        ForeignKey("classes.class_id", ondelete="CASCADE"), primary_key=True
    )
    student_id: Mapped[int] = mapped_column(
        ForeignKey("students.student_id", ondelete="CASCADE"), primary_key=True
    )
    joined_at: Mapped[datetime] = created_at_column()
