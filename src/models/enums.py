"""The four PostgreSQL enum types of the schema. StrEnum members compare equal to their plain strings."""

from enum import StrEnum

from sqlalchemy import Enum


class SessionStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class ConfidenceLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class CostOperation(StrEnum):
    HINT_GENERATION = "hint_generation"
    ANSWER_EVALUATION = "answer_evaluation"


class ApiProvider(StrEnum):
    CLAUDE = "claude"
    TWILIO = "twilio"


def pg_enum(enum_class: type[StrEnum], name: str) -> Enum:
    """A native PostgreSQL enum whose labels are the members' values (what the spec lists)."""
    return Enum(
        enum_class,
        name=name,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
