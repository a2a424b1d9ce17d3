"""Canonical answers from the problem library: strict reading, value equality, revealing forms.

Canonical answers go through the same restricted parser as students' text, so both sides of a
comparison are read identically; on top of that each kind has one written form (see kinds.py), which
is checked here so that a typo in the library is reported instead of silently accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import gcd
from typing import Any

import sympy

from src.answers.algebra import equivalent
from src.answers.errors import ReadError
from src.answers.evaluate import evaluate
from src.answers.forms import has_letters, is_product
from src.answers.kinds import AnswerKind
from src.answers.nodes import Node, Percent, SetNode, TupleNode, render, unwrap
from src.answers.normalize import to_bengali_digits
from src.answers.parser import parse


class CanonicalAnswerError(ValueError):
    """A library answer not written in its kind's canonical form; the message says why."""


_INTEGER = r"-?[0-9]+"
_DECIMAL = r"-?[0-9]+\.[0-9]+"
_FRACTION = r"-?[0-9]+/[0-9]+"
_MIXED = r"-?[0-9]+ [0-9]+/[0-9]+"
_NUMBER = f"(?:{_MIXED}|{_FRACTION}|{_DECIMAL}|{_INTEGER})"
_FORMS: dict[AnswerKind, re.Pattern[str]] = {
    AnswerKind.INTEGER: re.compile(_INTEGER),
    AnswerKind.DECIMAL: re.compile(_DECIMAL),
    AnswerKind.FRACTION: re.compile(_FRACTION),
    AnswerKind.MIXED: re.compile(_MIXED),
    AnswerKind.PERCENT: re.compile(r"-?[0-9]+(?:\.[0-9]+)?%"),
    AnswerKind.MONEY: re.compile(r"৳[0-9]+(?:\.[0-9]{1,2})?"),
    AnswerKind.EQUATION: re.compile(rf"[a-z] ?= ?{_NUMBER}"),
    # Spacing after commas is free so that compacted forms (hint checks) read too.
    AnswerKind.PAIR: re.compile(rf"\({_NUMBER}, ?{_NUMBER}\)"),
    AnswerKind.SET: re.compile(rf"\{{\}}|\{{{_NUMBER}(?:, ?{_NUMBER})*\}}"),
    AnswerKind.EXPRESSION: re.compile(r"[0-9a-z +\-*/^().]*[a-z][0-9a-z +\-*/^().]*"),
    AnswerKind.FACTORED: re.compile(r"[0-9a-z +\-*/^().]*[a-z][0-9a-z +\-*/^().]*"),
}
_EXAMPLES = {
    AnswerKind.INTEGER: "42",
    AnswerKind.DECIMAL: "54.4",
    AnswerKind.FRACTION: "3/4",
    AnswerKind.MIXED: "1 1/2",
    AnswerKind.PERCENT: "25%",
    AnswerKind.MONEY: "৳120",
    AnswerKind.EQUATION: "x = 5",
    AnswerKind.PAIR: "(2, 3)",
    AnswerKind.SET: "{1, 2, 3}",
    AnswerKind.EXPRESSION: "2x + 6",
    AnswerKind.FACTORED: "(x + 3)(x - 3)",
}


@dataclass(frozen=True, slots=True)
class Canonical:
    """A library answer as the checker uses it."""

    kind: AnswerKind
    node: Node  # the answer proper: no ৳, no `x =`; a percent keeps its number only
    value: Any  # sympy value, as parse_canonical returns it
    variable: str | None  # the letter of an equation answer
    display: str  # render(node), for telling an exact match from an equivalent one


def _fraction_in_lowest_terms(text: str, kind: AnswerKind) -> None:
    for match in re.finditer(r"([0-9]+)/([0-9]+)", text):
        numerator, denominator = int(match.group(1)), int(match.group(2))
        if denominator <= 1 or gcd(numerator, denominator) != 1 or numerator == 0:
            raise CanonicalAnswerError(f"{match.group()} is not a fraction in lowest terms")
        if kind in (AnswerKind.MIXED,) and numerator >= denominator:
            raise CanonicalAnswerError(f"the fraction part {match.group()} must be less than 1")


def _parse(text: str) -> Node:
    try:
        return parse(text)
    except ReadError as exc:
        raise CanonicalAnswerError(f"cannot read {text!r}: {exc}") from exc


def _value(node: Node) -> Any:
    try:
        return evaluate(node)
    except ReadError as exc:
        raise CanonicalAnswerError(f"cannot evaluate {render(node)!r}: {exc}") from exc


