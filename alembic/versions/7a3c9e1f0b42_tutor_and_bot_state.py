"""tutor hint reuse and telegram bot state

Revision ID: 7a3c9e1f0b42
Revises: 5c1e0a7d2b91
Create Date: 2026-11-25 06:49:26.677055

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "7a3c9e1f0b42"
down_revision: str | None = "5c1e0a7d2b91"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "telegram_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_telegram_updates")),
    )
    op.create_index("idx_telegram_updates_received", "telegram_updates", ["received_at"], unique=False)
    op.create_table(
        "ai_hints",
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.Column("hint_number", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("mistake", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("language IN ('bn', 'en')", name=op.f("ck_ai_hints_language")),
        sa.CheckConstraint("hint_number BETWEEN 1 AND 3", name=op.f("ck_ai_hints_hint_number_range")),
        sa.ForeignKeyConstraint(
            ["problem_id"],
            ["problems.problem_id"],
            name=op.f("fk_ai_hints_problem_id_problems"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("problem_id", "hint_number", "language", "mistake", name=op.f("pk_ai_hints")),
    )
    op.create_table(
        "bot_chats",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=32), server_default=sa.text("'idle'"), nullable=False),
        sa.Column(
            "draft",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("language", sa.String(length=2), server_default=sa.text("'bn'"), nullable=False),
        sa.Column("blocked", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("last_reminder_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("language IN ('bn', 'en')", name=op.f("ck_bot_chats_language")),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["students.student_id"],
            name=op.f("fk_bot_chats_student_id_students"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("chat_id", name=op.f("pk_bot_chats")),
    )
    op.create_index("idx_bot_chats_student", "bot_chats", ["student_id"], unique=False)
    op.execute(
        "CREATE TRIGGER trg_bot_chats_updated_at BEFORE UPDATE ON bot_chats "
        "FOR EACH ROW EXECUTE FUNCTION dars_set_updated_at()"
    )


def downgrade() -> None:
    op.drop_index("idx_bot_chats_student", table_name="bot_chats")
    op.drop_table("bot_chats")
    op.drop_table("ai_hints")
    op.drop_index("idx_telegram_updates_received", table_name="telegram_updates")
    op.drop_table("telegram_updates")
