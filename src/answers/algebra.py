"""Equality of values without sympy.simplify: exact Rational comparison, expand, or exact sampling.

Polynomials are compared by expanding the difference (exact; the parser's degree and term limits keep
it cheap). Rational functions with letters in a denominator would need cancel(), which can take
hundreds of milliseconds on hostile input, so they are compared by exact evaluation at fixed rational
points instead: different rational functions of degree <= 20 agree at all of them only by design.
"""

from __future__ import annotations

from typing import Any

import sympy

_SAMPLES = tuple(
    sympy.Rational(p, q)
    for p, q in ((7, 3), (-11, 5), (13, 17), (19, 7), (-23, 29), (31, 13), (37, 41), (-43, 11))
)
_AGREEMENTS_NEEDED = 4


def is_number(value: Any) -> bool:
    return bool(getattr(value, "is_Rational", False))


def _has_letter_denominator(expr: Any) -> bool:
    return any(power.exp.is_negative and power.base.free_symbols for power in expr.atoms(sympy.Pow))


def _samples(expr: Any) -> list[Any]:
    """Exact values of expr at fixed points (skipping points where it is undefined)."""
    symbols = sorted(expr.free_symbols, key=str)
    values = []
    for shift in range(len(_SAMPLES)):
        point = {s: _SAMPLES[(i + shift) % len(_SAMPLES)] + shift for i, s in enumerate(symbols)}
        value = expr.xreplace(point)
        if value.is_Rational:
            values.append(value)
        if len(values) == _AGREEMENTS_NEEDED:
            break
    return values


def equivalent(a: Any, b: Any) -> bool:
    """a and b are the same rational function of their symbols (2(x+3) and 2x + 6)."""
    if is_number(a) and is_number(b):
        return bool(a == b)
    difference = a - b
    if difference == 0:
        return True
    if not (_has_letter_denominator(a) or _has_letter_denominator(b)):
        return bool(sympy.expand(difference) == 0)
    values = _samples(difference)
    return len(values) == _AGREEMENTS_NEEDED and all(value == 0 for value in values)


def proportional(a: Any, b: Any) -> bool:
    """a is a constant multiple of b: the same factor up to sign and scaling (x - 3 vs 3 - x)."""
    if not a.free_symbols or not b.free_symbols:
        return False
    ratios = _samples(a / b)
    return len(ratios) == _AGREEMENTS_NEEDED and len(set(ratios)) == 1 and ratios[0] != 0


def power_of_ten_ratio(got: Any, expected: Any) -> bool:
    """got = expected * 10^k for some k != 0 (within six places): a misplaced decimal point."""
    if not (is_number(got) and is_number(expected)) or got == 0 or expected == 0:
        return False
    ratio = abs(got / expected)
    return any(ratio == sympy.Integer(10) ** k for k in (-6, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6))