@lru_cache(maxsize=4096)
def read_canonical(answer: str, kind: AnswerKind) -> Canonical:
    """Strictly read a library answer; cached because the same answers are checked all day."""
    if not isinstance(answer, str) or answer != answer.strip() or not _FORMS[kind].fullmatch(answer):
        raise CanonicalAnswerError(
            f"{answer!r} is not written as {'an' if kind.value[0] in 'aeiou' else 'a'} {kind.value} answer "
            f"(like {_EXAMPLES[kind]!r})"
        )
    if kind not in (AnswerKind.EXPRESSION, AnswerKind.FACTORED):
        _fraction_in_lowest_terms(answer, kind)
    variable = None
    text = answer.removeprefix("৳")
    if kind is AnswerKind.EQUATION:
        variable, _, text = (part.strip() for part in answer.partition("="))
    node = _parse(text)
    if kind is AnswerKind.PERCENT:
        node = unwrap(node)
        assert isinstance(node, Percent)  # guaranteed by the pattern
        node = node.operand
    if kind is AnswerKind.PAIR:
        node = unwrap(node)
        if not isinstance(node, TupleNode) or len(node.items) != 2:
            raise CanonicalAnswerError(f"{answer!r} is not an ordered pair")
        value: Any = sympy.Tuple(*(_value(item) for item in node.items))
    elif kind is AnswerKind.SET:
        node = unwrap(node)
        assert isinstance(node, SetNode)
        elements = [_value(item) for item in node.items]
        if len(set(elements)) != len(elements):
            raise CanonicalAnswerError(f"{answer!r} lists an element twice")
        value = sympy.FiniteSet(*elements)
    else:
        value = _value(node)
    if kind is AnswerKind.FACTORED and not is_product(node):
        raise CanonicalAnswerError(f"{answer!r} is not written as a product of factors")
    if kind is AnswerKind.EXPRESSION and not has_letters(node):
        raise CanonicalAnswerError(f"{answer!r} has no variable; use a number kind")
    return Canonical(kind, node, value, variable, render(node))


def parse_canonical(answer: str, kind: AnswerKind) -> Any:
    """The sympy value of a library answer written in `kind`'s canonical form.

    Numbers give Rational/Integer; percent the number before %; money the taka amount;
    expression/factored an expression; equation the value on the right; pair a Tuple; set a FiniteSet.
    """
    return read_canonical(answer, AnswerKind(kind)).value


def _top_level_comma(text: str) -> bool:
    depth = 0
    for char in text:
        depth += char in "([{"
        depth -= char in ")]}"
        if char == "," and depth == 1:
            return True
    return False


@lru_cache(maxsize=4096)
def infer_kind(canonical: str) -> AnswerKind:
    """The kind a canonical answer is written in (the database stores only the string); cached, as
    `read_canonical` is: an algebra answer is parsed to tell a product from a sum."""
    text = canonical.strip() if isinstance(canonical, str) else ""
    if text.startswith("৳"):
        return AnswerKind.MONEY
    if text.endswith("%"):
        return AnswerKind.PERCENT
    if text.startswith("{"):
        return AnswerKind.SET
    if "=" in text:
        return AnswerKind.EQUATION
    if text.startswith("(") and _top_level_comma(text):
        return AnswerKind.PAIR
    for kind in (AnswerKind.INTEGER, AnswerKind.DECIMAL, AnswerKind.FRACTION, AnswerKind.MIXED):
        if _FORMS[kind].fullmatch(text):
            return kind
    if re.search(r"[a-z]", text):
        node = _parse(text)
        return AnswerKind.FACTORED if is_product(node) else AnswerKind.EXPRESSION
    raise CanonicalAnswerError(f"{canonical!r} is not written in any answer kind's form")


def _as_list(value: Any) -> list[Any]:
    if value is sympy.S.EmptySet:
        return []
    if isinstance(value, dict):
        return [value[key] for key in sorted(value, key=str)]
    if isinstance(value, list | tuple | set | frozenset | sympy.Tuple | sympy.FiniteSet):
        return list(value)
    return [value]


def _numbers_equal(a: Any, b: Any) -> bool:
    # strict: refuses strings, so nothing here can ever evaluate text as code.
    a, b = sympy.sympify(a, strict=True), sympy.sympify(b, strict=True)
    if a.is_Rational and b.is_Rational:
        return bool(a == b)
    if a.is_Float or b.is_Float:
        return bool(abs(a - b) <= sympy.Rational(1, 10**9) * max(1, abs(b)))
    return bool(sympy.simplify(a - b) == 0)


def values_equal(kind: AnswerKind, a: Any, b: Any) -> bool:
    """The library validator's equality between the answer's value and the solution's value.

    Lenient about containers (solve() lists and dicts) because solutions are computed, not typed.
    """
    kind = AnswerKind(kind)
    if kind in (AnswerKind.EXPRESSION, AnswerKind.FACTORED):
        return equivalent(sympy.sympify(a, strict=True), sympy.sympify(b, strict=True))
    if kind is AnswerKind.PAIR:
        left, right = _as_list(a), _as_list(b)
        return len(left) == len(right) == 2 and all(map(_numbers_equal, left, right))
    if kind is AnswerKind.SET:
        left, right = _as_list(a), _as_list(b)
        return all(any(_numbers_equal(x, y) for y in right) for x in left) and all(
            any(_numbers_equal(x, y) for x in left) for y in right
        )
    left, right = _as_list(a), _as_list(b)
    if len(left) != 1 or len(right) != 1:
        return False
    return _numbers_equal(left[0], right[0])


