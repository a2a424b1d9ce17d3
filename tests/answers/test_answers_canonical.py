"""Canonical answers: strict forms, kind inference, the validator's equality, revealing forms."""

from __future__ import annotations

import pytest
import sympy

from src.answers import (
    AnswerKind,
    CanonicalAnswerError,
    answer_surface_forms,
    infer_kind,
    parse_canonical,
    values_equal,
)

x, y = sympy.symbols("x y")


@pytest.mark.parametrize(
    ("answer", "kind", "value"),
    [
        ("42", AnswerKind.INTEGER, sympy.Integer(42)),
        ("-7", AnswerKind.INTEGER, sympy.Integer(-7)),
        ("54.4", AnswerKind.DECIMAL, sympy.Rational(272, 5)),
        ("0.75", AnswerKind.DECIMAL, sympy.Rational(3, 4)),
        ("3/4", AnswerKind.FRACTION, sympy.Rational(3, 4)),
        ("-2/5", AnswerKind.FRACTION, sympy.Rational(-2, 5)),
        ("1 1/2", AnswerKind.MIXED, sympy.Rational(3, 2)),
        ("3 2/5", AnswerKind.MIXED, sympy.Rational(17, 5)),
        ("25%", AnswerKind.PERCENT, sympy.Integer(25)),
        ("12.5%", AnswerKind.PERCENT, sympy.Rational(25, 2)),
        ("৳120", AnswerKind.MONEY, sympy.Integer(120)),
        ("৳1250.50", AnswerKind.MONEY, sympy.Rational(2501, 2)),
        ("2x + 6", AnswerKind.EXPRESSION, 2 * x + 6),
        ("x^2 - 9", AnswerKind.EXPRESSION, x**2 - 9),
        ("(x + 3)(x - 3)", AnswerKind.FACTORED, (x + 3) * (x - 3)),
        ("2(x + 3)", AnswerKind.FACTORED, 2 * (x + 3)),
        ("x = 5", AnswerKind.EQUATION, sympy.Integer(5)),
        ("y = -3/2", AnswerKind.EQUATION, sympy.Rational(-3, 2)),
        ("(2, 3)", AnswerKind.PAIR, sympy.Tuple(2, 3)),
        ("(-1/2, 0.5)", AnswerKind.PAIR, sympy.Tuple(sympy.Rational(-1, 2), sympy.Rational(1, 2))),
        ("{1, 2, 3}", AnswerKind.SET, sympy.FiniteSet(1, 2, 3)),
        ("{}", AnswerKind.SET, sympy.FiniteSet()),
    ],
)
def test_canonical_answers_parse_and_kinds_are_inferred(
    answer: str, kind: AnswerKind, value: sympy.Basic
) -> None:
    assert infer_kind(answer) is kind
    parsed = parse_canonical(answer, kind)
    assert parsed == value
    assert values_equal(kind, parsed, value)


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        ("6/8", AnswerKind.FRACTION),  # not in lowest terms
        ("4/2", AnswerKind.FRACTION),
        ("5 3/2", AnswerKind.MIXED),  # improper fraction part
        ("3/4", AnswerKind.INTEGER),
        ("42.0", AnswerKind.INTEGER),
        ("৪২", AnswerKind.INTEGER),  # canonical answers use ASCII digits
        ("1,200", AnswerKind.INTEGER),
        ("25", AnswerKind.PERCENT),
        ("120", AnswerKind.MONEY),
        ("৳ 120", AnswerKind.MONEY),
        ("120 taka", AnswerKind.MONEY),
        ("x^2 - 9", AnswerKind.FACTORED),  # not a product
        ("(x + 3)", AnswerKind.FACTORED),
        ("12", AnswerKind.EXPRESSION),
        ("2X + 6", AnswerKind.EXPRESSION),
        ("5", AnswerKind.EQUATION),
        ("x = y", AnswerKind.EQUATION),
        ("2, 3", AnswerKind.PAIR),
        ("(2, 3, 4)", AnswerKind.PAIR),
        ("{1, 1, 2}", AnswerKind.SET),
        ("1, 2", AnswerKind.SET),
        (" 42", AnswerKind.INTEGER),
        ("x^99", AnswerKind.EXPRESSION),
    ],
)
def test_non_canonical_forms_are_rejected(answer: str, kind: AnswerKind) -> None:
    with pytest.raises(CanonicalAnswerError):
        parse_canonical(answer, kind)


