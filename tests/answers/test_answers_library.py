"""Every answer in the problem library is canonical for the checker and checks as correct."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from src.answers import (
    AnswerKind,
    Confidence,
    Verdict,
    answer_surface_forms,
    check_answer,
    infer_kind,
    parse_canonical,
)
from src.answers.display import display_answer
from src.answers.normalize import to_bengali_digits

LIBRARY = Path(__file__).resolve().parents[2] / "src" / "content" / "problems"


def _problems() -> list[Any]:
    problems = []
    for path in sorted(LIBRARY.glob("grade*/*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for problem in document.get("problems") or []:
            problem_id = f"{path.parent.name}/{path.stem}/{problem.get('id')}"
            problems.append(pytest.param(problem, id=problem_id))
    return problems


PROBLEMS = _problems()


@pytest.mark.skipif(not PROBLEMS, reason="the problem library is empty")
@pytest.mark.parametrize("problem", PROBLEMS)
def test_library_answer_is_canonical_and_checks_correct(problem: dict[str, Any]) -> None:
    answer = problem["answer"]
    assert isinstance(answer, str), f"answer {answer!r} must be a string in the YAML"
    kind = infer_kind(answer)
    if problem.get("answer_kind") is not None:
        assert kind is AnswerKind(problem["answer_kind"]), f"{answer!r} reads as {kind}"
    parse_canonical(answer, kind)
    result = check_answer(answer, answer)
    assert (result.verdict, result.confidence) == (Verdict.CORRECT, Confidence.HIGH)
    bengali = check_answer(to_bengali_digits(answer), answer)
    assert bengali.verdict is Verdict.CORRECT
    assert answer in answer_surface_forms(answer)


def _equivalent_forms(answer: str, kind: AnswerKind) -> list[str]:
    """A few ways a student could rightly write this answer, besides the canonical text itself."""
    bengali = to_bengali_digits(answer)
    forms = [f"the answer is {answer}", f"উত্তর {bengali}"]
    if kind is not AnswerKind.MIXED:  # "2 7/12" without its space is another number
        forms.append(answer.replace(" ", ""))
    if kind is AnswerKind.INTEGER:
        value = int(answer)
        forms += [f"{value:,}"] if abs(value) >= 1000 else [f"{value}.0"]
    elif kind is AnswerKind.DECIMAL:
        value = Fraction(Decimal(answer))
        forms += [f"{value.numerator}/{value.denominator}", f"{answer}0"]
    elif kind is AnswerKind.FRACTION:
        numerator, denominator = answer.split("/")
        forms += [f"{int(numerator) * 2}/{int(denominator) * 2}"]
        if _terminates(int(denominator)):
            forms += [str(Decimal(int(numerator)) / Decimal(int(denominator)))]
    elif kind is AnswerKind.MIXED:
        whole, part = answer.split(" ")
        numerator, denominator = (int(x) for x in part.split("/"))
        sign = -1 if whole.startswith("-") else 1
        improper = int(whole) * denominator + sign * numerator
        forms += [f"{improper}/{denominator}"]
    elif kind is AnswerKind.PERCENT:
        number = answer.removesuffix("%")
        forms += [f"{number} %", f"{number} percent", f"{to_bengali_digits(number)} শতাংশ"]
    elif kind is AnswerKind.MONEY:
        amount = answer.removeprefix("৳")
        forms += [f"{amount} taka", f"Tk {amount}", f"{to_bengali_digits(amount)} টাকা"]
    elif kind is AnswerKind.EQUATION:
        letter, value = (part.strip() for part in answer.split("="))
        forms += [value, f"{letter}={value}"]
    elif kind is AnswerKind.FACTORED and answer.count(")(") == 1 and answer[0] == "(" and answer[-1] == ")":
        first, second = answer[1:-1].split(")(")
        forms += [f"({second})({first})"]
    elif kind is AnswerKind.EXPRESSION and "(" not in answer and answer.count(" + ") == 1:
        left, right = answer.split(" + ")
        if " - " not in right:
            forms += [f"{right} + {left}"]
    elif kind is AnswerKind.PAIR:
        first, second = (part.strip() for part in answer.strip("()").split(","))
        forms += [f"x = {first}, y = {second}"]
    elif kind is AnswerKind.SET and answer != "{}":
        elements = [part.strip() for part in answer.strip("{}").split(",")]
        forms += ["{" + ", ".join(reversed(elements)) + "}"]
    return forms


def _terminates(denominator: int) -> bool:
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


@pytest.mark.skipif(not PROBLEMS, reason="the problem library is empty")
@pytest.mark.parametrize("problem", PROBLEMS)
def test_library_answer_checks_correct_in_equivalent_forms(problem: dict[str, Any]) -> None:
    answer = problem["answer"]
    kind = infer_kind(answer)
    for form in _equivalent_forms(answer, kind):
        result = check_answer(form, answer)
        assert result.verdict is Verdict.CORRECT, f"{form!r} for {answer!r} ({kind}): {result}"


def test_answers_are_displayed_as_a_student_reads_them() -> None:
    assert display_answer("x^2 - 9", "en") == "x² - 9"
    assert display_answer("(a + 2)(a^3 - 1)", "bn") == "(a + ২)(a³ - ১)"
    assert display_answer("3*4", "en") == "3×4"
    assert display_answer("৳1250.50", "bn") == "১২৫০.৫০ টাকা"
    assert display_answer("৳1250.50", "en") == "৳1250.50"
    assert display_answer("{1, 2}", "en") == "{1, 2}"
