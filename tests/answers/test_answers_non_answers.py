"""Requests, greetings and unreadable attempts: never recorded as wrong."""

from __future__ import annotations

import pytest

from src.answers import NonAnswer, Verdict, check_answer, classify_non_answer


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
    assert check_answer("10^6", "1000000").verdict is Verdict.WRONG  # left as a power: unfinished


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
