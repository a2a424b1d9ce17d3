"""Check the problem library: `python -m src.content.validate [PATH]` (or `dars content validate`).

Prints each fault as `path:id: rule: message`, then a summary of what the library holds; exits 1 when
there is any fault. The rules are in src/content/rules.py and explained in docs/teachers-guide.md.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from src.content.library import DEFAULT_LIBRARY_PATH, Fault, LibraryProblem, read_library
from src.content.retired import RETIRED_FILE, Retirement, read_retired, retired_faults
from src.content.rules import library_faults, problem_faults

__all__ = [
    "Fault",
    "LibraryCheck",
    "check_library",
    "main",
    "print_report",
    "summarise",
    "validate_library",
    "validate_problems",
]


@dataclass(frozen=True, slots=True)
class LibraryCheck:
    problems: list[LibraryProblem]
    faults: list[Fault]
    retired: list[Retirement]


def _order(fault: Fault) -> tuple[str, int, str]:
    return (str(fault.file), fault.problem_id if fault.problem_id is not None else -1, fault.rule)


def validate_problems(
    problems: Sequence[LibraryProblem],
    retired: Sequence[Retirement] = (),
    retired_path: Path = DEFAULT_LIBRARY_PATH / RETIRED_FILE,
) -> list[Fault]:
    """Every rule beyond the schema, for problems already read (the loader's gate)."""
    faults = [fault for problem in problems for fault in problem_faults(problem)]
    faults.extend(library_faults(problems))
    faults.extend(retired_faults(problems, retired, retired_path))
    return sorted(faults, key=_order)


def check_library(path: Path | None = None) -> LibraryCheck:
    """Read the library under path and check it: the problems that could be read, and all faults."""
    root = DEFAULT_LIBRARY_PATH if path is None else path
    read = read_library(root)
    retired = read_retired(root)
    checked = validate_problems(read.problems, retired.retired, root / RETIRED_FILE)
    faults = sorted([*read.faults, *retired.faults, *checked], key=_order)
    return LibraryCheck(read.problems, faults, retired.retired)


def validate_library(path: Path | None = None) -> list[Fault]:
    """All faults of the library under path (default: src/content/problems), in file order."""
    return check_library(path).faults


def summarise(problems: Sequence[LibraryProblem]) -> str:
    """Counts per grade, per topic (with its difficulties) and per difficulty, for a reader."""
    lines = [f"{len(problems)} problem{'' if len(problems) == 1 else 's'}"]
    by_grade = Counter(p.grade for p in problems)
    lines.append("by grade: " + ", ".join(f"{g}: {n}" for g, n in sorted(by_grade.items())))
    by_difficulty = Counter(p.difficulty for p in problems)
    lines.append("by difficulty: " + ", ".join(f"{d}: {n}" for d, n in sorted(by_difficulty.items())))
    topics: dict[tuple[int, str], Counter[int]] = defaultdict(Counter)
    for problem in problems:
        topics[(problem.grade, problem.topic)][problem.difficulty] += 1
    lines.append("by topic (difficulty 1/2/3):")
    for (grade, topic), counts in sorted(topics.items()):
        spread = "/".join(str(counts[d]) for d in (1, 2, 3))
        lines.append(f"  grade {grade}  {topic:<40} {sum(counts.values()):>3}  ({spread})")
    return "\n".join(lines)


def print_report(check: LibraryCheck, root: Path, out: TextIO) -> None:
    for fault in check.faults:
        print(fault.format(root), file=out)
    print(file=out)
    print(summarise(check.problems), file=out)
    verdict = f"{len(check.faults)} fault(s)" if check.faults else "no faults"
    print(verdict, file=out)


def main(argv: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    root = Path(args[0]) if args else DEFAULT_LIBRARY_PATH
    check = check_library(root)
    print_report(check, Path.cwd(), sys.stdout)
    return 1 if check.faults else 0


if __name__ == "__main__":
    raise SystemExit(main())
