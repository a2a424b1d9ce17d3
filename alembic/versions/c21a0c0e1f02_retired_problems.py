"""retired problems: ids kept for old responses, never chosen for a new session

Revision ID: c21a0c0e1f02
Revises: b19a0c0e1f01
Create Date: 2026-12-07 23:40:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c21a0c0e1f02"
down_revision: str | None = "b19a0c0e1f01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "retired_problems",
        sa.Column("problem_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("replaced_by", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "replaced_by IS NULL OR replaced_by <> problem_id",
            name=op.f("ck_retired_problems_not_replaced_by_itself"),
        ),
        sa.ForeignKeyConstraint(
            ["problem_id"],
            ["problems.problem_id"],
            name=op.f("fk_retired_problems_problem_id_problems"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by"],
            ["problems.problem_id"],
            name=op.f("fk_retired_problems_replaced_by_problems"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("problem_id", name=op.f("pk_retired_problems")),
    )


def downgrade() -> None:
    op.drop_table("retired_problems")
