"""How the library covers the syllabus map: `dars content coverage`.

Per grade and chapter of src/content/syllabus.yaml: problems by difficulty and how many have a common
wrong answer (a non-empty `mistakes` entry). A checkable chapter is under the floor with fewer than
FLOOR_TOTAL problems or fewer than FLOOR_PER_DIFFICULTY at any difficulty.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from src.content.library import LibraryProblem
from src.content.syllabus import Chapter, syllabus

FLOOR_TOTAL = 8
FLOOR_PER_DIFFICULTY = 2
DIFFICULTIES = (1, 2, 3)


@dataclass(frozen=True, slots=True)
class ChapterCoverage:
    chapter: Chapter
    by_difficulty: tuple[int, int, int]
    with_mistakes: int

    @property
    def total(self) -> int:
        return sum(self.by_difficulty)

    @property
    def under_floor(self) -> bool:
        if not self.chapter.checkable:
            return False
        return self.total < FLOOR_TOTAL or min(self.by_difficulty) < FLOOR_PER_DIFFICULTY


def has_common_wrong_answer(problem: LibraryProblem) -> bool:
    """Whether the problem lists a common wrong answer (the `mistakes` field, when the library has it)."""
    return bool(getattr(problem, "mistakes", None))


def coverage(
    problems: Sequence[LibraryProblem], chapters: Mapping[str, Chapter] | None = None
) -> list[ChapterCoverage]:
    """One entry per chapter of the syllabus (default: the repository's), in textbook order."""
    chapters = syllabus() if chapters is None else chapters
    counts: dict[str, Counter[int]] = {key: Counter() for key in chapters}
    mistakes: Counter[str] = Counter()
    for problem in problems:
        if problem.chapter in counts:
            counts[problem.chapter][problem.difficulty] += 1
            mistakes[problem.chapter] += has_common_wrong_answer(problem)
    return [
        ChapterCoverage(
            chapter,
            (counts[key][1], counts[key][2], counts[key][3]),
            mistakes[key],
        )
        for key, chapter in chapters.items()
    ]


def format_coverage(report: Sequence[ChapterCoverage]) -> str:
    """The report as a person reads it; the last line says how many chapters are under the floor."""
    lines: list[str] = []
    grade = None
    for entry in report:
        if entry.chapter.grade != grade:
            grade = entry.chapter.grade
            in_grade = [e for e in report if e.chapter.grade == grade]
            lines.append(f"grade {grade}: {sum(e.total for e in in_grade)} problems")
            lines.append(f"  {'chapter':<62} {'all':>5}  (1/2/3)  with a common wrong answer")
        name = f"{entry.chapter.key:<5} {entry.chapter.en}"
        if not entry.chapter.checkable:
            lines.append(f"  {name:<62} {entry.total:>5}  not checkable")
            continue
        spread = "/".join(str(n) for n in entry.by_difficulty)
        flag = "  UNDER THE FLOOR" if entry.under_floor else ""
        lines.append(f"  {name:<62} {entry.total:>5}  ({spread}){entry.with_mistakes:>8}{flag}")
    under = sum(entry.under_floor for entry in report)
    lines.append(
        f"floor: {FLOOR_TOTAL} problems a checkable chapter, {FLOOR_PER_DIFFICULTY} at each difficulty; "
        + (f"{under} chapter{'' if under == 1 else 's'} under it" if under else "every chapter meets it")
    )
    return "\n".join(lines)