def test_compact_pair_and_set_forms_are_accepted() -> None:
    # The hint checker compacts text before asking; spacing after commas is not part of the form.
    assert parse_canonical("(2,3)", AnswerKind.PAIR) == sympy.Tuple(2, 3)
    assert parse_canonical("{1,2,3}", AnswerKind.SET) == sympy.FiniteSet(1, 2, 3)
    assert parse_canonical("x=5", AnswerKind.EQUATION) == 5


def test_infer_kind_rejects_unknown_forms() -> None:
    for answer in ("", "twelve", "3:4", "৪২"):
        with pytest.raises(CanonicalAnswerError):
            infer_kind(answer)


def test_values_equal_for_solution_values() -> None:
    assert values_equal(AnswerKind.MONEY, sympy.Integer(540), sympy.Rational(540))
    assert values_equal(AnswerKind.DECIMAL, sympy.Rational(272, 5), sympy.Float(54.4))
    assert not values_equal(AnswerKind.INTEGER, sympy.Integer(540), sympy.Integer(541))
    assert values_equal(AnswerKind.EQUATION, sympy.Integer(5), [sympy.Integer(5)])
    assert not values_equal(AnswerKind.EQUATION, sympy.Integer(5), [5, -5])
    assert values_equal(AnswerKind.EXPRESSION, 2 * x + 6, 2 * (x + 3))
    assert not values_equal(AnswerKind.EXPRESSION, 2 * x + 6, 2 * (x - 3))
    assert values_equal(AnswerKind.FACTORED, (x + 3) * (x - 3), x**2 - 9)
    assert values_equal(AnswerKind.PAIR, sympy.Tuple(2, 3), {x: 2, y: 3})
    assert not values_equal(AnswerKind.PAIR, sympy.Tuple(2, 3), sympy.Tuple(3, 2))
    assert values_equal(AnswerKind.SET, sympy.FiniteSet(1, 2), sympy.FiniteSet(2, 1))
    assert not values_equal(AnswerKind.SET, sympy.FiniteSet(1, 2), sympy.FiniteSet(1, 2, 3))
    assert values_equal(AnswerKind.INTEGER, sympy.Integer(4), sympy.sqrt(16))


def test_values_equal_never_evaluates_strings() -> None:
    with pytest.raises(sympy.SympifyError):
        values_equal(AnswerKind.INTEGER, sympy.Integer(1), "__import__('os')")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("3/4", {"3/4", "0.75", "75%", "৩/৪", "০.৭৫", "৭৫%", ".75"}),
        ("1 1/2", {"1 1/2", "3/2", "1.5", "১.৫", "৩/২", "150%"}),
        ("25%", {"25%", "25", "২৫", "25 percent", "২৫ শতাংশ", "0.25", "1/4", "০.২৫"}),
        ("৳120", {"৳120", "120", "১২০", "120 taka", "১২০ টাকা", "Tk 120"}),
        ("৳1250.50", {"৳1250.50", "1250.50", "1250.5", "১২৫০.৫০"}),
        ("x = 5", {"x = 5", "x=5", "5", "৫"}),
        ("(2, 3)", {"(2, 3)", "(2,3)", "x = 2", "y = 3", "(২, ৩)"}),
        ("{1, 2, 3}", {"{1, 2, 3}", "{১, ২, ৩}", "{1,2,3}"}),
        ("120000", {"120000", "120,000", "1,20,000", "১,২০,০০০"}),
        ("(x + 3)(x - 3)", {"(x + 3)(x - 3)", "(x+3)(x-3)"}),
    ],
)
def test_surface_forms(answer: str, expected: set[str]) -> None:
    forms = answer_surface_forms(answer)
    assert expected <= set(forms), expected - set(forms)
    assert len(forms) == len(set(forms))


def test_surface_forms_do_not_include_other_values() -> None:
    assert "4/3" not in answer_surface_forms("3/4")
    assert "12" not in answer_surface_forms("120")
    assert "500%" not in answer_surface_forms("x = 5")  # whole numbers are not given as percents
