"""The validator's rules for `form:` and `mistakes:` (issue 19), and the Profit & Loss topic's mistakes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sympy

from src.content.library import read_library
from src.content.solutions import evaluate_solution
from src.content.trying import try_answer
from tests.content.test_content_validate import faults_for, good_problem, rules

MISTAKE = {
    "misconception": "profit_on_selling_price",
    "wrong": "450 * (1 + 20/100) - 450",
    "nudge_en": "That is the profit; the question asks for the selling price.",
    "nudge_bn": "এটা তো লাভ; প্রশ্নে বিক্রয়মূল্য জানতে চাওয়া হয়েছে।",
}


def test_a_problem_with_a_good_mistake_has_no_faults(tmp_path: Path) -> None:
    assert faults_for(tmp_path, good_problem(mistakes=[MISTAKE])) == []
    [problem] = read_library(tmp_path).problems
    assert [m.misconception for m in problem.mistakes] == ["profit_on_selling_price"]


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"wrong": "450 * 1.2"}, "mistake-is-answer"),
        ({"nudge_en": "It is ৳540, not ৳90."}, "mistake-reveals"),
        ({"nudge_bn": "উত্তর ৫৪০ টাকা।"}, "mistake-reveals"),
        ({"wrong": "450 * (1 + 20/100"}, "mistake"),
        ({"nudge_bn": "লাভ 90 টাকা নয়।"}, "bn-digits"),
        ({"nudge_en": "Not ৯০."}, "en-digits"),
    ],
)
def test_a_bad_mistake_is_refused(tmp_path: Path, change: dict[str, str], rule: str) -> None:
    faults = faults_for(tmp_path, good_problem(mistakes=[MISTAKE | change]))
    assert rule in rules(faults), faults


def test_a_misconception_twice_and_a_bad_id_are_refused(tmp_path: Path) -> None:
    assert "mistake" in rules(faults_for(tmp_path, good_problem(mistakes=[MISTAKE, MISTAKE])))
    bad_id = MISTAKE | {"misconception": "Profit On SP"}
    assert "schema" in rules(faults_for(tmp_path, good_problem(mistakes=[bad_id])))


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        (
            {
                "question_en": "Write 84/126 in lowest terms.",
                "answer_kind": "fraction",
                "answer": "2/3",
                "solution": "Rational(84, 126)",
            },
            "form-missing",
        ),
        (
            {
                "question_en": "Write 127/20 as a mixed number.",
                "answer_kind": "mixed",
                "answer": "6 7/20",
                "solution": "Rational(127, 20)",
            },
            "form-missing",
        ),
        (
            {
                "question_en": "Write 32/5 as a decimal.",
                "answer_kind": "decimal",
                "answer": "6.4",
                "solution": "Rational(32, 5)",
            },
            "form-missing",
        ),
        (
            {
                "question_en": "Find the square of (x + 5).",
                "answer_kind": "expression",
                "answer": "x^2 + 10x + 25",
                "solution": "expand((x + 5)**2)",
            },
            "form-missing",
        ),
        (
            {
                "question_en": "Factorise x² − 9.",
                "answer_kind": "expression",
                "answer": "x^2 - 9",
                "solution": "x**2 - 9",
            },
            "form-missing",
        ),
        ({"form": "mixed_number"}, "form"),  # a money answer has no such form
        ({"form": "calculated"}, "form"),  # the checker's own, not a library form
        ({"form": "lowest terms"}, "schema"),
        (
            {
                "question_en": "Write 84/126 in lowest terms.",
                "answer_kind": "fraction",
                "answer": "2/3",
                "solution": "Rational(84, 126)",
                "form": "decimal",
            },
            "form-missing",
        ),
    ],
)
def test_the_form_the_question_asks_for_must_be_set(
    tmp_path: Path, changes: dict[str, Any], rule: str
) -> None:
    faults = faults_for(tmp_path, good_problem(**changes))
    assert rule in rules(faults), faults


def test_a_set_form_passes(tmp_path: Path) -> None:
    problem = good_problem(
        question_en="Write 84/126 in lowest terms.",
        question_bn="৮৪/১২৬ কে লঘিষ্ঠ আকারে লেখো।",
        answer_kind="fraction",
        answer="2/3",
        solution="Rational(84, 126)",
        form="lowest_terms",
    )
    assert faults_for(tmp_path, problem) == []


def _typed(value: Any, kind: str) -> str:
    number = sympy.Rational(value)
    text = str(number) if number.is_Integer else f"{float(number):.2f}"
    return {"percent": f"{text}%", "money": f"{text} টাকা"}.get(kind, text)


PROFIT_LOSS = [p for p in read_library().problems if p.grade == 7 and p.topic == "Profit & Loss"]
CASES = [(p, m) for p in PROFIT_LOSS for m in p.mistakes]


def test_every_profit_and_loss_problem_has_its_common_mistakes() -> None:
    assert PROFIT_LOSS and all(p.mistakes for p in PROFIT_LOSS)


@pytest.mark.parametrize(("problem", "mistake"), CASES, ids=[f"{p.id}-{m.misconception}" for p, m in CASES])
def test_the_common_wrong_answer_gets_its_nudge(problem: Any, mistake: Any) -> None:
    typed = _typed(evaluate_solution(mistake.wrong), problem.answer_kind)
    outcome = try_answer(problem, typed)
    assert (outcome["verdict"], outcome["misconception"], outcome["uses_attempt"]) == (
        "wrong",
        mistake.misconception,
        True,
    ), typed
    assert outcome["feedback_en"].endswith("👉 " + mistake.nudge_en)
    assert outcome["feedback_bn"].endswith("👉 " + mistake.nudge_bn)
    assert try_answer(problem, problem.answer)["misconception"] is None


@pytest.mark.parametrize(
    ("kind", "answer", "advice"),
    [
        ("integer", "4,000", "write '4000'"),
        ("integer", "4 000", "write '4000'"),
        ("money", "৳4,000", "write '৳4000'"),
        ("integer", "3/3", "write '1'"),
        ("fraction", "3/3", "write '1' with answer_kind integer"),
        ("fraction", "6/8", "write '3/4'"),
        ("mixed", "1 2/4", "write '1 1/2'"),
        ("integer", "+5", "write '5'"),
        ("percent", "25 %", "write '25%'"),
        ("integer", ">", "a comparison sign fits no answer kind"),
    ],
)
def test_an_answer_as_a_teacher_writes_it_is_told_what_to_write(
    tmp_path: Path, kind: str, answer: str, advice: str
) -> None:
    # Issue 19, point 7: never silence, never an unanswerable problem.
    faults = faults_for(tmp_path, good_problem(answer_kind=kind, answer=answer, solution="2 + 2"))
    [fault] = [f for f in faults if f.rule == "answer"]
    assert advice in fault.message, fault.message
