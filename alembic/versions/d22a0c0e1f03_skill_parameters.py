"""skill_parameters: fitted BKT parameters per skill

Revision ID: d22a0c0e1f03
Revises: c21a0c0e1f02
Create Date: 2026-12-07 23:40:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d22a0c0e1f03"
down_revision: str | None = "c21a0c0e1f02"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "skill_parameters",
        sa.Column("skill", sa.String(length=100), nullable=False),
        sa.Column("p_init", sa.Double(), nullable=False),
        sa.Column("p_learn", sa.Double(), nullable=False),
        sa.Column("p_guess", sa.Double(), nullable=False),
        sa.Column("p_slip", sa.Double(), nullable=False),
        sa.Column("p_forget", sa.Double(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("students", sa.Integer(), nullable=False),
        sa.Column("fitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("p_init > 0 AND p_init < 1", name=op.f("ck_skill_parameters_p_init_range")),
        sa.CheckConstraint("p_learn > 0 AND p_learn < 1", name=op.f("ck_skill_parameters_p_learn_range")),
        sa.CheckConstraint("p_guess > 0 AND p_guess < 0.5", name=op.f("ck_skill_parameters_p_guess_range")),
        sa.CheckConstraint("p_slip > 0 AND p_slip < 0.5", name=op.f("ck_skill_parameters_p_slip_range")),
        sa.CheckConstraint("p_forget >= 0 AND p_forget < 1", name=op.f("ck_skill_parameters_p_forget_range")),
        sa.CheckConstraint(
            "answers >= 0 AND students >= 0", name=op.f("ck_skill_parameters_counts_non_negative")
        ),
        sa.PrimaryKeyConstraint("skill", name=op.f("pk_skill_parameters")),
    )


def downgrade() -> None:
    op.drop_table("skill_parameters")
