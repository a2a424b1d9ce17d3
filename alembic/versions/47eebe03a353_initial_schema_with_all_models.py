"""initial schema with all models: the six tables, their enum types, and the updated_at trigger

Revision ID: 47eebe03a353
Revises:
Create Date: 2026-11-25 06:35:44.752158

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "47eebe03a353"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UPDATED_AT_TABLES = ("students", "problems", "sessions", "streaks")


def upgrade() -> None:
    op.create_table(
        "problems",
        sa.Column("problem_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=100), nullable=False),
        sa.Column("subtopic", sa.String(length=100), nullable=True),
        sa.Column("question_en", sa.Text(), nullable=False),
        sa.Column("question_bn", sa.Text(), nullable=False),
        sa.Column("answer", sa.String(length=500), nullable=False),
        sa.Column("hints", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("difficulty", sa.Integer(), nullable=False),
        sa.Column("estimated_time_minutes", sa.Integer(), server_default=sa.text("5"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("jsonb_typeof(hints) = 'array'", name=op.f("ck_problems_hints_is_array")),
        sa.CheckConstraint("difficulty IN (1, 2, 3)", name=op.f("ck_problems_difficulty")),
        sa.CheckConstraint("estimated_time_minutes > 0", name=op.f("ck_problems_estimated_time_positive")),
        sa.CheckConstraint("grade IN (6, 7, 8)", name=op.f("ck_problems_grade")),
        sa.PrimaryKeyConstraint("problem_id", name=op.f("pk_problems")),
    )
    op.create_index("idx_problems_difficulty", "problems", ["difficulty"], unique=False)
    op.create_index("idx_problems_grade_topic", "problems", ["grade", "topic"], unique=False)
    op.create_table(
        "students",
        sa.Column("student_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), server_default=sa.text("'bn'"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("language IN ('bn', 'en')", name=op.f("ck_students_language")),
        sa.CheckConstraint("grade IN (6, 7, 8)", name=op.f("ck_students_grade")),
        sa.PrimaryKeyConstraint("student_id", name=op.f("pk_students")),
    )
    op.create_index("idx_students_grade", "students", ["grade"], unique=False)
    op.create_index("idx_students_telegram_id", "students", ["telegram_id"], unique=True)
    op.create_table(
        "sessions",
        sa.Column("session_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum("in_progress", "completed", "abandoned", name="session_status"),
            server_default="in_progress",
            nullable=False,
        ),
        sa.Column("problem_ids", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("total_time_seconds", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("problems_correct", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "jsonb_typeof(problem_ids) = 'array'", name=op.f("ck_sessions_problem_ids_is_array")
        ),
        sa.CheckConstraint(
            "problems_correct BETWEEN 0 AND 5", name=op.f("ck_sessions_problems_correct_range")
        ),
        sa.CheckConstraint("total_time_seconds >= 0", name=op.f("ck_sessions_total_time_non_negative")),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["students.student_id"],
            name=op.f("fk_sessions_student_id_students"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_sessions")),
    )
    op.create_index("idx_sessions_date", "sessions", ["date"], unique=False)
    op.create_index("idx_sessions_status", "sessions", ["status"], unique=False)
    op.create_index("idx_sessions_student_created", "sessions", ["student_id", "created_at"], unique=False)
    op.create_table(
        "streaks",
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("current_streak", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("longest_streak", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_practice_date", sa.Date(), nullable=True),
        sa.Column(
            "milestones_achieved",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "jsonb_typeof(milestones_achieved) = 'array'",
            name=op.f("ck_streaks_milestones_is_array"),
        ),
        sa.CheckConstraint("current_streak >= 0", name=op.f("ck_streaks_current_non_negative")),
        sa.CheckConstraint("longest_streak >= 0", name=op.f("ck_streaks_longest_non_negative")),
        sa.CheckConstraint(
            "longest_streak >= current_streak", name=op.f("ck_streaks_longest_at_least_current")
        ),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["students.student_id"],
            name=op.f("fk_streaks_student_id_students"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("student_id", name=op.f("pk_streaks")),
    )
    op.create_index("idx_streaks_current", "streaks", ["current_streak"], unique=False)
    op.create_table(
        "cost_records",
        sa.Column("cost_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column(
            "operation",
            sa.Enum("hint_generation", "answer_evaluation", name="cost_operation"),
            nullable=False,
        ),
        sa.Column("api_provider", sa.Enum("claude", "twilio", name="api_provider"), nullable=False),
        sa.Column("input_tokens", sa.Integer(), nullable=True),
        sa.Column("output_tokens", sa.Integer(), nullable=True),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("cost_usd >= 0", name=op.f("ck_cost_records_cost_non_negative")),
        sa.CheckConstraint(
            "input_tokens IS NULL OR input_tokens >= 0",
            name=op.f("ck_cost_records_input_tokens_non_negative"),
        ),
        sa.CheckConstraint(
            "output_tokens IS NULL OR output_tokens >= 0",
            name=op.f("ck_cost_records_output_tokens_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.session_id"],
            name=op.f("fk_cost_records_session_id_sessions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["students.student_id"],
            name=op.f("fk_cost_records_student_id_students"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cost_id", name=op.f("pk_cost_records")),
    )
    op.create_index("idx_cost_records_operation", "cost_records", ["operation"], unique=False)
    op.create_index("idx_cost_records_recorded", "cost_records", ["recorded_at"], unique=False)
    op.create_index("idx_cost_records_session", "cost_records", ["session_id"], unique=False)
    op.create_index("idx_cost_records_student", "cost_records", ["student_id"], unique=False)
    op.create_table(
        "responses",
        sa.Column("response_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.Column("student_answer", sa.String(length=500), nullable=False),
        sa.Column("is_correct", sa.Boolean(), nullable=False),
        sa.Column("time_spent_seconds", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("hints_used", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "hints_viewed",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "evaluated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "confidence_level",
            sa.Enum("low", "medium", "high", name="confidence_level"),
            server_default="medium",
            nullable=False,
        ),
        sa.CheckConstraint(
            "jsonb_typeof(hints_viewed) = 'array'", name=op.f("ck_responses_hints_viewed_is_array")
        ),
        sa.CheckConstraint("hints_used BETWEEN 0 AND 3", name=op.f("ck_responses_hints_used_range")),
        sa.CheckConstraint("time_spent_seconds >= 0", name=op.f("ck_responses_time_spent_non_negative")),
        sa.ForeignKeyConstraint(
            ["problem_id"],
            ["problems.problem_id"],
            name=op.f("fk_responses_problem_id_problems"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.session_id"],
            name=op.f("fk_responses_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", name=op.f("pk_responses")),
    )
    op.create_index("idx_responses_correctness", "responses", ["is_correct"], unique=False)
    op.create_index("idx_responses_problem", "responses", ["problem_id"], unique=False)
    op.create_index("idx_responses_session", "responses", ["session_id"], unique=False)

    # updated_at is kept by the database, so every writer (ORM, Core, raw SQL, psql) refreshes it.
    # clock_timestamp(), not now(): two updates inside one transaction still get distinct times.
    op.execute(
        """
        CREATE FUNCTION dars_set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.updated_at := clock_timestamp();
            RETURN NEW;
        END;
        $$
        """
    )
    for table in UPDATED_AT_TABLES:
        op.execute(
            f"CREATE TRIGGER trg_{table}_updated_at BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION dars_set_updated_at()"
        )


def downgrade() -> None:
    for table in UPDATED_AT_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_updated_at ON {table}")
    op.execute("DROP FUNCTION IF EXISTS dars_set_updated_at()")
    op.drop_index("idx_responses_session", table_name="responses")
    op.drop_index("idx_responses_problem", table_name="responses")
    op.drop_index("idx_responses_correctness", table_name="responses")
    op.drop_table("responses")
    op.drop_index("idx_cost_records_student", table_name="cost_records")
    op.drop_index("idx_cost_records_session", table_name="cost_records")
    op.drop_index("idx_cost_records_recorded", table_name="cost_records")
    op.drop_index("idx_cost_records_operation", table_name="cost_records")
    op.drop_table("cost_records")
    op.drop_index("idx_streaks_current", table_name="streaks")
    op.drop_table("streaks")
    op.drop_index("idx_sessions_student_created", table_name="sessions")
    op.drop_index("idx_sessions_status", table_name="sessions")
    op.drop_index("idx_sessions_date", table_name="sessions")
    op.drop_table("sessions")
    op.drop_index("idx_students_telegram_id", table_name="students")
    op.drop_index("idx_students_grade", table_name="students")
    op.drop_table("students")
    op.drop_index("idx_problems_grade_topic", table_name="problems")
    op.drop_index("idx_problems_difficulty", table_name="problems")
    op.drop_table("problems")
    for enum_name in ("confidence_level", "api_provider", "cost_operation", "session_status"):
        sa.Enum(name=enum_name).drop(op.get_bind(), checkfirst=True)
