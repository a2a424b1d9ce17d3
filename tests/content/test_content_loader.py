"""Loading the library into PostgreSQL: idempotent, edits in place, the id sequence kept ahead."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select, text

from src.content.commands import load_command
from src.content.library import LibraryError, LibraryProblem, read_library
from src.content.loader import LoadReport, load_library
from src.content.validate import validate_problems
from src.database import DarsSession
from src.models import Problem


@pytest.fixture(scope="module")
def library() -> list[LibraryProblem]:
    """The problems that pass validation: the loader's mechanics are tested even while the library
    (written concurrently) still has faults; test_the_whole_library_loads covers the complete set."""
    problems = read_library().problems
    faulty = {(fault.file, fault.problem_id) for fault in validate_problems(problems)}
    return [problem for problem in problems if (problem.file, problem.id) not in faulty]


def write_library(problems: list[LibraryProblem], root: Path) -> Path:
    """Write problems back out in the file format, one file per source file."""
    files: dict[Path, dict[str, Any]] = {}
    for problem in problems:
        path = root / problem.file.parent.name / problem.file.name
        document = files.setdefault(path, {"grade": problem.grade, "topic": problem.topic, "problems": []})
        entry = problem.model_dump(mode="json", exclude={"file", "grade", "topic"})
        document["problems"].append(entry)
    for path, document in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


@pytest.fixture
def clean_copy(tmp_path: Path, library: list[LibraryProblem]) -> Path:
    return write_library(library, tmp_path / "problems")


async def _count(db: DarsSession) -> int:
    return (await db.scalar(select(func.count()).select_from(Problem))) or 0


async def _updated_at(db: DarsSession) -> dict[int, datetime]:
    rows = await db.execute(select(Problem.problem_id, Problem.updated_at))
    return {problem_id: updated_at for problem_id, updated_at in rows.all()}


async def test_loading_twice_changes_nothing_the_second_time(
    db: DarsSession, library: list[LibraryProblem]
) -> None:
    first = await load_library(db, library)
    assert first == LoadReport(inserted=len(library), updated=0, unchanged=0)
    await db.commit()
    stamps = await _updated_at(db)

    second = await load_library(db, library)
    assert second == LoadReport(inserted=0, updated=0, unchanged=len(library))
    assert await _count(db) == len(library)
    assert await _updated_at(db) == stamps  # unchanged rows are not rewritten


async def test_the_whole_library_loads(db: DarsSession) -> None:
    result = read_library()
    size = len(result.problems)
    assert size >= 280
    assert await load_library(db, result.problems) == LoadReport(inserted=size, updated=0, unchanged=0)
    assert await load_library(db, result.problems) == LoadReport(inserted=0, updated=0, unchanged=size)
    assert await _count(db) == size


async def test_rows_match_the_files(db: DarsSession, library: list[LibraryProblem]) -> None:
    await load_library(db, library)
    sample = library[0]
    row = (await db.execute(select(Problem).where(Problem.problem_id == sample.id))).scalar_one()
    assert (row.grade, row.topic, row.answer, row.question_bn) == (
        sample.grade,
        sample.topic,
        sample.answer,
        sample.question_bn,
    )
    assert row.hints == [
        {"hint_number": n, "text_en": h.en, "text_bn": h.bn, "is_ai_generated": False}
        for n, h in enumerate(sample.hints, start=1)
    ]


async def test_an_edited_problem_is_updated_in_place(
    db: DarsSession, library: list[LibraryProblem], clean_copy: Path
) -> None:
    await load_library(db, library)
    await db.commit()
    stamps = await _updated_at(db)

    target = library[0]
    edited_file = clean_copy / target.file.parent.name / target.file.name
    document = yaml.safe_load(edited_file.read_text(encoding="utf-8"))
    [entry] = [entry for entry in document["problems"] if entry["id"] == target.id]
    new_question = target.question_en + " Give the exact value."
    entry["question_en"] = new_question
    edited_file.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    edited = read_library(clean_copy)
    assert edited.faults == []
    assert len(edited.problems) == len(library)

    report = await load_library(db, edited.problems)
    assert report == LoadReport(inserted=0, updated=1, unchanged=len(library) - 1)
    assert await _count(db) == len(library)
    question = await db.scalar(select(Problem.question_en).where(Problem.problem_id == target.id))
    assert question == new_question
    after = await _updated_at(db)
    assert [pid for pid in after if after[pid] != stamps[pid]] == [target.id]


async def test_the_id_sequence_is_moved_past_the_library(
    db: DarsSession, library: list[LibraryProblem]
) -> None:
    await load_library(db, library)
    extra = Problem(
        grade=7,
        topic="Profit & Loss",
        question_en="A teacher's own problem.",
        question_bn="শিক্ষকের নিজের সমস্যা।",
        answer="1",
        hints=[],
        difficulty=1,
    )
    db.add(extra)
    await db.flush()
    assert extra.problem_id > max(p.id for p in library)

    # A later load must not move the sequence back under the row just added.
    await load_library(db, library)
    another = Problem(**{**_columns(extra), "question_en": "Another one."})
    db.add(another)
    await db.flush()
    assert another.problem_id > extra.problem_id


def _columns(problem: Problem) -> dict[str, object]:
    names = ("grade", "topic", "question_en", "question_bn", "answer", "hints", "difficulty")
    return {name: getattr(problem, name) for name in names}


async def test_a_library_with_faults_is_refused(db: DarsSession, library: list[LibraryProblem]) -> None:
    broken = [library[0].model_copy(update={"difficulty": 4}), *library[1:]]
    with pytest.raises(LibraryError, match="difficulty 4"):
        await load_library(db, broken)
    assert await _count(db) == 0


async def test_load_command_commits_and_reports(
    committed: None, capsys: pytest.CaptureFixture[str], library: list[LibraryProblem], clean_copy: Path
) -> None:
    assert await load_command(clean_copy) == 0
    assert capsys.readouterr().out.strip() == f"inserted {len(library)}, updated 0, unchanged 0"
    assert await load_command(clean_copy) == 0
    assert capsys.readouterr().out.strip() == f"inserted 0, updated 0, unchanged {len(library)}"


async def test_load_command_refuses_a_faulty_library(
    committed: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], db: DarsSession
) -> None:
    (tmp_path / "grade7").mkdir()
    (tmp_path / "grade7" / "bad.yaml").write_text("grade: 7\ntopic: T\nproblems: [{id: 7001}]\n")
    assert await load_command(tmp_path) == 1
    assert "not loaded" in capsys.readouterr().err
    assert (await db.execute(text("SELECT count(*) FROM problems"))).scalar_one() == 0
