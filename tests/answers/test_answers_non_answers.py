"""Requests, greetings and unreadable attempts: never recorded as wrong."""

from __future__ import annotations

import pytest

from src.answers import Mistake, NonAnswer, Verdict, check_answer, classify_non_answer, nonanswer


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("hint", NonAnswer.HINT),
        ("Hint please", NonAnswer.HINT),
        ("can I get a hint?", NonAnswer.HINT),
        ("ইঙ্গিত", NonAnswer.HINT),
        ("হিন্ট", NonAnswer.HINT),
        ("আমাকে একটু ইঙ্গিত দাও", NonAnswer.HINT),
        ("help", NonAnswer.HELP),
        ("HELP!", NonAnswer.HELP),
        ("সাহায্য", NonAnswer.HELP),
        ("সাহায্য করো", NonAnswer.HELP),
        ("I don't know", NonAnswer.DONT_KNOW),
        ("i don’t know", NonAnswer.DONT_KNOW),
        ("idk", NonAnswer.DONT_KNOW),
        ("IDK", NonAnswer.DONT_KNOW),
        ("no idea", NonAnswer.DONT_KNOW),
        ("জানি না", NonAnswer.DONT_KNOW),
        ("জানিনা", NonAnswer.DONT_KNOW),
        ("বুঝতে পারছি না", NonAnswer.DONT_KNOW),
        ("jani na", NonAnswer.DONT_KNOW),
        ("?", NonAnswer.DONT_KNOW),
        ("???", NonAnswer.DONT_KNOW),
        ("skip", NonAnswer.SKIP),
        ("pass", NonAnswer.SKIP),
        ("next question", NonAnswer.SKIP),
        ("বাদ", NonAnswer.SKIP),
        ("বাদ দাও", NonAnswer.SKIP),
        ("পরের টা", NonAnswer.SKIP),
        ("পরেরটা দাও", NonAnswer.SKIP),
        ("hi", NonAnswer.GREETING),
        ("Hello!", NonAnswer.GREETING),
        ("hello sir", NonAnswer.GREETING),
        ("Hi, hello", NonAnswer.GREETING),
        ("সালাম", NonAnswer.GREETING),
        ("আসসালামু আলাইকুম", NonAnswer.GREETING),
        ("Assalamu Alaikum", NonAnswer.GREETING),
        ("হ্যালো", NonAnswer.GREETING),
        ("", NonAnswer.EMPTY),
        ("   \n\t ", NonAnswer.EMPTY),
        ("...", NonAnswer.EMPTY),
        ("\u200b", NonAnswer.EMPTY),
        ("1" * 501, NonAnswer.TOO_LONG),
        ("a" * 600, NonAnswer.TOO_LONG),
        ("1234567890123456789", NonAnswer.TOO_LARGE),
        ("১২৩৪৫৬৭৮৯০১২৩৪৫৬৭৮৯", NonAnswer.TOO_LARGE),
        ("1,000,000,000,000,000,000", NonAnswer.TOO_LARGE),
    ],
)
def test_non_answers(text: str, reason: NonAnswer) -> None:
    assert classify_non_answer(text) is reason
    result = check_answer(text, "12")
    assert (result.verdict, result.non_answer, result.mistake) == (
        Verdict.NOT_AN_ANSWER,
        reason,
        None,
    )


@pytest.mark.parametrize(
    "text",
    ["12", "twelve", "hi 12", "the answer is twelve", "{}", "∅", "x", "এক", "passed 12", "hello 5"],
)
def test_attempts_are_not_non_answers(text: str) -> None:
    assert classify_non_answer(text) is None


@pytest.mark.parametrize("text", ["10^13", "10**100", "9**9**9**9", "9^9^9^9", "99999999^10"])
def test_absurdly_large_values_are_too_large(text: str) -> None:
    result = check_answer(text, "12")
    assert (result.verdict, result.non_answer) == (Verdict.NOT_AN_ANSWER, NonAnswer.TOO_LARGE)


def test_large_but_plausible_value_is_an_answer() -> None:
    assert check_answer("1,00,00,000", "10000000").verdict is Verdict.CORRECT
    assert check_answer("10^6", "1000000").verdict is Verdict.WRONG_FORM  # left as a power: unfinished


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("it is between 3 and 4", "3"),
        ("first multiply 450 by 1.2", "৳540"),
        ("I multiplied 12 by 3 and got 36", "36"),
        ("approximately 12", "12"),
        ("12 or 13", "12"),
        ("not 12", "12"),
        ("12 না", "12"),
        ("১২ নয়", "12"),
        ("৩ থেকে ৪ এর মধ্যে", "3"),
        ("asdfgh", "12"),
        ("qwerty 12 34", "12"),
        ("12x4", "12"),
        ("x2", "x^2"),
        ("2x + 6 = 0", "2x + 6"),
        ("12, 13", "12"),
        ("5x", "5"),
        ("1/0", "12"),
        ("((12)", "12"),
        ("🤔", "12"),
        ("π", "3.14"),
        ("√16", "4"),
    ],
)
def test_unreadable_attempts_are_undecided(text: str, canonical: str) -> None:
    result = check_answer(text, canonical)
    assert (result.verdict, result.non_answer, result.mistake) == (Verdict.UNDECIDED, None, None)


