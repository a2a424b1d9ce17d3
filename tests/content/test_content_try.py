"""The library's form problems (issue 19, review section 1) through `dars content try`'s code path."""

from __future__ import annotations

import json
from fractions import Fraction
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from src.cli import main
from src.content.library import LibraryProblem, read_library
from src.content.trying import try_answer

SETTINGS = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

# (problem, the right value in another form: often the question typed back)
OTHER_FORMS = [
    (6020, "84/126"),
    (6021, "22/24"),
    (6039, "18/27"),
    (6045, "16/30"),
    (7001, "2/24"),
    (7003, "-60/72"),
    (7005, "10/48"),
    (7008, "-8/30"),
    (8057, "10/16"),
    (6020, "0.666"),  # not the value: stays wrong (below)
    (6022, "4 3/5"),
    (6023, "31/12"),
    (6025, "15/2"),
    (6029, "11/8"),
    (7007, "127/20"),
    (7090, "8/5"),
    (6032, "7/20"),
    (6035, "1429/100"),
    (7002, "-107/10"),
    (7076, "47/20"),
    (7089, "7/2"),
    (8023, "3/2"),
    (8087, "31/2"),
    (8090, "64/10"),
    (8091, "184/5"),
    (7030, "(x+5)^2"),
    (7031, "(3m-2)^2"),
    (7035, "(2x+3y)(2x-3y)"),
    (7098, "(2x+5)^2"),  # 8026 before it moved to class 7
    (7099, "(3x-2y)^2"),  # 8028 before it moved to class 7
    (8029, "(x+3)^3"),
    (8030, "(2a-b)^3"),
    (6068, "5x + 3x - 2x"),
    (6071, "(4a + 3b - 2) + (2a - 5b + 7)"),
    (6073, "2(3a + 3)"),
    (6074, "3(2x - 5) - 2(x - 4)"),
    (6076, "3(x + x - 4)"),
    (7037, "(3p+2)^2 + (3p-2)^2"),
    (7038, "(x+4)^2 - x^2"),
    (7047, "(m^2+11m+28)/(m+7)"),
]


@cache
def library() -> dict[int, LibraryProblem]:
    read = read_library()
    assert not read.faults
    return {p.id: p for p in read.problems}


@pytest.mark.parametrize(("problem_id", "text"), [case for case in OTHER_FORMS if case[1] != "0.666"])
def test_the_right_value_in_another_form_is_no_attempt(problem_id: int, text: str) -> None:
    problem = library()[problem_id]
    assert problem.form is not None
    outcome = try_answer(problem, text)
    assert (outcome["verdict"], outcome["uses_attempt"], outcome["form"]) == (
        "wrong_form",
        False,
        problem.form,
    )
    assert outcome["feedback_en"].startswith("👍 Right value! Now")
    assert outcome["feedback_bn"].startswith("👍 ঠিক মান! এবার")
    assert try_answer(problem, problem.answer)["verdict"] == "correct"


def test_a_wrong_value_stays_wrong_whatever_the_form() -> None:
    outcome = try_answer(library()[6020], "0.666")
    assert (outcome["verdict"], outcome["uses_attempt"]) == ("wrong", True)


def _fraction_problems() -> list[LibraryProblem]:
    return [p for p in library().values() if p.form is not None and p.form.value == "lowest_terms"]


@SETTINGS
@given(st.data(), st.integers(min_value=1, max_value=12), st.integers(min_value=-50, max_value=50))
def test_a_fraction_is_never_wrong_unreduced_and_never_right_with_another_value(
    data: st.DataObject, factor: int, shift: int
) -> None:
    problem = data.draw(st.sampled_from(_fraction_problems()))
    value = Fraction(problem.answer)
    unreduced = f"{value.numerator * factor}/{value.denominator * factor}"
    verdict = try_answer(problem, unreduced)["verdict"]
    assert verdict == ("correct" if factor == 1 else "wrong_form")
    other = value + Fraction(shift, value.denominator * factor)
    if shift:
        text = f"{other.numerator * factor}/{other.denominator * factor}"
        assert try_answer(problem, text)["verdict"] not in ("correct", "wrong_form"), text


@SETTINGS
@given(st.data(), st.integers(min_value=1, max_value=9))
def test_a_mixed_number_written_improper_is_never_wrong(data: st.DataObject, factor: int) -> None:
    problem = data.draw(st.sampled_from([p for p in library().values() if p.answer_kind == "mixed"]))
    whole, fraction = problem.answer.split()
    value = int(whole) + Fraction(fraction)
    improper = f"{value.numerator * factor}/{value.denominator * factor}"
    assert try_answer(problem, improper)["verdict"] == "wrong_form"
    assert try_answer(problem, f"{whole} {fraction}")["verdict"] == "correct"


