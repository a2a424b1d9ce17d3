"""Equality of values without sympy.simplify: exact Rational comparison, expand, or exact sampling.

Every comparison first evaluates the difference exactly at fixed rational points: a nonzero value
proves the two differ, cheaply, however many terms an expansion would have. When all values are
zero, small polynomials are confirmed by expanding the difference (exact). Rational functions with
letters in a denominator would need cancel(), and a product of many brackets in many letters can
take seconds to expand, so those are judged by the sampled values alone: different rational
functions of degree <= 20 agree at all of the points only by design.
"""

from __future__ import annotations

from typing import Any

import sympy

_SAMPLES = tuple(
    sympy.Rational(p, q)
    for p, q in ((7, 3), (-11, 5), (13, 17), (19, 7), (-23, 29), (31, 13), (37, 41), (-43, 11))
)
_AGREEMENTS_NEEDED = 4
MAX_EXPANDED_TERMS = 300  # expand() past this may take a noticeable part of a second


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


def expansion_size(expr: Any, cap: int = MAX_EXPANDED_TERMS) -> int:
    """An upper bound on the number of terms expand() gives, counted without expanding (<= cap + 1)."""
    if expr.is_Add:
        return min(sum(expansion_size(arg, cap) for arg in expr.args), cap + 1)
    if expr.is_Mul:
        size = 1
        for arg in expr.args:
            size = min(size * expansion_size(arg, cap), cap + 1)
        return size
    if expr.is_Pow and expr.exp.is_Integer and expr.exp > 0:
        base, size = expansion_size(expr.base, cap), 1
        for _ in range(int(expr.exp)):  # the exponent is at most 10 (evaluate.MAX_EXPONENT)
            size = min(size * base, cap + 1)
        return size
    return 1


def equivalent(a: Any, b: Any) -> bool:
    """a and b are the same rational function of their symbols (2(x+3) and 2x + 6)."""
    if is_number(a) and is_number(b):
        return bool(a == b)
    difference = a - b
    if difference == 0:
        return True
    values = _samples(difference)
    if len(values) < _AGREEMENTS_NEEDED or any(value != 0 for value in values):
        return False
    letter_denominator = _has_letter_denominator(a) or _has_letter_denominator(b)
    if letter_denominator or expansion_size(difference) > MAX_EXPANDED_TERMS:
        return True
    return bool(sympy.expand(difference) == 0)


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
