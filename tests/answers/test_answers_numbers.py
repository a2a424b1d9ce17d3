"""Numeric answers: digits in both scripts, grouping, fractions, decimals, percent, money, units."""

from __future__ import annotations

import pytest

from src.answers import AnswerKind, Confidence, Mistake, Verdict, check_answer


def _verdict(student: str, canonical: str) -> tuple[Verdict, Confidence]:
    result = check_answer(student, canonical)
    return result.verdict, result.confidence


@pytest.mark.parametrize(
    ("student", "canonical"),
    [
        ("42", "42"),
        ("৪২", "42"),
        ("-7", "-7"),
        ("−7", "-7"),  # unicode minus
        ("–7", "-7"),  # en dash
        ("—7", "-7"),  # em dash
        ("54.4", "54.4"),
        ("৫৪.৪", "54.4"),
        ("3/4", "3/4"),
        ("৩/৪", "3/4"),
        ("3 / 4", "3/4"),
        ("3÷4", "3/4"),
        ("1 1/2", "1 1/2"),
        ("১ ১/২", "1 1/2"),
        ("1½", "1 1/2"),
        ("-1 1/2", "-1 1/2"),
        ("1,200", "1200"),
        ("১,২০০", "1200"),
        ("1,20,000", "120000"),
        ("১,২০,০০০", "120000"),
        ("120,000", "120000"),
        ("12.", "12"),
        ("১২।", "12"),
        ("= 12", "12"),
        ("12.0", "12"),
    ],
)
def test_normalised_match_is_correct_with_high_confidence(student: str, canonical: str) -> None:
    assert _verdict(student, canonical) == (Verdict.CORRECT, Confidence.HIGH)


@pytest.mark.parametrize(
    ("student", "canonical"),
    [
        ("6/8", "3/4"),
        ("0.75", "3/4"),
        ("০.৭৫", "3/4"),
        (".75", "3/4"),
        ("75%", "3/4"),
        ("3/4", "0.75"),
        ("3/2", "1 1/2"),
        ("1.5", "1 1/2"),
        ("1 1/2", "1.5"),
        ("10/2", "5"),
        ("272/5", "54.4"),
        ("54 2/5", "54.4"),
        ("-6/8", "-3/4"),
        ("3/-4", "-3/4"),
    ],
)
def test_equivalent_forms_are_correct_with_medium_confidence(student: str, canonical: str) -> None:
    assert _verdict(student, canonical) == (Verdict.CORRECT, Confidence.MEDIUM)


@pytest.mark.parametrize("student", ["25", "25%", "25 %", "২৫ শতাংশ", "25 percent", "শতকরা ২৫", "২৫%"])
def test_percent_with_or_without_marker(student: str) -> None:
    assert _verdict(student, "25%") == (Verdict.CORRECT, Confidence.HIGH)


@pytest.mark.parametrize("student", ["0.25", "1/4", "০.২৫", ".25"])
def test_percent_as_fraction_is_wrong_form(student: str) -> None:
    result = check_answer(student, "25%")
    assert result.verdict is Verdict.WRONG_FORM  # the right value: "write it as a percentage", no attempt
    assert result.mistake is Mistake.WRONG_FORM


def test_percent_scale_and_decimal_percent() -> None:
    assert check_answer("2.5%", "25%").mistake is Mistake.SCALE
    assert check_answer("12.5", "12.5%").verdict is Verdict.CORRECT
    assert check_answer("0.125", "12.5%").mistake is Mistake.WRONG_FORM
    assert check_answer("twenty five percent", "25%").verdict is Verdict.CORRECT


@pytest.mark.parametrize(
    "student",
    [
        "৳120",
        "120",
        "120 taka",
        "120 Taka",
        "১২০ টাকা",
        "Tk 120",
        "tk. 120",
        "TK.120",
        "120tk",
        "120/-",
        "৳ 120/-",
        "120.00",
        "BDT 120",
        "১২০ টাকা মাত্র",
    ],
)
def test_money_markers(student: str) -> None:
    result = check_answer(student, "৳120")
    assert (result.verdict, result.confidence) == (Verdict.CORRECT, Confidence.HIGH)
    assert result.parsed == "৳120"


def test_money_with_paisa_and_grouping() -> None:
    assert check_answer("120.5", "৳120.50").verdict is Verdict.CORRECT
    assert check_answer("120 টাকা ৫০ পয়সা", "৳120.50").verdict is Verdict.CORRECT
    assert check_answer("৳1,250.50", "৳1250.50").verdict is Verdict.CORRECT
    assert check_answer("১,২০০ টাকা", "৳1200").verdict is Verdict.CORRECT
    assert check_answer("121", "৳120").verdict is Verdict.WRONG


