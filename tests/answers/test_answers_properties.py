"""Property-based tests: every way of writing a number is accepted, nothing else is, nothing crashes."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from src.answers import AnswerKind, CheckResult, Verdict, check_answer, infer_kind
from src.answers.normalize import to_bengali_digits

SETTINGS = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

rationals = st.builds(
    Fraction,
    st.integers(min_value=-100_000, max_value=100_000),
    st.integers(min_value=1, max_value=1000),
)


def _fraction_text(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def _decimal_text(value: Fraction) -> str | None:
    """Exact decimal if the denominator has only factors 2 and 5."""
    denominator, places = value.denominator, 0
    while denominator % 10 != 1 and places <= 12:
        if denominator % 2 and denominator % 5:
            return None
        value_scaled = value * 10**places
        if value_scaled.denominator == 1:
            break
        places += 1
    scaled = value * 10**places
    if scaled.denominator != 1:
        return None
    sign, digits = ("-" if scaled < 0 else ""), str(abs(scaled.numerator)).rjust(places + 1, "0")
    return sign + (f"{digits[:-places]}.{digits[-places:]}" if places else digits)


def _mixed_text(value: Fraction) -> str | None:
    if value.denominator == 1 or abs(value) < 1:
        return None
    whole, rest = divmod(abs(value.numerator), value.denominator)
    return f"{'-' if value < 0 else ''}{whole} {rest}/{value.denominator}"


def _canonical(value: Fraction, style: str) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    if style == "mixed" and abs(value) > 1:
        text = _mixed_text(value)
        assert text is not None
        return text
    if style == "decimal" and (decimal := _decimal_text(value)) is not None:
        return decimal
    return _fraction_text(value)


def _student_forms(value: Fraction, scale: int) -> list[str]:
    forms = [_fraction_text(value), f"{value.numerator * scale}/{value.denominator * scale}"]
    for optional in (_decimal_text(value), _mixed_text(value)):
        if optional is not None:
            forms.append(optional)
    forms += [to_bengali_digits(form) for form in forms]
    forms += [form.replace("-", "−") for form in forms if form.startswith("-")]
    return forms


@SETTINGS
@given(rationals, st.sampled_from(["fraction", "decimal", "mixed"]), st.integers(1, 9))
@example(Fraction(3, 4), "fraction", 2)
@example(Fraction(-3, 2), "mixed", 3)
def test_every_written_form_of_the_value_is_correct(value: Fraction, style: str, scale: int) -> None:
    canonical = _canonical(value, style)
    assert infer_kind(canonical) in {
        AnswerKind.INTEGER,
        AnswerKind.FRACTION,
        AnswerKind.DECIMAL,
        AnswerKind.MIXED,
    }
    for form in _student_forms(value, scale):
        result = check_answer(form, canonical)
        assert result.verdict is Verdict.CORRECT, (form, canonical, result)


@SETTINGS
@given(rationals, rationals, st.sampled_from(["fraction", "decimal", "mixed"]), st.integers(1, 9))
def test_a_different_value_is_never_correct(value: Fraction, other: Fraction, style: str, scale: int) -> None:
    if value == other:
        return
    canonical = _canonical(value, style)
    for form in _student_forms(other, scale):
        result = check_answer(form, canonical)
        assert result.verdict is Verdict.WRONG, (form, canonical, result)
        assert result.mistake is not None


@SETTINGS
@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["", "৳", "tk ", "Tk. "]))
def test_money_in_any_grouping_and_script(amount: int, prefix: str) -> None:
    western = f"{amount:,}"
    digits = str(amount)
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    south_asian = ",".join([g for g in [head, *groups] if g] + [tail]) if head or groups else tail
    for text in (western, south_asian, to_bengali_digits(south_asian), f"{digits} টাকা"):
        assert check_answer(prefix + text, f"৳{amount}").verdict is Verdict.CORRECT, text
    assert check_answer(prefix + str(amount + 1), f"৳{amount}").verdict is Verdict.WRONG


CANONICALS = [
    "12",
    "3/4",
    "1 1/2",
    "0.75",
    "25%",
    "৳120",
    "x = 5",
    "2x + 6",
    "(x + 3)(x - 3)",
    "(2, 3)",
    "{1, 2, 3}",
    "{}",
]
MATHY = st.text(
    alphabet=st.sampled_from(list("0123456789০১২৩৪৫৬৭৮৯+-*/^()[]{}=,.% xyzab৳²³−×÷½ \n")),
    max_size=600,
)


@SETTINGS
@given(
    st.one_of(st.text(max_size=600), MATHY),
    st.sampled_from(CANONICALS),
)
def test_arbitrary_text_never_raises(text: str, canonical: str) -> None:
    # How long such text takes is measured by bench/checker_bench.py: a timed test fails on a busy machine.
    result = check_answer(text, canonical)
    assert isinstance(result, CheckResult)
    assert isinstance(result.verdict, Verdict)
    assert (result.verdict is Verdict.NOT_AN_ANSWER) == (result.non_answer is not None)
    assert (result.mistake is not None) <= (result.verdict is Verdict.WRONG)


@SETTINGS
@given(st.text(max_size=600), st.text(max_size=100))
def test_arbitrary_canonical_never_raises(text: str, canonical: str) -> None:
    assert isinstance(check_answer(text, canonical), CheckResult)
