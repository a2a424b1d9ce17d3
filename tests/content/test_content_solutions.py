"""Evaluating `solution` strings: exact arithmetic, solve() results, and refusing what is not allowed."""

from __future__ import annotations

import pytest
import sympy

from src.content.solutions import SolutionError, evaluate_solution

x, y = sympy.symbols("x y")


@pytest.mark.parametrize(
    ("solution", "value"),
    [
        ("450 * 1.2", sympy.Integer(540)),  # decimals are exact, not 540.000000000000
        ("0.1 + 0.2", sympy.Rational(3, 10)),
        ("2^10", sympy.Integer(1024)),  # ^ is a power
        ("2(x + 3)", 2 * x + 6),  # implicit multiplication
        ("(x + 3)(x - 3)", (x + 3) * (x - 3)),
        ("solve(Eq(3x + 7, 31), x)", sympy.Integer(8)),  # one-element list -> the element
        ("solve([Eq(x + y, 5), Eq(x - y, 1)], [x, y])", sympy.Tuple(3, 2)),  # dict -> (x, y)
        ("solve([Eq(y, 2x), Eq(x + y, 9)], [y, x])", sympy.Tuple(3, 6)),  # always x first
        ("FiniteSet(*solve(x^2 - 9, x))", sympy.FiniteSet(-3, 3)),
        ("Complement(FiniteSet(1, 2, 3), FiniteSet(2))", sympy.FiniteSet(1, 3)),
        ("3.14 * 7^2", sympy.Rational(15386, 100)),
        ("ilcm(4, 6) + igcd(12, 18)", sympy.Integer(18)),
        ("Tuple(2, -3)", sympy.Tuple(2, -3)),
    ],
)
def test_evaluates(solution: str, value: sympy.Basic) -> None:
    result = evaluate_solution(solution)
    assert result == value or sympy.simplify(result - value) == 0


@pytest.mark.parametrize(
    ("solution", "reason"),
    [
        ("2 *", "does not evaluate"),
        ("rate * 450", "unknown name"),
        ("xy + 1", "unknown name"),
        ("E + 1", "unknown name"),
        ("sovle(x)", "unknown"),
        ("solve(x^2 - 9, x)", "2 values"),
        ("Eq(x, 5)", "condition"),
        ("1 1/2 + 1", "side by side"),
        ("__import__('os').getcwd()", "does not evaluate"),
    ],
)
def test_refuses(solution: str, reason: str) -> None:
    with pytest.raises(SolutionError, match=reason):
        evaluate_solution(solution)
