"""How the library marks a problem beyond its answer: the form it asks for and its common wrong answers.

The `problems` table (the spec's) has neither, so the practice service looks them up here, in the library
read from src/content/problems once per process, by problem id. A problem whose stored answer is not the
library's (edited since the last `dars content load`, or made by a test) is marked by its answer alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from src.answers.check import CheckResult, Misconception, Verdict
from src.answers.feedback import form_nudge
from src.answers.kinds import AnswerKind, Form
from src.answers.read import NUMERIC_KINDS
from src.answers.units import UNITS, asked_unit, unit_nudge
from src.content.library import LibraryProblem, MistakeEntry, read_library
from src.content.solutions import SolutionError, evaluate_solution


@dataclass(frozen=True)
class Marking:
    form: Form | None = None
    unit: str | None = None  # the unit the question asks the answer in (src/answers/units.py)
    mistakes: tuple[MistakeEntry, ...] = ()
    values: tuple[Misconception, ...] = field(default=(), repr=False)  # (id, what `wrong` computes)

    def nudge(self, misconception: str | None) -> tuple[str, str] | None:
        entry = next((m for m in self.mistakes if m.misconception == misconception), None)
        return None if entry is None else (entry.nudge_en, entry.nudge_bn)


NO_MARKING = Marking()


def marking_of(problem: LibraryProblem) -> Marking:
    values: list[tuple[str, Any]] = []
    for entry in problem.mistakes:
        try:
            values.append((entry.misconception, evaluate_solution(entry.wrong)))
        except SolutionError:
            continue  # the validator reports it; the student is still marked
    return Marking(problem.form, answer_unit(problem), problem.mistakes, tuple(values))


def answer_unit(problem: LibraryProblem) -> str | None:
    """Taka for a money answer; for another number, the one unit its question asks for, if any."""
    if problem.answer_kind is AnswerKind.MONEY:
        return "taka"
    if problem.answer_kind not in NUMERIC_KINDS:
        return None
    asked = asked_unit(problem.question_en)
    return None if asked is None else asked.id


@lru_cache(maxsize=1)
def _library() -> dict[int, tuple[str, Marking]]:
    marked = ((p, marking_of(p)) for p in read_library().problems)
    return {p.id: (p.answer, m) for p, m in marked if m != NO_MARKING}


def marking_for(problem_id: int, answer: str) -> Marking:
    """The library's marking of a stored problem, or none when its answer is not the library's."""
    found = _library().get(problem_id)
    if found is None or found[0] != answer:
        return NO_MARKING
    return found[1]


def feedback(result: CheckResult, marking: Marking) -> tuple[str, str] | None:
    """(English, Bengali) a student reads about this verdict beyond right/wrong, if any."""
    if result.verdict is Verdict.WRONG_FORM and result.unit is not None:
        return unit_nudge(UNITS[result.unit])
    if result.verdict is Verdict.WRONG_FORM and result.form is not None:
        return form_nudge(result.form)
    if result.verdict is Verdict.WRONG and result.misconception is not None:
        return marking.nudge(result.misconception)
    return None