def test_broken_canonical_is_undecided_not_a_crash() -> None:
    assert check_answer("12", "twelve").verdict is Verdict.UNDECIDED
    assert check_answer("12", "6/8").verdict is Verdict.UNDECIDED  # not in lowest terms
    assert check_answer("12", "").verdict is Verdict.UNDECIDED


@pytest.mark.parametrize(
    ("text", "canonical", "reason"),
    [
        ("hint 2", "12", NonAnswer.HINT),
        ("hint 2", "2", NonAnswer.HINT),  # was CORRECT: the request named the answer's number
        ("হিন্ট ২", "12", NonAnswer.HINT),
        ("2nd hint", "12", NonAnswer.HINT),
        ("skip question 5", "12", NonAnswer.SKIP),
    ],
)
def test_request_naming_a_number_is_a_request(text: str, canonical: str, reason: NonAnswer) -> None:
    # Review bug: a digit made these attempts, recorded as WRONG (costing an attempt) or CORRECT.
    result = check_answer(text, canonical)
    assert (result.verdict, result.non_answer) == (Verdict.NOT_AN_ANSWER, reason)


@pytest.mark.parametrize("text", ["I don't know 12", "12 is wrong", "১২ ভুল", "can't be 12", "12 hobe na"])
def test_negated_or_requested_number_is_never_correct(text: str) -> None:
    # Review bug: the one number in the sentence was taken as the answer, CORRECT/low.
    result = check_answer(text, "12")
    assert (result.verdict, result.non_answer) == (Verdict.UNDECIDED, None)


@pytest.mark.parametrize(
    "text", ["{12,16,20,24,28,32,36,40}", "12,34,56,78,90,12,34,56,78", "{1,2,3,4,5,6,7,8,9,10,11,12,13,14}"]
)
def test_list_without_spaces_is_not_one_long_number(text: str) -> None:
    # Review bug: digits were joined across every comma, making a set TOO_LARGE.
    assert classify_non_answer(text) is None


def test_compact_long_set_is_judged_like_the_spaced_one() -> None:
    result = check_answer("{12,16,20,24,28,32,36,40}", "{12, 16, 20, 24, 28}")
    assert (result.verdict, result.mistake) == (Verdict.WRONG, Mistake.PARTIAL)


@pytest.mark.parametrize("text", ["1,00,00,00,00,00,00,00,000", "1,000,000,000,000,000,000"])
def test_grouped_long_number_is_still_too_large(text: str) -> None:
    assert classify_non_answer(text) is NonAnswer.TOO_LARGE


def _first_category_with_a_phrase_in(words: list[str]) -> NonAnswer | None:
    """The rule, written the slow way: the first category one of whose phrases occurs as whole words."""
    for category, phrases in nonanswer._KEYWORDS:
        for phrase in phrases:
            size = len(phrase)
            if any(tuple(words[at : at + size]) == phrase for at in range(len(words) - size + 1)):
                return category
    return None


@pytest.mark.parametrize(
    "phrase",
    [phrase for _, phrases in nonanswer._KEYWORDS for phrase in phrases],
    ids=lambda phrase: " ".join(phrase),
)
def test_every_request_phrase_is_found_wherever_it_stands(phrase: tuple[str, ...]) -> None:
    # At the start, between filler words, at the end, and after a false start (its first word twice),
    # as the slow rule finds it: the phrase index must not miss a phrase or change which category wins.
    first, *_ = phrase
    for words in (
        [*phrase],
        ["please", *phrase, "sir"],
        ["ok", *phrase],
        [first, *phrase],
    ):
        expected = _first_category_with_a_phrase_in(words)
        assert expected is not None
        assert classify_non_answer(" ".join(words)) is expected, words


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("why 0.5?", "0.5"),
        ("how is the answer 11?", "11"),
        ("Why?", "11"),
        ("how?", "x + 4"),
        ("explain 3/4", "3/4"),
        ("keno 0.5?", "0.5"),
        ("৩/৪ কেন?", "3/4"),
        ("উত্তর ১১ কীভাবে হলো?", "11"),
        ("kivabe 11 holo", "11"),
    ],
)
def test_questions_about_the_answer_are_never_graded(text: str, canonical: str) -> None:
    # Issue 19, point 4: a student asking why or how is asking, not answering (the bot gives a hint).
    result = check_answer(text, canonical)
    assert (result.verdict, result.non_answer) == (Verdict.NOT_AN_ANSWER, NonAnswer.QUESTION)


@pytest.mark.parametrize(("text", "canonical"), [("is it 12?", "12"), ("12?", "12"), ("x = 5?", "x = 5")])
def test_a_guess_with_a_question_mark_is_still_an_answer(text: str, canonical: str) -> None:
    assert check_answer(text, canonical).verdict is Verdict.CORRECT
