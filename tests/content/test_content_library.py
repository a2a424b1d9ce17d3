"""The shipped library, checked rule by rule so a failure names the problems to fix.

The library is written by several people at once: the count and spread tests pass only once it is
complete, which is the point of having them.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from src.answers.canonical import parse_canonical, values_equal
from src.answers.check import infer_kind
from src.content.library import LibraryProblem, read_library
from src.content.reveal import find_reveal
from src.content.rules import (
    GRADES,
    check_header,
    check_scripts,
    duplicate_id_faults,
    duplicate_problem_faults,
)
from src.content.solutions import evaluate_solution
from src.content.validate import validate_library

TOTAL = 280


def _where(problem: LibraryProblem) -> str:
    return f"{problem.file.parent.name}/{problem.file.name}:{problem.id}"


@pytest.fixture(scope="module")
def problems() -> list[LibraryProblem]:
    result = read_library()
    assert result.faults == [], "\n".join(f.format() for f in result.faults)
    return result.problems


def test_library_reads_against_the_schema(problems: list[LibraryProblem]) -> None:
    assert problems


def test_grades_ids_and_difficulties(problems: list[LibraryProblem]) -> None:
    bad = [f"{_where(p)}: {m}" for p in problems for _, m in check_header(p)]
    bad += [f.format() for f in duplicate_id_faults(problems)]
    assert bad == []


def test_every_answer_parses_in_its_declared_kind(problems: list[LibraryProblem]) -> None:
    bad = []
    for problem in problems:
        try:
            parse_canonical(problem.answer, problem.answer_kind)
        except ValueError as exc:
            bad.append(f"{_where(problem)}: {problem.answer!r}: {exc}")
            continue
        if infer_kind(problem.answer) != problem.answer_kind:
            bad.append(f"{_where(problem)}: {problem.answer!r} is not {problem.answer_kind}")
    assert bad == []


def test_every_answer_equals_its_computed_solution(problems: list[LibraryProblem]) -> None:
    bad = []
    for problem in problems:
        try:
            answer = parse_canonical(problem.answer, problem.answer_kind)
            solution = evaluate_solution(problem.solution)
            if not values_equal(problem.answer_kind, answer, solution):
                bad.append(f"{_where(problem)}: {problem.solution!r} = {solution} != {problem.answer!r}")
        except ValueError as exc:
            bad.append(f"{_where(problem)}: {exc}")
    assert bad == []


def test_every_hint_ladder_is_well_formed(problems: list[LibraryProblem]) -> None:
    bad = []
    for problem in problems:
        if len(problem.hints) != 3:
            bad.append(f"{_where(problem)}: {len(problem.hints)} hints")
        for language in ("en", "bn"):
            texts = [getattr(hint, language).strip() for hint in problem.hints]
            if not all(texts) or len(set(texts)) != len(texts):
                bad.append(f"{_where(problem)}: {language} hints empty or repeated")
    assert bad == []


def test_no_hint_reveals_the_answer_in_either_script(problems: list[LibraryProblem]) -> None:
    bad = []
    for problem in problems:
        for number, hint in enumerate(problem.hints, start=1):
            for language in ("en", "bn"):
                hit = find_reveal(getattr(hint, language), problem.answer, problem.answer_kind)
                if hit is not None:
                    bad.append(f"{_where(problem)}: hint {number} {language} shows {hit!r}")
    assert bad == []


def test_bengali_fields_are_bengali_and_english_fields_english(problems: list[LibraryProblem]) -> None:
    bad = [f"{_where(p)}: {rule}: {m}" for p in problems for rule, m in check_scripts(p)]
    assert bad == []


def test_no_duplicate_problems(problems: list[LibraryProblem]) -> None:
    assert [f.format() for f in duplicate_problem_faults(problems)] == []


def test_validator_passes_the_library() -> None:
    assert [f.format() for f in validate_library()] == []


def test_library_has_at_least_280_problems_split_evenly_by_grade(problems: list[LibraryProblem]) -> None:
    assert len(problems) >= TOTAL
    per_grade = Counter(p.grade for p in problems)
    assert set(per_grade) == set(GRADES)
    # The grades stay within about 10% of each other as the library grows.
    assert max(per_grade.values()) <= 1.1 * min(per_grade.values()), per_grade


def test_every_grade_has_at_least_eight_topics(problems: list[LibraryProblem]) -> None:
    topics: dict[int, set[str]] = defaultdict(set)
    for problem in problems:
        topics[problem.grade].add(problem.topic)
    assert {grade: len(topics[grade]) for grade in GRADES if len(topics[grade]) < 8} == {}


def test_every_topic_has_all_three_difficulties(problems: list[LibraryProblem]) -> None:
    levels: dict[tuple[int, str], set[int]] = defaultdict(set)
    for problem in problems:
        levels[(problem.grade, problem.topic)].add(problem.difficulty)
    assert {key: sorted(found) for key, found in levels.items() if found != {1, 2, 3}} == {}
