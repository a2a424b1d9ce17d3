"""Every answer in the problem library is canonical for the checker and checks as correct."""

from __future__ import annotations

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