def _number_texts(value: Any) -> list[str]:
    """Every common way to write a rational: 3/4, 0.75, .75, 75%; 3/2, 1 1/2, 1.5, 150%."""
    number = Fraction(int(value.p), int(value.q))
    texts = [str(number.numerator)] if number.denominator == 1 else [str(number)]
    denominator = number.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if number.denominator != 1:
        if abs(number) > 1:
            whole, rest = divmod(abs(number.numerator), number.denominator)
            texts.append(f"{'-' if number < 0 else ''}{whole} {rest}/{number.denominator}")
        if denominator == 1:
            decimal = format(sympy.Float(value, 40), "f").rstrip("0").rstrip(".")
            texts.append(decimal)
            if decimal.startswith(("0.", "-0.")):
                texts.append(decimal.replace("0.", ".", 1))
    if number.denominator != 1 and abs(number) < 10 and denominator == 1:
        # Only a fraction of a whole is plausibly written as a percentage (3/4 as 75%).
        percent = number * 100
        texts.append(format(sympy.Float(percent.numerator, 40) / percent.denominator, "f"))
        texts[-1] = texts[-1].rstrip("0").rstrip(".") + "%"
    if abs(number) >= 1000 and number.denominator == 1:
        texts.append(f"{number.numerator:,}")
        texts.append(_south_asian_grouping(number.numerator))
    return texts


def _south_asian_grouping(number: int) -> str:
    sign, digits = ("-" if number < 0 else ""), str(abs(number))
    head, tail = digits[:-3], digits[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return sign + ",".join([*groups, tail])


def _numeric_forms(canonical: str, answer: Canonical) -> list[str]:
    written = answer.display  # the number as the library wrote it: 12.5 of 12.5%, 1250.5 of ৳1250.50
    numbers = [written, *_number_texts(answer.value)]
    if answer.kind is AnswerKind.PERCENT:
        return [
            *numbers,
            f"{written} percent",
            f"{written} শতাংশ",
            f"শতকরা {written}",
            *_number_texts(answer.value / 100),
        ]
    if answer.kind is AnswerKind.MONEY:
        amounts = [canonical.removeprefix("৳"), written]
        return [
            *numbers,
            *amounts,
            *(f"{prefix}{amount}" for amount in amounts for prefix in ("৳", "Tk ", "Tk. ")),
            *(f"{amount}{suffix}" for amount in amounts for suffix in (" taka", " টাকা", "/-")),
        ]
    if answer.kind is AnswerKind.EQUATION:
        return [*numbers, f"{answer.variable} = {written}", f"{answer.variable}={written}"]
    return numbers


def answer_surface_forms(canonical: str) -> list[str]:
    """Strings that would give this answer away in a hint, in ASCII and Bengali digits.

    Numbers are meant to be matched as whole numbers (12 must not match inside 120); equivalent forms
    of the value are included (3/4 -> 0.75, 75%), for an equation also the bare value, for a pair the
    assignments x = a and y = b.
    """
    return list(_surface_forms(canonical)) if isinstance(canonical, str) else []


@lru_cache(maxsize=4096)
def _surface_forms(canonical: str) -> tuple[str, ...]:
    """answer_surface_forms, cached: every hint is searched for them in each of its readings."""
    return tuple(_find_surface_forms(canonical))


def _find_surface_forms(canonical: str) -> list[str]:
    try:
        kind = infer_kind(canonical)
        answer = read_canonical(canonical, kind)
    except (CanonicalAnswerError, ValueError):
        return [canonical, to_bengali_digits(canonical)] if isinstance(canonical, str) else []
    forms: list[str] = [canonical]
    value = answer.value
    if kind in (AnswerKind.EXPRESSION, AnswerKind.FACTORED):
        forms += [answer.display, answer.display.replace(" ", "")]
    elif kind is AnswerKind.PAIR:
        x, y = (_number_texts(v)[0] for v in value)
        forms += [f"({x}, {y})", f"({x},{y})", f"x = {x}", f"x={x}", f"y = {y}", f"y={y}"]
    elif kind is AnswerKind.SET:
        items = [_number_texts(v)[0] for v in value]
        forms += ["{" + ", ".join(items) + "}", "{" + ",".join(items) + "}"]
        if not items:
            forms += ["∅", "empty set", "ফাঁকা সেট", "শূন্য সেট"]
    else:
        forms += _numeric_forms(canonical, answer)
    result: list[str] = []
    for form in forms:
        for variant in (form, to_bengali_digits(form)):
            if variant not in result:
                result.append(variant)
    return result