def test_the_command_prints_one_json_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "try", "7007", "127/20", "--json"]) == 0
    outcome = json.loads(capsys.readouterr().out)
    assert {"verdict", "mistake", "misconception", "feedback_en", "feedback_bn"} <= set(outcome)
    assert outcome["verdict"] == "wrong_form" and outcome["form"] == "mixed_number"


def test_the_command_for_a_person_and_for_an_unknown_problem(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "try", "7007", "6 7/20"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("correct (high confidence, uses an attempt)")
    assert "en: ✅ Exactly right! Well done." in out and "bn: ✅ একদম ঠিক!" in out
    assert main(["content", "try", "999", "1"]) == 1
    assert "no problem 999" in capsys.readouterr().err


# (problem, the right amount in another unit of the same quantity, the unit asked)
OTHER_UNITS = [
    (6014, "২ ঘণ্টা", "minute"),
    (6014, "2 hours", "minute"),
    (7025, "2.5 hours", "minute"),
    (7025, "২.৫ ঘণ্টা", "minute"),
    (7076, "2350 m", "km"),
    (7029, "90000 g", "kg"),
    (7078, "14600 cm", "m"),
    (7009, "450000 ml", "l"),
]


@pytest.mark.parametrize(("problem_id", "text", "unit"), OTHER_UNITS)
def test_the_right_amount_in_another_unit_is_no_attempt(problem_id: int, text: str, unit: str) -> None:
    outcome = try_answer(library()[problem_id], text)
    assert (outcome["verdict"], outcome["uses_attempt"], outcome["unit"]) == ("wrong_form", False, unit)
    assert outcome["feedback_en"].startswith("👍 Right! What is it in ")
    assert outcome["feedback_bn"].startswith("👍 ঠিক! ") and "লিখলে কত হবে?" in outcome["feedback_bn"]


@pytest.mark.parametrize(
    ("problem_id", "text"),
    [(6014, "3 hours"), (6014, "120 hours"), (7076, "2.35 m"), (7029, "90 g")],
)
def test_a_wrong_amount_in_any_unit_stays_wrong(problem_id: int, text: str) -> None:
    outcome = try_answer(library()[problem_id], text)
    assert (outcome["verdict"], outcome["uses_attempt"]) == ("wrong", True), outcome


@pytest.mark.parametrize(
    ("problem_id", "text"), [(6014, "120 minutes"), (6014, "১২০ মিনিট"), (7076, "2.35 km")]
)
def test_the_asked_unit_is_right(problem_id: int, text: str) -> None:
    assert try_answer(library()[problem_id], text)["verdict"] == "correct"


@SETTINGS
@given(st.sampled_from(["second", "minute", "hour", "day"]), st.integers(min_value=1, max_value=500))
def test_time_in_any_unit_is_never_wrong_when_the_amount_is_right(unit: str, minutes: int) -> None:
    from src.answers import check_answer
    from src.answers.units import UNITS

    amount = Fraction(minutes * 60) / UNITS[unit].factor
    if amount.denominator != 1 and 100 % amount.denominator:
        return  # not a short decimal: not how anyone writes it
    typed = str(float(amount)).removesuffix(".0") + f" {UNITS[unit].en}"
    verdict = check_answer(typed, str(minutes), unit="minute").verdict
    assert verdict.value == ("correct" if unit == "minute" else "wrong_form"), typed
    wrong = check_answer(
        str(float(amount) + 1).removesuffix(".0") + f" {UNITS[unit].en}", str(minutes), unit="minute"
    )
    assert wrong.verdict.value == "wrong"


@pytest.mark.parametrize(
    ("problem_id", "text", "verdict"),
    [
        (6026, "six", "correct"),
        (6026, "choy", "correct"),
        (8068, "ten", "correct"),
        (8068, "dosh", "correct"),
        (7086, "forteen", "correct"),
        (7086, "fourtean", "correct"),
        (8081, "2 hundreds", "correct"),
        (8081, "two hunred", "correct"),
        (6014, "one hundred and twenty minutes", "correct"),
        (6014, "a hundred and twenty", "correct"),
        (8068, "tin", "wrong"),  # Banglish 3
        (8081, "two hundred and one", "wrong"),
    ],
)
def test_english_number_words_on_library_problems(problem_id: int, text: str, verdict: str) -> None:
    assert try_answer(library()[problem_id], text)["verdict"] == verdict


@pytest.mark.parametrize(
    ("problem_id", "text"),
    [(6026, "why 6?"), (7086, "how is the answer 14?"), (6020, "২/৩ কেন?"), (7030, "why (x+5)^2?")],
)
def test_questions_on_library_problems_get_the_first_hint(problem_id: int, text: str) -> None:
    problem = library()[problem_id]
    outcome = try_answer(problem, text)
    assert (outcome["verdict"], outcome["non_answer"], outcome["uses_attempt"]) == (
        "not_an_answer",
        "question",
        False,
    )
    assert outcome["feedback_en"] == f"💡 Hint 1 of 3: {problem.hints[0].en}"
