"""practice: one session in progress per student, hint views

Revision ID: 5c1e0a7d2b91
Revises: 47eebe03a353
Create Date: 2026-11-25 06:39:36.465248

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c1e0a7d2b91"
down_revision: str | None = "47eebe03a353"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hint_views",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.Column("hint_number", sa.Integer(), nullable=False),
        sa.Column("is_ai_generated", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("text_bn", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("hint_number BETWEEN 1 AND 3", name=op.f("ck_hint_views_hint_number_range")),
        sa.ForeignKeyConstraint(
            ["problem_id"],
            ["problems.problem_id"],
            name=op.f("fk_hint_views_problem_id_problems"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.session_id"],
            name=op.f("fk_hint_views_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "problem_id", "hint_number", name=op.f("pk_hint_views")),
    )
    op.create_index(
        "uq_sessions_one_in_progress",
        "sessions",
        ["student_id"],
        unique=True,
        postgresql_where=sa.text("status = 'in_progress'"),
    )


def downgrade() -> None:
    op.drop_index(
        "uq_sessions_one_in_progress",
        table_name="sessions",
        postgresql_where=sa.text("status = 'in_progress'"),
    )
    op.drop_table("hint_views")
