"""`dars content validate` and `dars content load`: what the CLI calls, printing for a person."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from src.content.coverage import coverage, format_coverage
from src.content.library import DEFAULT_LIBRARY_PATH, LibraryError, read_library
from src.content.loader import load_library
from src.content.syllabus import read_syllabus
from src.content.validate import check_library, print_report


def validate_command(path: Path | None = None) -> int:
    """Print every fault and a summary of the library; 0 when there are no faults, else 1."""
    root = DEFAULT_LIBRARY_PATH if path is None else path
    check = check_library(root)
    print_report(check, Path.cwd(), sys.stdout)
    return 1 if check.faults else 0


def coverage_command(path: Path | None = None, syllabus_path: Path | None = None) -> int:
    """Print problems per grade and chapter; 1 when a checkable chapter is under the floor (or the library
    has faults), else 0."""
    root = DEFAULT_LIBRARY_PATH if path is None else path
    check = check_library(root)
    chapters = None if syllabus_path is None else read_syllabus(syllabus_path)
    report = coverage(check.problems, chapters)
    print(format_coverage(report))
    if check.faults:
        print(f"the library has {len(check.faults)} fault(s): run `dars content validate`")
    return 1 if check.faults or any(entry.under_floor for entry in report) else 0


async def load_command(path: Path | None = None) -> int:
    """Validate, then upsert the library in one transaction; 0 on success, 1 if the library has faults."""
    from src.database import get_session  # here so that `validate` works without database settings

    root = DEFAULT_LIBRARY_PATH if path is None else path
    check = check_library(root)
    if check.faults:
        for fault in check.faults:
            print(fault.format(Path.cwd()), file=sys.stderr)
        print(f"not loaded: {len(check.faults)} fault(s); run `dars content validate`", file=sys.stderr)
        return 1
    try:
        async with get_session() as db:
            report = await load_library(db, check.problems, check.retired)
    except LibraryError as exc:  # only if validation disagrees with itself; keep the message readable
        print(f"not loaded: {exc}", file=sys.stderr)
        return 1
    print(report)
    return 0


def try_command(problem_id: int, answer: str, *, as_json: bool = False, path: Path | None = None) -> int:
    """Print how Dars marks `answer` to library problem `problem_id`; 0, or 1 for an unknown problem.

    Nothing is written anywhere: the library is read from its files, not from the database.
    """
    from src.content.trying import format_try, try_answer  # the checker and sympy only when trying

    read = read_library(DEFAULT_LIBRARY_PATH if path is None else path)
    problem = next((p for p in read.problems if p.id == problem_id), None)
    if problem is None:
        print(
            f"no problem {problem_id} in the library (or it has schema faults: dars content validate)",
            file=sys.stderr,
        )
        return 1
    outcome = try_answer(problem, answer)
    print(json.dumps(outcome, ensure_ascii=False) if as_json else format_try(outcome))
    return 0
