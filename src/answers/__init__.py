"""Parsing and checking of math answers: canonical answers from the library and students' text."""

from src.answers.canonical import (
    CanonicalAnswerError,
    answer_surface_forms,
    parse_canonical,
    values_equal,
)
from src.answers.check import (
    CheckResult,
    Confidence,
    Form,
    Misconception,
    Mistake,
    NonAnswer,
    Verdict,
    check_answer,
    classify_non_answer,
    infer_kind,
)
from src.answers.kinds import AnswerKind

__all__ = [
    "AnswerKind",
    "CanonicalAnswerError",
    "CheckResult",
    "Confidence",
    "Form",
    "Misconception",
    "Mistake",
    "NonAnswer",
    "Verdict",
    "answer_surface_forms",
    "check_answer",
    "classify_non_answer",
    "infer_kind",
    "parse_canonical",
    "values_equal",
]
