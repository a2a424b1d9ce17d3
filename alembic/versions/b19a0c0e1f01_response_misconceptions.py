"""which common wrong answer a response was (issue 19)

Revision ID: b19a0c0e1f01
Revises: 7a3c9e1f0b42
Create Date: 2026-12-07 23:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b19a0c0e1f01"
down_revision: str | None = "7a3c9e1f0b42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "response_misconceptions",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.Column("misconception", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "misconception ~ '^[a-z][a-z0-9_]{1,63}$'",
            name=op.f("ck_response_misconceptions_misconception_id"),
        ),
        sa.ForeignKeyConstraint(
            ["problem_id"],
            ["problems.problem_id"],
            name=op.f("fk_response_misconceptions_problem_id_problems"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.response_id"],
            name=op.f("fk_response_misconceptions_response_id_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", name=op.f("pk_response_misconceptions")),
    )
    op.create_index(
        "idx_response_misconceptions_problem",
        "response_misconceptions",
        ["problem_id", "misconception"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("idx_response_misconceptions_problem", table_name="response_misconceptions")
    op.drop_table("response_misconceptions")
