"""Each validator rule on a small library written to tmp_path: a good problem passes, each fault is caught."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from src.content.commands import validate_command
from src.content.library import Fault, read_library
from src.content.validate import main, validate_library


def good_problem(**overrides: Any) -> dict[str, Any]:
    problem: dict[str, Any] = {
        "id": 7031,
        "subtopic": "Selling price",
        "difficulty": 2,
        "estimated_time_minutes": 4,
        "answer_kind": "money",
        "answer": "৳540",
        "solution": "450 * (1 + 20/100)",
        "question_en": "Rahim bought a cricket bat for ৳450 and sold it at a 20% profit. "
        "What was the selling price?",
        "question_bn": "রহিম ৪৫০ টাকায় একটি ক্রিকেট ব্যাট কিনে ২০% লাভে বিক্রি করল। বিক্রয়মূল্য কত?",
        "hints": [
            {"en": "Profit is a percentage of the cost price.", "bn": "লাভ ক্রয়মূল্যের উপর শতকরা হিসেবে ধরা হয়।"},
            {"en": "Find 20% of ৳450 first.", "bn": "প্রথমে ৪৫০ টাকার ২০% বের করো।"},
            {
                "en": "20% of ৳450 is ৳90. Add it to the cost price.",
                "bn": "৪৫০ টাকার ২০% হলো ৯০ টাকা। এটি ক্রয়মূল্যের সাথে যোগ করো।",
            },
        ],
    }
    problem.update(overrides)
    return problem


def write_file(
    root: Path,
    problems: list[dict[str, Any]],
    *,
    grade: int = 7,
    name: str = "profit-loss.yaml",
    topic: str = "Profit & Loss",
    chapter: str | None = "",
) -> Path:
    """A problem file; its chapter is the grade's chapter 2 (profit and loss in class 7) unless given,
    and None leaves it out."""
    path = root / f"grade{grade}" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    document: dict[str, Any] = {"grade": grade, "topic": topic}
    if chapter is not None:
        document["chapter"] = chapter or f"{grade}.2"
    document["problems"] = problems
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def faults_for(tmp_path: Path, *problems: dict[str, Any], grade: int = 7) -> list[Fault]:
    """The faults of a file of these problems, but for numbers-agree: the tests here change one language at
    a time to exercise one rule (numbers-agree has its tests in test_content_syllabus.py)."""
    write_file(tmp_path, list(problems), grade=grade)
    return [fault for fault in validate_library(tmp_path) if fault.rule != "numbers-agree"]


def rules(faults: list[Fault]) -> set[str]:
    return {fault.rule for fault in faults}


def with_hint(number: int, **text: str) -> list[dict[str, str]]:
    hints = [dict(h) for h in good_problem()["hints"]]
    hints[number - 1].update(text)
    return hints


def test_a_good_problem_has_no_faults(tmp_path: Path) -> None:
    assert faults_for(tmp_path, good_problem()) == []
    [problem] = read_library(tmp_path).problems
    assert (problem.grade, problem.topic, problem.id, len(problem.hints)) == (7, "Profit & Loss", 7031, 3)


def test_yaml_syntax_error(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("grade: 7\nproblems: [\n", encoding="utf-8")
    assert rules(validate_library(tmp_path)) == {"yaml"}


def test_repeated_key_is_a_yaml_fault_not_silently_overwritten(tmp_path: Path) -> None:
    path = write_file(tmp_path, [good_problem()])
    text = path.read_text(encoding="utf-8").replace("  difficulty: 2\n", "  difficulty: 2\n  difficulty: 3\n")
    path.write_text(text, encoding="utf-8")
    [fault] = validate_library(tmp_path)
    assert fault.rule == "yaml" and "duplicate key" in fault.message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"colour": "red"}, "colour"),  # unknown key
        ({"question_en": None}, "question_en"),
        ({"answer": 540}, "answer"),  # YAML number: must be a quoted string
        ({"answer_kind": "number"}, "answer_kind"),
        ({"id": "7031"}, "id"),
        ({"estimated_time_minutes": 0}, "estimated_time_minutes"),
        ({"hints": [{"en": "Only English."}] * 3}, "bn"),
    ],
)
def test_schema(tmp_path: Path, change: dict[str, Any], expected: str) -> None:
    faults = faults_for(tmp_path, good_problem(**change))
    assert rules(faults) == {"schema"}
    located = None if "id" in change else 7031  # a malformed id cannot name the problem
    assert all(fault.problem_id == located for fault in faults)
    assert any(expected in fault.message for fault in faults)


def test_schema_fault_in_the_file_header(tmp_path: Path) -> None:
    path = tmp_path / "grade7" / "x.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump({"grade": 7, "topic": "T", "problems": [], "extra": 1}), encoding="utf-8")
    faults = validate_library(tmp_path)
    assert rules(faults) == {"schema"} and {f.problem_id for f in faults} == {None}


def test_grade_must_be_6_7_or_8(tmp_path: Path) -> None:
    assert "grade" in rules(faults_for(tmp_path, good_problem(id=9001), grade=9))


def test_id_must_be_in_the_grade_range(tmp_path: Path) -> None:
    assert rules(faults_for(tmp_path, good_problem(id=6031))) == {"id-range"}
    assert rules(faults_for(tmp_path, good_problem(id=7000))) == {"id-range"}


def test_ids_are_unique_across_files(tmp_path: Path) -> None:
    write_file(tmp_path, [good_problem()], name="a.yaml")
    other = good_problem(question_en="Karim bought a football for ৳450 and sold it at a 20% profit. Price?")
    other["question_bn"] = "করিম ৪৫০ টাকায় একটি ফুটবল কিনে ২০% লাভে বিক্রি করল। বিক্রয়মূল্য কত?"
    write_file(tmp_path, [other], name="b.yaml")
    faults = [f for f in validate_library(tmp_path) if f.rule == "id-duplicate"]
    assert len(faults) == 1 and "a.yaml:7031" in faults[0].message


def test_file_must_sit_in_its_grade_folder(tmp_path: Path) -> None:
    path = write_file(tmp_path, [good_problem()])
    moved = tmp_path / "grade6" / path.name
    moved.parent.mkdir()
    path.rename(moved)
    assert rules(validate_library(tmp_path)) == {"file-location"}


def test_a_topic_needs_its_bengali_name(tmp_path: Path) -> None:
    write_file(tmp_path, [good_problem()], name="probability.yaml", topic="Probability")
    faults = validate_library(tmp_path)
    assert rules(faults) == {"topic-name"}
    assert "'Probability' has no Bengali name" in faults[0].message


def test_difficulty_is_1_to_3(tmp_path: Path) -> None:
    assert rules(faults_for(tmp_path, good_problem(difficulty=4))) == {"difficulty"}


def test_exactly_three_hints(tmp_path: Path) -> None:
    two = good_problem()["hints"][:2]
    assert rules(faults_for(tmp_path, good_problem(hints=two))) == {"hints"}


def test_hints_must_not_repeat(tmp_path: Path) -> None:
    hints = good_problem()["hints"]
    # English repeats hint 2; the Bengali says it differently (with the same numbers).
    repeated = [hints[0], hints[1], {"en": hints[1]["en"], "bn": "৪৫০ টাকার ২০% কত, আগে সেটা বের করো।"}]
    assert rules(faults_for(tmp_path, good_problem(hints=repeated))) == {"hints"}


def test_answer_must_parse_in_its_kind(tmp_path: Path) -> None:
    assert "answer" in rules(faults_for(tmp_path, good_problem(answer="540 taka")))


def test_declared_kind_must_be_the_inferred_kind(tmp_path: Path) -> None:
    # Readable as an expression, but written as a product: the checker would treat it as factored.
    problem = good_problem(answer_kind="expression", answer="(x + 3)(x - 3)", solution="x^2 - 9")
    assert rules(faults_for(tmp_path, problem)) == {"answer-kind"}


def test_solution_must_evaluate(tmp_path: Path) -> None:
    for solution in ("450 * (1 + ", "450 * rate", "sovle(x)", "1 1/2 * 360"):
        faults = faults_for(tmp_path, good_problem(solution=solution))
        assert rules(faults) == {"solution"}, solution


def test_solution_must_equal_the_answer(tmp_path: Path) -> None:
    faults = faults_for(tmp_path, good_problem(solution="450 * (1 + 10/100)"))
    assert rules(faults) == {"solution-value"}
    assert "495" in faults[0].message


def test_solution_must_compute_not_restate(tmp_path: Path) -> None:
    assert rules(faults_for(tmp_path, good_problem(solution="540"))) == {"solution-trivial"}


@pytest.mark.parametrize(
    ("number", "language", "text"),
    [
        (3, "en", "20% of ৳450 is ৳90, so the price is ৳540."),
        (3, "bn", "৪৫০ টাকার সাথে ৯০ টাকা যোগ করলে ৫৪০ টাকা হয়।"),
        (2, "en", "The answer will be a bit more than 450: it is 540."),
    ],
)
def test_hint_must_not_reveal_the_answer(tmp_path: Path, number: int, language: str, text: str) -> None:
    faults = faults_for(tmp_path, good_problem(hints=with_hint(number, **{language: text})))
    assert rules(faults) == {"hint-reveals"}
    assert f"hint {number} ({language})" in faults[0].message


def test_numbers_containing_the_answer_are_not_reveals(tmp_path: Path) -> None:
    hints = with_hint(3, en="Compare with ৳5400 and ৳1.540 and ৳540,000.", bn="৫৪০০ টাকার সাথে তুলনা করো।")
    assert faults_for(tmp_path, good_problem(hints=hints)) == []


def test_equivalent_form_of_the_answer_is_a_reveal(tmp_path: Path) -> None:
    problem = good_problem(
        answer_kind="fraction",
        answer="3/4",
        solution="Rational(9, 12)",
        question_en="Rahim ate 9 of the 12 slices of a pitha. What fraction did he eat?",
        question_bn="রহিম একটি পিঠার ১২ টুকরার ৯ টুকরা খেল। সে কত ভাগ খেল?",
        hints=with_hint(3, en="That is 0.75 of the pitha; write it as a fraction.", bn="ভগ্নাংশে লেখো।"),
    )
    faults = faults_for(tmp_path, problem)
    assert rules(faults) == {"hint-reveals"} and "0.75" in faults[0].message


def test_expression_reveal_in_any_term_order(tmp_path: Path) -> None:
    problem = good_problem(
        answer_kind="expression",
        answer="2x + 6",
        form="expanded",
        solution="expand(2(x + 3))",
        question_en="Expand 2(x + 3).",
        question_bn="বিস্তৃত করো: ২(x + ৩)।",
        hints=with_hint(3, en="Multiply out 2(x + 3) to get 6 + 2x.", bn="প্রতিটি পদকে ২ দিয়ে গুণ করো।"),
    )
    faults = faults_for(tmp_path, problem)
    assert rules(faults) == {"hint-reveals"}, faults


def test_set_reveal_in_any_order(tmp_path: Path) -> None:
    problem = good_problem(
        answer_kind="set",
        answer="{3, 5}",
        solution="Intersection(FiniteSet(1, 3, 5), FiniteSet(3, 5, 7))",
        question_en="A = {1, 3, 5} and B = {3, 5, 7}. Find A ∩ B.",
        question_bn="A = {১, ৩, ৫} এবং B = {৩, ৫, ৭}। A ∩ B নির্ণয় করো।",
        hints=with_hint(3, en="Common elements: A ∩ B = {5, 3}.", bn="সাধারণ উপাদানগুলো: {৫, ৩}।"),
    )
    faults = faults_for(tmp_path, problem)
    assert rules(faults) == {"hint-reveals"} and len(faults) == 2


def test_empty_set_answer(tmp_path: Path) -> None:
    problem = good_problem(
        answer_kind="set",
        answer="{}",
        solution="Intersection(FiniteSet(1, 3), FiniteSet(2, 4))",
        question_en="A = {1, 3} and B = {2, 4}. Find A ∩ B.",
        question_bn="A = {১, ৩} এবং B = {২, ৪}। A ∩ B নির্ণয় করো।",
    )
    assert faults_for(tmp_path, problem) == []
    hints = with_hint(3, en="No element is common, so A ∩ B = ∅.")
    assert rules(faults_for(tmp_path, {**problem, "hints": hints})) == {"hint-reveals"}


def test_pair_reveal_by_either_coordinate(tmp_path: Path) -> None:
    problem = good_problem(
        answer_kind="pair",
        answer="(9, 6)",
        solution="solve([Eq(x + y, 15), Eq(x - y, 3)], [x, y])",
        question_en="Solve x + y = 15 and x - y = 3. Write the answer as (x, y).",
        question_bn="সমাধান করো: x + y = ১৫ এবং x - y = ৩। উত্তর (x, y) আকারে লেখো।",
        hints=with_hint(3, en="So 2x = 18. Find x, then y.", bn="তাহলে ২x = ১৮। x বের করো, তারপর y।"),
    )
    assert faults_for(tmp_path, problem) == []
    hints = with_hint(3, en="So x = 9. Now find y.", bn="তাহলে ২x = ১৮। x বের করো, তারপর y।")
    assert rules(faults_for(tmp_path, {**problem, "hints": hints})) == {"hint-reveals"}


def test_bengali_field_without_ascii_digits(tmp_path: Path) -> None:
    problem = good_problem(question_bn="রহিম 450 টাকায় একটি ক্রিকেট ব্যাট কিনে ২০% লাভে বিক্রি করল। বিক্রয়মূল্য কত?")
    assert rules(faults_for(tmp_path, problem)) == {"bn-digits"}


def test_bengali_field_in_bengali_script(tmp_path: Path) -> None:
    hints = with_hint(1, bn="Profit is a percentage of the cost price.")
    assert rules(faults_for(tmp_path, good_problem(hints=hints))) == {"bn-script"}
    hints = with_hint(2, bn="প্রথমে ৪৫০ Tk এর ২০% বের করো।")
    assert rules(faults_for(tmp_path, good_problem(hints=hints))) == {"bn-script"}


@pytest.mark.parametrize("language", ["en", "bn"])
def test_powers_are_written_as_a_student_reads_them(tmp_path: Path, language: str) -> None:
    text = {"en": "Factorise x^4 + x² + 1.", "bn": "x^৪ + x² + ১ কে উৎপাদকে বিশ্লেষণ করো।"}[language]
    assert rules(faults_for(tmp_path, good_problem(hints=with_hint(2, **{language: text})))) == {
        "caret-power"
    }
    fine = {"en": "Factorise x⁴ + x² + 1.", "bn": "x⁴ + x² + ১ কে উৎপাদকে বিশ্লেষণ করো।"}[language]
    assert faults_for(tmp_path, good_problem(hints=with_hint(2, **{language: fine}))) == []


def test_bengali_field_may_use_variables_and_point_labels(tmp_path: Path) -> None:
    hints = with_hint(1, bn="ABC ত্রিভুজে x + y = ১৮০° এবং ab পদটি লক্ষ করো।")
    assert faults_for(tmp_path, good_problem(hints=hints)) == []


def test_english_field_without_bengali_digits_or_text(tmp_path: Path) -> None:
    hints = with_hint(2, en="Find 20% of ৳৪৫০ first.")
    assert rules(faults_for(tmp_path, good_problem(hints=hints))) == {"en-digits"}
    assert rules(faults_for(tmp_path, good_problem(question_en="রহিম bought a bat."))) == {"en-script"}


def test_identical_question_is_a_duplicate(tmp_path: Path) -> None:
    copy = good_problem(id=7032, question_en=good_problem()["question_en"].upper() + "  ")
    copy["question_bn"] = "করিম ৪৫০ টাকায় একটি ক্রিকেট ব্যাট কিনে ২০% লাভে বিক্রি করল। বিক্রয়মূল্য কত?"
    faults = faults_for(tmp_path, good_problem(), copy)
    assert [(f.problem_id, f.rule) for f in faults] == [(7032, "duplicate")]


def test_reworded_copy_with_same_numbers_and_answer_is_a_duplicate(tmp_path: Path) -> None:
    twin = good_problem(
        id=7032,
        question_en="Nusrat sold a school bag at 20% profit. She had bought it for ৳450. Selling price?",
        question_bn="নুসরাত ৪৫০ টাকায় কেনা একটি স্কুলব্যাগ ২০% লাভে বিক্রি করল। বিক্রয়মূল্য বের করো।",
    )
    faults = faults_for(tmp_path, good_problem(), twin)
    assert [(f.problem_id, f.rule) for f in faults] == [(7032, "duplicate")]


def test_same_numbers_with_a_different_answer_is_not_a_duplicate(tmp_path: Path) -> None:
    loss = good_problem(
        id=7032,
        answer="৳360",
        solution="450 * (1 - 20/100)",
        question_en="Rahim bought a cricket bat for ৳450 and sold it at a 20% loss. Selling price?",
        question_bn="রহিম ৪৫০ টাকায় একটি ক্রিকেট ব্যাট কিনে ২০% ক্ষতিতে বিক্রি করল। বিক্রয়মূল্য কত?",
        hints=with_hint(3, en="20% of ৳450 is ৳90. Subtract it.", bn="৪৫০ টাকার ২০% হলো ৯০ টাকা। এটি বাদ দাও।"),
    )
    assert faults_for(tmp_path, good_problem(), loss) == []


def test_main_prints_faults_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_file(tmp_path, [good_problem(difficulty=5)])
    assert main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "grade7/profit-loss.yaml:7031: difficulty: difficulty 5 is not 1, 2 or 3" in out
    assert "\n1 problem\n" in out  # not "1 problems"


def test_validate_command_exits_0_on_a_clean_library(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_file(tmp_path, [good_problem()])
    assert validate_command(tmp_path) == 0
    out = capsys.readouterr().out
    assert "no faults" in out and "grade 7" in out and "Profit & Loss" in out
