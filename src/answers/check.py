"""check_answer: the deterministic verdict on a student's message, before any AI is asked.

It never raises and never evaluates student text as code: messages go through the restricted
parser in parser.py, with hard limits on size, nesting and arithmetic.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

import sympy

from src.answers.canonical import Canonical, CanonicalAnswerError, infer_kind, read_canonical
from src.answers.errors import ReadError, TooLargeError
from src.answers.judge import judge
from src.answers.kinds import AnswerKind, Form
from src.answers.nonanswer import NonAnswer, classify_non_answer
from src.answers.read import NUMERIC_KINDS, Reading, read_answer
from src.answers.result import (
    CheckResult,
    Confidence,
    Mistake,
    Verdict,
    not_an_answer,
    undecided,
)
from src.answers.units import UNITS, Unit, student_unit

__all__ = [
    "CheckResult",
    "Confidence",
    "Form",
    "Misconception",
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


# A problem's common wrong answer: the library's misconception id and the value its `wrong` computes.
Misconception = tuple[str, Any]


def _check(
    student_text: str,
    canonical: str,
    kind: AnswerKind | None,
    form: Form | None,
    mistakes: Sequence[Misconception],
    unit: str | None,
) -> CheckResult:
    reason = classify_non_answer(student_text)
    if reason is not None:
        return not_an_answer(reason)
    try:
        kind = AnswerKind(kind) if kind is not None else infer_kind(canonical)
        expected = read_canonical(canonical, kind)
    except (CanonicalAnswerError, ValueError):
        # A broken library answer is the library validator's to report; the student is not at fault.
        return undecided()
    texts = [student_text]
    glued = _GLUED_ABBREVIATION.match(student_text)
    if glued is not None:
        texts.append(f"{glued.group(1)}. {student_text[glued.end() :]}")
    asked = UNITS.get(unit) if unit is not None and kind in NUMERIC_KINDS else None
    results = [_judged(text, kind, expected, form, mistakes, asked) for text in texts]
    return next((r for r in results[1:] if r.verdict is Verdict.CORRECT), results[0])


def _matched(reading: Reading, expected: Canonical, mistakes: Sequence[Misconception]) -> str | None:
    """The misconception whose value the student's answer has (in any form), if any."""
    kind = AnswerKind.EXPRESSION if expected.kind is AnswerKind.FACTORED else expected.kind
    for name, value in mistakes:
        candidates = [value]
        if getattr(value, "is_Rational", False) and not value.is_Integer:
            # 100/9 typed as 11.1 or 11.11 is the same mistake, rounded.
            candidates += [sympy.Rational(round(value * 10**places), 10**places) for places in (1, 2)]
        for candidate in candidates:
            wrong = dataclasses.replace(expected, kind=kind, value=candidate, display="\x00")
            try:
                verdict = judge(reading, wrong).verdict
            except ReadError:
                continue
            if verdict in (Verdict.CORRECT, Verdict.WRONG_FORM):
                return name
    return None


def _in_another_unit(
    reading: Reading, student_text: str, expected: Canonical, form: Form | None, asked: Unit
) -> CheckResult | None:
    """The verdict when the student wrote another unit of the asked quantity (2 hours for 120 minutes)."""
    written = student_unit(student_text)
    if written is None or written.quantity != asked.quantity or written.id == asked.id:
        return None
    amount = (
        expected.value
        * sympy.Rational(asked.factor.numerator * written.factor.denominator)
        / (sympy.Rational(asked.factor.denominator * written.factor.numerator))
    )
    converted = judge(reading, dataclasses.replace(expected, value=amount, display="\x00"), form)
    if converted.verdict is Verdict.CORRECT:
        return dataclasses.replace(
            converted, verdict=Verdict.WRONG_FORM, mistake=Mistake.WRONG_FORM, unit=asked.id
        )
    as_typed = judge(reading, expected, form)
    if as_typed.verdict in (Verdict.CORRECT, Verdict.WRONG_FORM):  # 120 hours for 120 minutes
        return dataclasses.replace(as_typed, verdict=Verdict.WRONG, mistake=Mistake.OTHER, form=None)
    return as_typed


def _judged(
    student_text: str,
    kind: AnswerKind,
    expected: Canonical,
    form: Form | None,
    mistakes: Sequence[Misconception],
    asked: Unit | None = None,
) -> CheckResult:
    try:
        reading = read_answer(student_text, kind)
        other_unit = None if asked is None else _in_another_unit(reading, student_text, expected, form, asked)
        result = other_unit if other_unit is not None else judge(reading, expected, form)
        if result.verdict is Verdict.WRONG and mistakes:
            misconception = _matched(reading, expected, mistakes)
            if misconception is not None:
                result = dataclasses.replace(result, misconception=misconception)
        return result
    except TooLargeError:
        return not_an_answer(NonAnswer.TOO_LARGE)
    except ReadError:
        return undecided()


def check_answer(
    student_text: str,
    canonical: str,
    kind: AnswerKind | None = None,
    *,
    form: Form | None = None,
    mistakes: Sequence[Misconception] = (),
    unit: str | None = None,
) -> CheckResult:
    """Judge `student_text` against the library's `canonical` answer (kind inferred when None).

    CORRECT/WRONG come with a confidence and, for WRONG, a mistake category and (when the answer is one
    of `mistakes`' values) its misconception; the right value not in the asked `form`, or the right
    amount in another `unit` of its quantity (src/answers/units.py) is WRONG_FORM;
    requests, greetings and questions are NOT_AN_ANSWER; attempts the rules cannot read are UNDECIDED
    for the AI step to judge.
    """
    try:
        return _check(student_text, canonical, kind, form, mistakes, unit)
    except Exception:
        # Defence in depth: a bug here must cost an AI call, not a crashed conversation.
        return undecided()
