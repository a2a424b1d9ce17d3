"""web pages: teachers, classes, class memberships, web sessions, teacher sign-in links, job runs, budget
refusals

Revision ID: e23a0c0e1f04
Revises: d22a0c0e1f03
Create Date: 2026-12-07 23:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "e23a0c0e1f04"
down_revision: str | None = "d22a0c0e1f03"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _now() -> sa.TextClause:
    return sa.text("now()")


def upgrade() -> None:
    op.create_table(
        "teachers",
        sa.Column("teacher_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("language", sa.String(length=2), server_default=sa.text("'bn'"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.CheckConstraint("language IN ('bn', 'en')", name=op.f("ck_teachers_language")),
        sa.CheckConstraint("length(btrim(name)) > 0", name=op.f("ck_teachers_name_not_blank")),
        sa.PrimaryKeyConstraint("teacher_id", name=op.f("pk_teachers")),
    )
    op.create_index("idx_teachers_telegram_id", "teachers", ["telegram_id"], unique=True)
    op.execute(
        "CREATE TRIGGER trg_teachers_updated_at BEFORE UPDATE ON teachers "
        "FOR EACH ROW EXECUTE FUNCTION dars_set_updated_at()"
    )

    op.create_table(
        "classes",
        sa.Column("class_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("join_code", sa.String(length=6), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.CheckConstraint("grade IS NULL OR grade IN (6, 7, 8)", name=op.f("ck_classes_grade")),
        sa.CheckConstraint("length(btrim(name)) > 0", name=op.f("ck_classes_name_not_blank")),
        sa.CheckConstraint("join_code ~ '^[A-HJKMNP-Z2-9]{6}$'", name=op.f("ck_classes_join_code_format")),
        sa.ForeignKeyConstraint(
            ["teacher_id"],
            ["teachers.teacher_id"],
            name=op.f("fk_classes_teacher_id_teachers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("class_id", name=op.f("pk_classes")),
        sa.UniqueConstraint("teacher_id", "name", name="uq_classes_teacher_name"),
    )
    op.create_index("idx_classes_join_code", "classes", ["join_code"], unique=True)
    op.execute(
        "CREATE TRIGGER trg_classes_updated_at BEFORE UPDATE ON classes "
        "FOR EACH ROW EXECUTE FUNCTION dars_set_updated_at()"
    )

    op.create_table(
        "class_memberships",
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["classes.class_id"],
            name=op.f("fk_class_memberships_class_id_classes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["students.student_id"],
            name=op.f("fk_class_memberships_student_id_students"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("class_id", "student_id", name=op.f("pk_class_memberships")),
    )
    op.create_index("idx_class_memberships_student", "class_memberships", ["student_id"], unique=False)

    op.create_table(
        "web_sessions",
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=True),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('operator', 'teacher')", name=op.f("ck_web_sessions_role")),
        sa.CheckConstraint(
            "(role = 'teacher') = (teacher_id IS NOT NULL)", name=op.f("ck_web_sessions_teacher_iff_role")
        ),
        sa.CheckConstraint("expires_at > created_at", name=op.f("ck_web_sessions_expires_after_creation")),
        sa.CheckConstraint("token_sha256 ~ '^[0-9a-f]{64}$'", name=op.f("ck_web_sessions_token_sha256_hex")),
        sa.ForeignKeyConstraint(
            ["teacher_id"],
            ["teachers.teacher_id"],
            name=op.f("fk_web_sessions_teacher_id_teachers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_sha256", name=op.f("pk_web_sessions")),
    )
    op.create_index("idx_web_sessions_expires", "web_sessions", ["expires_at"], unique=False)
    op.create_index("idx_web_sessions_teacher", "web_sessions", ["teacher_id"], unique=False)

    op.create_table(
        "teacher_login_links",
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "expires_at > created_at", name=op.f("ck_teacher_login_links_expires_after_creation")
        ),
        sa.CheckConstraint(
            "used_at IS NULL OR used_at >= created_at",
            name=op.f("ck_teacher_login_links_used_after_creation"),
        ),
        sa.CheckConstraint(
            "token_sha256 ~ '^[0-9a-f]{64}$'", name=op.f("ck_teacher_login_links_token_sha256_hex")
        ),
        sa.ForeignKeyConstraint(
            ["teacher_id"],
            ["teachers.teacher_id"],
            name=op.f("fk_teacher_login_links_teacher_id_teachers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_sha256", name=op.f("pk_teacher_login_links")),
    )
    op.create_index("idx_teacher_login_links_teacher", "teacher_login_links", ["teacher_id"], unique=False)
    op.create_index("idx_teacher_login_links_expires", "teacher_login_links", ["expires_at"], unique=False)

    op.create_table(
        "job_runs",
        sa.Column("job", sa.String(length=32), nullable=False),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_ok", sa.Boolean(), nullable=False),
        sa.Column("last_detail", sa.Text(), server_default=sa.text("''"), nullable=False),
        sa.Column("last_ok_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("runs", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("failures", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.CheckConstraint("job IN ('expiry', 'reminders')", name=op.f("ck_job_runs_job")),
        sa.CheckConstraint("runs >= 1", name=op.f("ck_job_runs_runs_positive")),
        sa.CheckConstraint("failures >= 0 AND failures <= runs", name=op.f("ck_job_runs_failures_range")),
        sa.PrimaryKeyConstraint("job", name=op.f("pk_job_runs")),
    )

    op.create_table(
        "budget_refusals",
        sa.Column("refusal_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column(
            "operation",
            postgresql.ENUM(name="cost_operation", create_type=False),
            nullable=False,
        ),
        sa.Column("refused_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["students.student_id"],
            name=op.f("fk_budget_refusals_student_id_students"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("refusal_id", name=op.f("pk_budget_refusals")),
    )
    op.create_index("idx_budget_refusals_refused", "budget_refusals", ["refused_at"], unique=False)


def downgrade() -> None:
    op.drop_index("idx_budget_refusals_refused", table_name="budget_refusals")
    op.drop_table("budget_refusals")
    op.drop_table("job_runs")
    op.drop_index("idx_teacher_login_links_expires", table_name="teacher_login_links")
    op.drop_index("idx_teacher_login_links_teacher", table_name="teacher_login_links")
    op.drop_table("teacher_login_links")
    op.drop_index("idx_web_sessions_teacher", table_name="web_sessions")
    op.drop_index("idx_web_sessions_expires", table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_index("idx_class_memberships_student", table_name="class_memberships")
    op.drop_table("class_memberships")
    op.drop_index("idx_classes_join_code", table_name="classes")
    op.drop_table("classes")
    op.drop_index("idx_teachers_telegram_id", table_name="teachers")
    op.drop_table("teachers")
