"""Syntax tree to sympy value, with limits that keep every later expand/cancel cheap.

Exact arithmetic only (decimals are Rationals). Bounds: integer exponents with |e| <= 10; numbers
of at most ~77 digits in numerator and denominator at every step; polynomial degree <= 20 and an
upper bound on the number of terms an expansion could produce. Anything past them raises
TooLargeError, checked before the costly operation rather than after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sympy

from src.answers.errors import ReadError, TooLargeError
from src.answers.nodes import Bin, Group, Mixed, Name, Neg, Node, Num, Percent

MAX_EXPONENT = 10
MAX_BITS = 256  # about 77 decimal digits: far past 10^12, far below anything slow
MAX_DEGREE = 20
MAX_TERMS = 3000


@lru_cache(maxsize=64)
def symbol(name: str) -> Any:
    """Plain symbols, as the library's solutions use, so that values compare equal."""
    return sympy.Symbol(name)


@dataclass(frozen=True, slots=True)
class _Value:
    expr: Any
    degree: int  # upper bound on total degree (numerator and denominator together)
    terms: int  # upper bound on the number of terms of the expanded form


def _check_number(expr: Any) -> Any:
    if expr.is_Rational and (abs(expr.p).bit_length() > MAX_BITS or expr.q.bit_length() > MAX_BITS):
        raise TooLargeError("number too large")
    return expr


def _bounded(expr: Any, degree: int, terms: int) -> _Value:
    if degree > MAX_DEGREE or terms > MAX_TERMS:
        raise TooLargeError("expression too large")
    return _Value(_check_number(expr), degree, terms)


def _power(base: _Value, exponent: _Value) -> _Value:
    power = exponent.expr
    if not power.is_Integer:
        raise ReadError("only whole-number exponents")
    if abs(power) > MAX_EXPONENT:
        raise TooLargeError("exponent too large")
    n = abs(int(power))
    if base.expr.is_Rational:
        if base.expr == 0 and power < 0:
            raise ReadError("division by zero")
        bits = max(abs(base.expr.p).bit_length(), base.expr.q.bit_length())
        if bits * n > MAX_BITS:
            raise TooLargeError("power too large")
        return _Value(base.expr**power, 0, 1)
    terms = 1
    for _ in range(n):  # capped loop instead of terms**n, which could itself be huge
        terms *= base.terms
        if terms > MAX_TERMS:
            raise TooLargeError("expression too large")
    return _bounded(base.expr**power, base.degree * n, terms)


def _evaluate(node: Node) -> _Value:
    if isinstance(node, Num):
        return _Value(sympy.Rational(node.numerator, node.denominator), 0, 1)
    if isinstance(node, Mixed):
        value = sympy.Rational(node.whole * node.denominator + node.numerator, node.denominator)
        return _Value(value, 0, 1)
    if isinstance(node, Name):
        return _Value(symbol(node.name), 1, 1)
    if isinstance(node, Group):
        return _evaluate(node.inner)
    if isinstance(node, Neg):
        inner = _evaluate(node.operand)
        return _Value(-inner.expr, inner.degree, inner.terms)
    if isinstance(node, Percent):
        inner = _evaluate(node.operand)
        return _Value(_check_number(inner.expr / 100), inner.degree, inner.terms)
    if isinstance(node, Bin):
        left, right = _evaluate(node.left), _evaluate(node.right)
        if node.op == "^":
            return _power(left, right)
        if node.op in "+-":
            expr = left.expr + right.expr if node.op == "+" else left.expr - right.expr
            return _bounded(expr, max(left.degree, right.degree), left.terms + right.terms)
        if node.op == "/" and right.expr == 0:
            raise ReadError("division by zero")
        expr = left.expr * right.expr if node.op == "*" else left.expr / right.expr
        return _bounded(expr, left.degree + right.degree, left.terms * right.terms)
    raise ReadError("not a single value")


def evaluate(node: Node) -> Any:
    """The sympy value of an expression node (numbers, letters, operators); lists etc. raise."""
    return _evaluate(node).expr