@pytest.mark.parametrize(
    "student",
    [
        "12 cm",
        "12cm",
        "12 sq cm",
        "12 cm²",
        "12 cm^2",
        "12 m",
        "12 km/h",
        "12 kg",
        "১২ কেজি",
        "১২ সেমি",
        "১২ বর্গমিটার",
        "১২ বর্গ সেমি",
        "১২টি",
        "১২ জন",
        "12°",
        "12 degrees",
        "12 litres",
        "১২ ঘণ্টা",
    ],
)
def test_units_are_stripped(student: str) -> None:
    assert _verdict(student, "12") == (Verdict.CORRECT, Confidence.HIGH)


@pytest.mark.parametrize(
    ("student", "canonical"),
    [
        ("the answer is 54.4", "54.4"),
        ("The answer is 54.4.", "54.4"),
        ("উত্তর ১২", "12"),
        ("উত্তরঃ ১২", "12"),
        ("উত্তর হলো ১২ সেমি", "12"),
        ("১২ হবে", "12"),
        ("ans: 12", "12"),
        ("Ans = 12", "12"),
        ("I think 12", "12"),
        ("i think it's 12", "12"),
        ("it is 12 cm", "12"),
        ("so 12", "12"),
        ("12 i think", "12"),
        ("আমার মনে হয় ১২", "12"),
        ("Hi, the answer is 12", "12"),
    ],
)
def test_answer_inside_a_phrase_is_medium(student: str, canonical: str) -> None:
    assert _verdict(student, canonical) == (Verdict.CORRECT, Confidence.MEDIUM)


def test_phrase_with_wrong_number_is_wrong_medium() -> None:
    result = check_answer("the answer is 13", "12")
    assert (result.verdict, result.confidence) == (Verdict.WRONG, Confidence.MEDIUM)


def test_lone_number_in_a_sentence_is_a_low_confidence_guess() -> None:
    assert _verdict("I got 12 apples", "12") == (Verdict.CORRECT, Confidence.LOW)
    assert _verdict("I got 13 apples", "12") == (Verdict.WRONG, Confidence.LOW)


@pytest.mark.parametrize(
    ("student", "canonical"),
    [
        ("twelve", "12"),
        ("Twelve", "12"),
        ("twenty five", "25"),
        ("twenty-five", "25"),
        ("zero", "0"),
        ("ninety", "90"),
        ("one hundred and twenty", "120"),
        ("minus seven", "-7"),
        ("three quarters", "3/4"),
        ("one and a half", "1 1/2"),
        ("বারো", "12"),
        ("শূন্য", "0"),
        ("এক", "1"),
        ("দুই", "2"),
        ("তিন", "3"),
        ("বিশ", "20"),
        ("পঁচিশ", "25"),
        ("ত্রিশ", "30"),
        ("পঞ্চাশ", "50"),
        ("একশ বিশ", "120"),
        ("দেড়", "1 1/2"),
        ("বিশ টাকা", "৳20"),
        ("twelve cm", "12"),
    ],
)
def test_number_words(student: str, canonical: str) -> None:
    assert _verdict(student, canonical) == (Verdict.CORRECT, Confidence.MEDIUM)


@pytest.mark.parametrize("student", ["thirteen", "তেরো", "five five", "twenty twenty"])
def test_number_words_that_do_not_mean_twelve(student: str) -> None:
    assert check_answer(student, "12").verdict is not Verdict.CORRECT


@pytest.mark.parametrize(
    ("student", "canonical", "mistake"),
    [
        ("-12", "12", Mistake.SIGN),
        ("12", "-12", Mistake.SIGN),
        ("3/4", "-3/4", Mistake.SIGN),
        ("540", "54", Mistake.SCALE),
        ("5.4", "54", Mistake.SCALE),
        ("0.054", "54", Mistake.SCALE),
        ("54", "৳540", Mistake.SCALE),
        ("13", "12", Mistake.OTHER),
        ("4/3", "3/4", Mistake.OTHER),
    ],
)
def test_wrong_numbers_are_classified(student: str, canonical: str, mistake: Mistake) -> None:
    result = check_answer(student, canonical)
    assert (result.verdict, result.confidence, result.mistake) == (
        Verdict.WRONG,
        Confidence.HIGH,
        mistake,
    )


@pytest.mark.parametrize(("student", "canonical"), [("450*1.2", "৳540"), ("3/4 + 1/8", "7/8")])
def test_unfinished_calculation_is_not_simplified(student: str, canonical: str) -> None:
    result = check_answer(student, canonical)
    assert (result.verdict, result.mistake) == (Verdict.WRONG_FORM, Mistake.NOT_SIMPLIFIED)


def test_explicit_kind_overrides_inference() -> None:
    # "25%" read as a fraction question (kind given) is 1/4, so 0.25 is right there.
    assert check_answer("0.25", "1/4", AnswerKind.FRACTION).verdict is Verdict.CORRECT
    assert check_answer("0.25", "25%", AnswerKind.PERCENT).verdict is Verdict.WRONG_FORM
    assert check_answer("0.25", "25%", "percent").verdict is Verdict.WRONG_FORM  # type: ignore[arg-type]


