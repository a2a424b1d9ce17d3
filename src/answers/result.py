"""What a check returns. Enum values are stored in the database, so they must not change."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from src.answers.kinds import Form
from src.answers.nonanswer import NonAnswer


class Verdict(StrEnum):
    CORRECT = "correct"
    WRONG = "wrong"
    # The right value in another form than the one asked (127/20 for a mixed number, 2 hours for 120
    # minutes): not an attempt; `form` (or `unit`) says what is wanted.
    WRONG_FORM = "wrong_form"
    NOT_AN_ANSWER = "not_an_answer"  # a request or greeting: never recorded as wrong
    UNDECIDED = "undecided"  # an attempt the rules cannot judge; left to the AI step


class Confidence(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Mistake(StrEnum):
    """The kind of a wrong answer, coarse on purpose: AI hints are cached per (problem, mistake)."""

    SIGN = "sign"  # right size, wrong sign
    SCALE = "scale"  # off by a power of ten: a misplaced decimal point or zero
    WRONG_FORM = "wrong_form"  # right value in the wrong form: 0.25 for 25%, expanded for factored
    PARTIAL = "partial"  # part of a pair or set right, or a product not fully factored
    NOT_SIMPLIFIED = "not_simplified"  # right value left as a calculation (450*1.2), or 2x = 10
    ORDER = "order"  # the pair's coordinates swapped
    OTHER = "other"


@dataclass(frozen=True)
class CheckResult:
    verdict: Verdict
    confidence: Confidence
    parsed: str | None  # what was read, normalised for display: "3/4", "x = 5", "(2, 3)"
    non_answer: NonAnswer | None
    mistake: Mistake | None
    form: Form | None = None  # WRONG_FORM: the form wanted
    unit: str | None = None  # WRONG_FORM: the unit wanted ("minute"), when it is the unit that differs
    misconception: str | None = None  # WRONG: the library's id of the common mistake this answer is


_ORDER = (Confidence.LOW, Confidence.MEDIUM, Confidence.HIGH)


def lowest(*levels: Confidence) -> Confidence:
    return min(levels, key=_ORDER.index)


def undecided(parsed: str | None = None) -> CheckResult:
    return CheckResult(Verdict.UNDECIDED, Confidence.LOW, parsed, None, None)


def not_an_answer(reason: NonAnswer, confidence: Confidence = Confidence.HIGH) -> CheckResult:
    return CheckResult(Verdict.NOT_AN_ANSWER, confidence, None, reason, None)
