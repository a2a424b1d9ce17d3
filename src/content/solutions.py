"""Evaluating a problem's `solution`: a sympy expression that recomputes the answer independently.

Solutions come from the repository's own files, not from students, so `parse_expr` (which evaluates
Python) is acceptable; the namespace is still closed so that a typo is an error instead of a new symbol.
"""

from __future__ import annotations

import re
from typing import Any

import sympy
from sympy.core.function import AppliedUndef
from sympy.logic.boolalg import Boolean
from sympy.parsing.sympy_parser import (
    convert_xor,
    implicit_multiplication,
    parse_expr,
    rationalize,
    standard_transformations,
)

SYMBOL_NAMES = ("x", "y", "z", "a", "b", "c", "m", "n", "p", "q", "r", "t")
SYMBOLS: dict[str, sympy.Symbol] = {name: sympy.Symbol(name) for name in SYMBOL_NAMES}

FUNCTIONS: dict[str, Any] = {
    "Rational": sympy.Rational,
    "sqrt": sympy.sqrt,
    "pi": sympy.pi,
    "Eq": sympy.Eq,
    "solve": sympy.solve,
    "expand": sympy.expand,
    "factor": sympy.factor,
    "simplify": sympy.simplify,
    "gcd": sympy.gcd,
    "lcm": sympy.lcm,
    "igcd": sympy.igcd,
    "ilcm": sympy.ilcm,
    "Tuple": sympy.Tuple,
    "FiniteSet": sympy.FiniteSet,
    "Union": sympy.Union,
    "Intersection": sympy.Intersection,
    "Complement": sympy.Complement,
    "floor": sympy.floor,
    "ceiling": sympy.ceiling,
    "Abs": sympy.Abs,
    "Max": sympy.Max,
    "Min": sympy.Min,
}

# auto_number before rationalize (rationalize rewrites the Float calls auto_number emits), so that
# `450 * 1.2` is exactly 540 rather than 540.000000000000.
TRANSFORMATIONS = (*standard_transformations, implicit_multiplication, convert_xor, rationalize)

# What the generated code refers to besides the allowed names; no builtins, so `__import__` & co. fail.
_GLOBALS: dict[str, Any] = {
    "__builtins__": {},
    "Integer": sympy.Integer,
    "Float": sympy.Float,
    "Rational": sympy.Rational,
    "Symbol": sympy.Symbol,
    "Function": sympy.Function,
    "factorial": sympy.factorial,
    "Lambda": sympy.Lambda,
}


_JUXTAPOSED_NUMBERS = re.compile(r"\d\s+\.?\d")


class SolutionError(ValueError):
    """A solution that does not evaluate to a single value; the message says why, for a teacher."""


def _normalise(value: Any) -> sympy.Basic:
    """Turn what solve() and friends return into one sympy value."""
    if isinstance(value, list):
        if len(value) == 1:
            return _normalise(value[0])
        raise SolutionError(
            f"gives {len(value)} values {value}; a solution must give one value "
            "(for a set of solutions write FiniteSet(*solve(...)))"
        )
    if isinstance(value, dict):
        order = {symbol: index for index, symbol in enumerate(SYMBOLS.values())}
        keys = sorted(value, key=lambda k: order.get(k, len(order)))
        if not keys:
            raise SolutionError("solve() found no solution")
        if len(keys) == 1:
            return _normalise(value[keys[0]])
        return sympy.Tuple(*(value[key] for key in keys))
    if isinstance(value, tuple):
        return sympy.Tuple(*value)
    if isinstance(value, bool):
        raise SolutionError(f"gives the truth value {value}, not a number")
    try:
        result = sympy.sympify(value, strict=True)
    except (sympy.SympifyError, TypeError) as exc:
        raise SolutionError(f"gives {value!r}, which is not a sympy value") from exc
    if not isinstance(result, sympy.Basic):
        raise SolutionError(f"gives {value!r}, which is not a sympy value")
    return result


def _check_names(value: sympy.Basic) -> None:
    unknown_functions = sorted({str(f.func) for f in value.atoms(AppliedUndef)})
    if unknown_functions:
        raise SolutionError(f"uses unknown function(s) {', '.join(unknown_functions)}")
    unknown = sorted(
        str(s) for s in value.free_symbols if isinstance(s, sympy.Symbol) and s.name not in SYMBOLS
    )
    if unknown:
        raise SolutionError(
            f"uses unknown name(s) {', '.join(unknown)}; allowed symbols are "
            f"{' '.join(SYMBOL_NAMES)} (write a product of two as x*y)"
        )
    if isinstance(value, Boolean):
        raise SolutionError(f"gives a condition {value}, not a value (did you forget solve()?)")


def evaluate_solution(solution: str) -> sympy.Basic:
    """Evaluate a solution string to the single value it computes, or raise SolutionError."""
    # Implicit multiplication would read a mixed number `1 1/2` as 1 * 1/2: refuse rather than guess.
    if _JUXTAPOSED_NUMBERS.search(solution):
        raise SolutionError("has two numbers side by side; write a mixed number as (1 + 1/2)")
    # Fresh dicts each time: parse_expr may write into them (e.g. for `lambda`), and must not share state.
    local_dict: dict[str, Any] = {**SYMBOLS, **FUNCTIONS}
    try:
        raw = parse_expr(
            solution,
            local_dict=local_dict,
            global_dict=dict(_GLOBALS),
            transformations=TRANSFORMATIONS,
        )
    except SolutionError:
        raise
    except Exception as exc:  # parse_expr re-raises whatever the evaluated code raised
        raise SolutionError(f"does not evaluate: {type(exc).__name__}: {exc}") from exc
    value = _normalise(raw)
    _check_names(value)
    return value