def test_parsed_display() -> None:
    assert check_answer("৬/৮", "3/4").parsed == "6/8"
    assert check_answer("২৫ শতাংশ", "25%").parsed == "25%"
    assert check_answer("1,200.50", "1200.5").parsed == "1200.5"
    assert check_answer("x=5", "5").parsed == "x = 5"


def test_ratio_notation_for_a_ratio_stored_as_fraction() -> None:
    from src.answers.check import check_answer

    for text in ("2:3", "2 : 3", "২ : ৩", "4:6"):
        result = check_answer(text, "2/3")
        assert result.verdict == "correct" and result.confidence == "medium", text
    assert check_answer("3:2", "2/3").verdict == "wrong"
    assert check_answer("2:3", "5").verdict != "correct"  # only fraction answers read a ratio


@pytest.mark.parametrize(
    ("student", "canonical"),
    [
        ("১২ হাজার টাকা", "৳12000"),
        ("12 thousand", "৳12000"),
        ("বারো হাজার টাকা", "৳12000"),  # the all-words form, read the same way
        ("1.2 lakh", "120000"),
        ("৭ লক্ষ", "700000"),
        ("৫ শত", "500"),
        ("3 crore", "30000000"),
        ("2 dozen", "24"),
        ("-12 thousand", "-12000"),
    ],
)
def test_digits_times_a_scale_word(student: str, canonical: str) -> None:
    # Review bug: the scale word was ignored, so 12 হাজার was read as 12 and judged WRONG.
    assert _verdict(student, canonical) == (Verdict.CORRECT, Confidence.MEDIUM)


@pytest.mark.parametrize(
    ("student", "canonical"),
    [
        ("সাড়ে চারশ টাকা", "৳450"),  # was 400 1/2
        ("সাড়ে তিন হাজার", "3500"),  # was 3000 1/2
        ("সাড়ে ৭", "7 1/2"),  # was read as 7
        ("সাড়ে বারো", "12.5"),
        ("দেড় হাজার", "1500"),
        ("দেড়শ", "150"),
        ("আড়াই লাখ", "250000"),
    ],
)
def test_half_words_add_half_of_the_place_they_precede(student: str, canonical: str) -> None:
    assert _verdict(student, canonical) == (Verdict.CORRECT, Confidence.MEDIUM)


@pytest.mark.parametrize(("student", "canonical"), [("সাড়ে 7.5", "7.5"), ("12 thousand 5", "12")])
def test_scale_words_that_cannot_be_read_are_undecided(student: str, canonical: str) -> None:
    # The one number in the sentence is not the answer when a scale word changes it.
    assert check_answer(student, canonical).verdict is Verdict.UNDECIDED


@pytest.mark.parametrize(("student", "canonical"), [("২·৩৫", "2.35"), ("০·৩৫", "0.35"), ("2·5", "2.5")])
def test_middle_dot_between_digits_is_a_decimal_point(student: str, canonical: str) -> None:
    # Review bug: read as 2*35, a confident WRONG for the textbook way of writing 2.35.
    assert _verdict(student, canonical) == (Verdict.CORRECT, Confidence.HIGH)


def test_middle_dot_next_to_a_letter_is_still_multiplication() -> None:
    assert _verdict("2·x + 6", "2x + 6") == (Verdict.CORRECT, Confidence.HIGH)
    assert check_answer("2 · 3", "6").mistake is Mistake.NOT_SIMPLIFIED


@pytest.mark.parametrize("student", ["২ঃ৩", "২ ঃ ৩", "2ঃ3"])
def test_bengali_visarga_as_a_ratio_colon(student: str) -> None:
    assert _verdict(student, "2/3") == (Verdict.CORRECT, Confidence.MEDIUM)


@pytest.mark.parametrize(
    ("student", "canonical"), [("Ans. 12", "12"), ("Ans. x = 5", "x = 5"), ("ans.: 12", "12")]
)
def test_lead_word_abbreviated_with_a_full_stop(student: str, canonical: str) -> None:
    # "Ans. 12" was a LOW guess and "Ans. x = 5" undecided, unlike "Ans: 12".
    assert _verdict(student, canonical) == (Verdict.CORRECT, Confidence.MEDIUM)


def test_decimal_point_after_a_lead_word_is_kept() -> None:
    assert _verdict("ans .5", "0.5") == (Verdict.CORRECT, Confidence.MEDIUM)


@pytest.mark.parametrize(
    ("student", "canonical"),
    [("Ans.12", "12"), ("ans.১২", "12"), ("ANS.12 tk", "৳12"), ("Ans.12", "0.12"), ("ans.5", "0.5")],
)
def test_full_stop_glued_to_the_number_is_read_both_ways(student: str, canonical: str) -> None:
    # "Ans.12" was read only as 0.12, so a student who meant "Ans. 12" was told 12 is wrong.
    assert _verdict(student, canonical)[0] is Verdict.CORRECT


@pytest.mark.parametrize("student", ["Ans.13", "ans.0.13"])
def test_glued_abbreviation_is_still_wrong_when_neither_reading_is_right(student: str) -> None:
    assert _verdict(student, "12")[0] is Verdict.WRONG
