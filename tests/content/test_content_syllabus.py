"""The syllabus map, the chapter rule, retired ids in the validator, and `dars content coverage`."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from src.content.commands import coverage_command
from src.content.coverage import coverage
from src.content.library import LibraryProblem, read_library
from src.content.retired import read_retired
from src.content.rules import check_chapter, written_numbers
from src.content.syllabus import chapters_of, read_syllabus, syllabus
from src.content.validate import validate_library
from tests.content.test_content_loader import write_library
from tests.content.test_content_validate import good_problem, rules, write_file


def test_the_map_lists_the_textbooks_chapters() -> None:
    assert [len(chapters_of(grade)) for grade in (6, 7, 8)] == [8, 11, 11]
    assert [c.bn for c in chapters_of(7)][3:6] == [
        "বীজগণিতীয় রাশির গুণ ও ভাগ",
        "বীজগণিতীয় সূত্রাবলি ও প্রয়োগ",
        "বীজগণিতীয় ভগ্নাংশ",
    ]
    assert {c.key for c in syllabus().values() if not c.checkable} == {"6.7"}  # practical geometry
    assert syllabus()["8.11"].bn == "তথ্য ও উপাত্ত"


def test_a_chapter_listed_out_of_order_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "syllabus.yaml"
    entry = {"en": "A", "bn": "ক", "checkable": True}
    path.write_text(yaml.safe_dump({"grades": {6: [{"key": "6.2", **entry}]}}), encoding="utf-8")
    with pytest.raises(ValueError, match="chapter 1"):
        read_syllabus(path)


@pytest.fixture(scope="module")
def a_problem() -> LibraryProblem:
    return next(p for p in read_library().problems if p.grade == 7 and p.chapter == "7.2")


@pytest.mark.parametrize(
    ("chapter", "words"),
    [
        (None, "names no chapter"),
        ("7.12", "not in src/content/syllabus.yaml"),
        ("8.7", "class 8's, not class 7's"),
    ],
)
def test_the_chapter_rule(a_problem: LibraryProblem, chapter: str | None, words: str) -> None:
    assert list(check_chapter(a_problem)) == []
    [(rule, message)] = check_chapter(a_problem.model_copy(update={"chapter": chapter}))
    assert rule == "chapter" and words in message


def test_a_construction_chapter_takes_no_problems(a_problem: LibraryProblem) -> None:
    moved = a_problem.model_copy(update={"grade": 6, "chapter": "6.7"})
    [(_, message)] = check_chapter(moved)
    assert "cannot be machine-checked" in message


def test_a_file_without_a_chapter_is_refused_and_a_problem_may_name_its_own(tmp_path: Path) -> None:
    write_file(tmp_path, [good_problem()], chapter=None)
    assert rules(validate_library(tmp_path)) == {"chapter"}
    write_file(tmp_path, [good_problem(chapter="7.2")], chapter=None)
    assert validate_library(tmp_path) == []
    [problem] = read_library(tmp_path).problems
    assert problem.chapter == "7.2"
    write_file(tmp_path, [good_problem(chapter="6.2")], chapter="7.2")  # the problem's own wins
    assert rules(validate_library(tmp_path)) == {"chapter"}


def _retire(root: Path, *entries: dict[str, object]) -> None:
    (root / "retired.yaml").write_text(yaml.safe_dump({"retired": list(entries)}), encoding="utf-8")


def test_a_retired_id_is_never_reused(tmp_path: Path) -> None:
    write_file(tmp_path, [good_problem()])
    _retire(tmp_path, {"id": 7031, "reason": "moved"})
    faults = validate_library(tmp_path)
    assert rules(faults) == {"id-retired"} and faults[0].problem_id == 7031
    _retire(tmp_path, {"id": 7030, "replaced_by": 7031, "reason": "moved"})
    assert validate_library(tmp_path) == []
    [entry] = read_retired(tmp_path).retired
    assert (entry.id, entry.replaced_by) == (7030, 7031)


def test_a_retired_id_replaced_by_nothing_in_the_library_is_a_fault(tmp_path: Path) -> None:
    write_file(tmp_path, [good_problem()])
    _retire(tmp_path, {"id": 7030, "replaced_by": 8030, "reason": "moved"}, {"id": 7030, "reason": "x"})
    messages = sorted(f.message for f in validate_library(tmp_path))
    assert messages == ["listed twice", "replaced_by 8030 is not in the library"]
    _retire(tmp_path, {"id": "7030", "reason": ""})
    assert rules(validate_library(tmp_path)) == {"retired"}


def test_the_repositorys_retired_ids_are_out_of_the_library() -> None:
    root = Path("src/content/problems")
    retired = read_retired(root).retired
    assert len(retired) >= 27
    ids = {problem.id for problem in read_library(root).problems}
    assert not ids & {entry.id for entry in retired}
    assert {entry.replaced_by for entry in retired} - {None} <= ids


def test_coverage_counts_by_chapter_and_difficulty(a_problem: LibraryProblem) -> None:
    assert a_problem.mistakes  # grade 7 Profit & Loss has its common wrong answers
    problems = [
        a_problem.model_copy(
            update={"id": 7200 + i, "difficulty": 1 + i % 3, "mistakes": a_problem.mistakes if i < 3 else ()}
        )
        for i in range(8)
    ]
    by_key = {entry.chapter.key: entry for entry in coverage(problems)}
    assert by_key["7.2"].by_difficulty == (3, 3, 2) and not by_key["7.2"].under_floor
    assert by_key["7.2"].with_mistakes == 3
    assert by_key["7.3"].total == 0 and by_key["7.3"].under_floor
    assert not by_key["6.7"].under_floor  # not checkable: no floor
    one_short = coverage(problems[:7])
    assert next(e for e in one_short if e.chapter.key == "7.2").under_floor  # 7 problems
    no_hard = [p for p in problems if p.difficulty != 3] + [problems[0].model_copy(update={"id": 7299})]
    assert next(e for e in coverage(no_hard) if e.chapter.key == "7.2").under_floor  # none at 3


def _small_syllabus(path: Path) -> Path:
    chapters = {
        6: [
            {
                "key": "6.1",
                "en": "Natural Numbers and Fractions",
                "bn": "স্বাভাবিক সংখ্যা ও ভগ্নাংশ",
                "checkable": True,
            },
            {"key": "6.2", "en": "Ratio and Percentage", "bn": "অনুপাত ও শতকরা", "checkable": False},
        ],
        7: [
            {
                "key": "7.1",
                "en": "Rational and Irrational Numbers",
                "bn": "মূলদ ও অমূলদ সংখ্যা",
                "checkable": True,
            }
        ],
    }
    path.write_text(yaml.safe_dump({"grades": chapters}, allow_unicode=True), encoding="utf-8")
    return path


def test_the_coverage_command_exits_1_under_the_floor_and_0_above_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chapters = _small_syllabus(tmp_path / "syllabus.yaml")
    real = [p for p in read_library().problems if p.chapter in {"6.1", "7.1"}]
    full = write_library(real, tmp_path / "full")
    assert coverage_command(full, chapters) == 0
    out = capsys.readouterr().out
    assert "UNDER THE FLOOR" not in out and "every chapter meets it" in out
    assert "6.2   Ratio and Percentage" in out and "not checkable" in out

    thin = [p for p in real if p.chapter == "6.1" or p.difficulty != 3]
    assert coverage_command(write_library(thin, tmp_path / "thin"), chapters) == 1
    out = capsys.readouterr().out
    [flagged] = [line for line in out.splitlines() if "UNDER THE FLOOR" in line]
    assert flagged.lstrip().startswith("7.1") and "/0)" in flagged
    assert out.rstrip().endswith("1 chapter under it")


def test_the_coverage_command_on_the_repository(capsys: pytest.CaptureFixture[str]) -> None:
    code = coverage_command()
    out = capsys.readouterr().out
    assert code == (1 if "UNDER THE FLOOR" in out else 0)
    assert out.count("\n  8.") == 11 and "8.10  Circles" in out


def test_numbers_must_agree_between_the_languages(tmp_path: Path) -> None:
    bengali = "রহিম ৪৫০ টাকায় একটি ক্রিকেট ব্যাট কিনে ২৫% লাভে বিক্রি করল। বিক্রয়মূল্য কত?"
    write_file(tmp_path, [good_problem(question_bn=bengali)])
    [fault] = validate_library(tmp_path)
    assert fault.rule == "numbers-agree"
    assert "only in English: 20; only in Bengali: 25" in fault.message


def test_a_clock_time_and_the_numbers_0_and_1_may_be_written_differently() -> None:
    assert written_numbers("The bus leaves at 6:00 am, 1 time a day.") == written_numbers(
        "বাসটি দিনে একবার সকাল ৬টায় ছাড়ে।"
    )
    assert written_numbers("at 6:30") == {6, 30}
    assert written_numbers("৯ম শ্রেণির ১,২০০ জন") == {9, 1200}
