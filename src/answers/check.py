"""check_answer: the deterministic verdict on a student's message, before any AI is asked.

It never raises and never evaluates student text as code: messages go through the restricted
parser in parser.py, with hard limits on size, nesting and arithmetic.
"""

from __future__ import annotations

import re

from src.answers.canonical import Canonical, CanonicalAnswerError, infer_kind, read_canonical
from src.answers.errors import ReadError, TooLargeError
from src.answers.judge import judge
from src.answers.kinds import AnswerKind
from src.answers.nonanswer import NonAnswer, classify_non_answer
from src.answers.read import read_answer
from src.answers.result import (
    CheckResult,
    Confidence,
    Mistake,
    Verdict,
    not_an_answer,
    undecided,
)

__all__ = [
    "CheckResult",
    "Confidence",
    "Mistake",
    "NonAnswer",
    "Verdict",
    "check_answer",
    "classify_non_answer",
    "infer_kind",
]


# "Ans.12": the abbreviation's full stop glued to the number. Read as typed it is 0.12; most students mean
# "Ans. 12". Both readings are tried, and the answer is correct if either is.
_GLUED_ABBREVIATION = re.compile(r"^(\s*ans)\.(?=[0-9০-৯])", re.IGNORECASE)


def _check(student_text: str, canonical: str, kind: AnswerKind | None) -> CheckResult:
    reason = classify_non_answer(student_text)
    if reason is not None:
        return not_an_answer(reason)
    try:
        kind = AnswerKind(kind) if kind is not None else infer_kind(canonical)
        expected = read_canonical(canonical, kind)
    except (CanonicalAnswerError, ValueError):
        # A broken library answer is the library validator's to report; the student is not at fault.
        return undecided()
    result = _judged(student_text, kind, expected)
    glued = _GLUED_ABBREVIATION.match(student_text)
    if glued is not None and result.verdict is not Verdict.CORRECT:
        spaced = _judged(f"{glued.group(1)}. {student_text[glued.end() :]}", kind, expected)
        if spaced.verdict is Verdict.CORRECT:
            return spaced
    return result


def _judged(student_text: str, kind: AnswerKind, expected: Canonical) -> CheckResult:
    try:
        reading = read_answer(student_text, kind)
        return judge(reading, expected)
    except TooLargeError:
        return not_an_answer(NonAnswer.TOO_LARGE)
    except ReadError:
        return undecided()


def check_answer(student_text: str, canonical: str, kind: AnswerKind | None = None) -> CheckResult:
    """Judge `student_text` against the library's `canonical` answer (kind inferred when None).

    CORRECT/WRONG come with a confidence and, for WRONG, a mistake category; requests and greetings
    are NOT_AN_ANSWER; attempts the rules cannot read are UNDECIDED for the AI step to judge.
    """
    try:
        return _check(student_text, canonical, kind)
    except Exception:
        # Defence in depth: a bug here must cost an AI call, not a crashed conversation.
        return undecided()
