"""Comparing what the student wrote with the canonical answer, kind by kind."""

from __future__ import annotations

from typing import Any

import sympy

from src.answers.algebra import (
    MAX_EXPANDED_TERMS,
    equivalent,
    expansion_size,
    is_number,
    power_of_ten_ratio,
    proportional,
)
from src.answers.asked import holds
from src.answers.canonical import Canonical
from src.answers.errors import ReadError
from src.answers.evaluate import evaluate, symbol
from src.answers.forms import (
    factors,
    has_letters,
    is_product,
    is_simple_number,
    nonconstant_factors,
)
from src.answers.kinds import AnswerKind, Form
from src.answers.nodes import (
    Name,
    Neg,
    Node,
    Percent,
    Relation,
    Seq,
    SetNode,
    TupleNode,
    render,
    unwrap,
)
from src.answers.nonanswer import NonAnswer
from src.answers.read import NUMERIC_KINDS, Reading
from src.answers.result import (
    CheckResult,
    Confidence,
    Mistake,
    Verdict,
    lowest,
    not_an_answer,
    undecided,
)

MAX_MAGNITUDE = 10**12  # no grade 6-8 answer is larger; a bigger number is a keyboard accident


class _TooLarge(Exception):
    pass


def _number(node: Node) -> Any:
    """The value of a letter-free node; ReadError if it has letters, _TooLarge past 10^12."""
    if has_letters(node):
        raise ReadError("letters where a number was expected")
    value = evaluate(node)
    if is_number(value) and abs(value) > MAX_MAGNITUDE:
        raise _TooLarge
    return value


def _correct(reading: Reading, exact: bool, parsed: str, cap: Confidence) -> CheckResult:
    confidence = reading.extraction if exact else lowest(reading.extraction, Confidence.MEDIUM)
    return CheckResult(Verdict.CORRECT, lowest(confidence, cap), parsed, None, None)


def _wrong(reading: Reading, mistake: Mistake, parsed: str, cap: Confidence) -> CheckResult:
    return CheckResult(Verdict.WRONG, lowest(reading.extraction, cap), parsed, None, mistake)


def _wrong_form(reading: Reading, mistake: Mistake, parsed: str, cap: Confidence, form: Form) -> CheckResult:
    """The right value, not in the form wanted: the student is told which, and tries again."""
    return CheckResult(Verdict.WRONG_FORM, lowest(reading.extraction, cap), parsed, None, mistake, form)


def _number_mistake(got: Any, expected: Any) -> Mistake:
    if expected != 0 and got == -expected:
        return Mistake.SIGN
    if power_of_ten_ratio(got, expected):
        return Mistake.SCALE
    return Mistake.OTHER


def _without_percent(node: Node) -> tuple[Node, bool]:
    node = unwrap(node)
    if isinstance(node, Percent):
        return node.operand, True
    if isinstance(node, Neg):
        inner, marked = _without_percent(node.operand)
        return (Neg(inner), True) if marked else (node, False)
    return node, False


def _unsolved_equation(reading: Reading, relation: Relation, expected: Canonical, parsed: str) -> CheckResult:
    """`2x = 10` for x = 5: right if solved, but not finished."""
    variable = expected.variable
    if expected.kind is not AnswerKind.EQUATION or variable is None or len(relation.sides) != 2:
        return undecided(parsed)
    x = symbol(variable)
    difference = evaluate(relation.sides[0]) - evaluate(relation.sides[1])
    # Other letters, or too many terms, are for the AI step: checked before the costly expand.
    if not difference.free_symbols <= {x} or expansion_size(difference) > MAX_EXPANDED_TERMS:
        return undecided(parsed)
    difference = sympy.expand(difference)
    if difference.free_symbols != {x} or not difference.is_polynomial(x):
        return undecided(parsed)
    if sympy.degree(difference, x) != 1:
        return undecided(parsed)
    solution = -difference.coeff(x, 0) / difference.coeff(x, 1)
    if solution == expected.value:
        return _wrong_form(reading, Mistake.NOT_SIMPLIFIED, parsed, Confidence.MEDIUM, Form.SOLVED)
    return _wrong(reading, Mistake.OTHER, parsed, Confidence.MEDIUM)


def _judge_number(reading: Reading, expected: Canonical, form: Form | None) -> CheckResult:
    node, cap = unwrap(reading.node), Confidence.HIGH
    variable: str | None = None
    if isinstance(node, Relation):
        first, last = unwrap(node.sides[0]), unwrap(node.sides[-1])
        if isinstance(first, Name) and not has_letters(last):
            if len(node.sides) > 2:
                cap = Confidence.MEDIUM  # a worked chain x = 10/2 = 5: its last value counts
            variable, node = first.name, last
        elif isinstance(last, Name) and not has_letters(first) and len(node.sides) == 2:
            variable, node, cap = last.name, first, Confidence.MEDIUM  # 5 = x
        else:
            return _unsolved_equation(reading, node, expected, render(node))
    if isinstance(node, Seq | TupleNode | SetNode | Relation) or has_letters(node):
        return undecided(render(reading.node))
    kind = expected.kind
    if expected.variable and variable and variable != expected.variable:
        cap = Confidence.LOW  # y = 5 when the question is about x: the right number, odd label
    bare, marked = _without_percent(node)
    value = _number(bare) if kind is AnswerKind.PERCENT else _number(node)
    shown = render(node)
    if kind is AnswerKind.MONEY and is_simple_number(node):
        shown = "-৳" + shown[1:] if shown.startswith("-") else "৳" + shown
    parsed = f"{variable} = {shown}" if variable else shown
    exact = render(bare if kind is AnswerKind.PERCENT else node) == expected.display
    if value == expected.value:
        if not is_simple_number(node):
            return _wrong_form(reading, Mistake.NOT_SIMPLIFIED, parsed, Confidence.MEDIUM, Form.CALCULATED)
        if form is not None and not holds(form, bare if kind is AnswerKind.PERCENT else node):
            return _wrong_form(reading, Mistake.WRONG_FORM, parsed, cap, form)
        return _correct(reading, exact, parsed, cap)
    form_cap = Confidence.HIGH if is_simple_number(node) else Confidence.MEDIUM
    if kind is AnswerKind.PERCENT and not marked and value * 100 == expected.value:
        return _wrong_form(reading, Mistake.WRONG_FORM, parsed, form_cap, Form.PERCENT)
    return _wrong(reading, _number_mistake(value, expected.value), parsed, form_cap)


def _fully_factored(student: Node, canonical: Node) -> bool:
    """Each factor matches one of the canonical factors up to sign: 2a(6b - 9) is not 6a(2b - 3).

    Given that the products are equal, this holds exactly when the student took out every common
    factor the library did; a product with more factors than the library's is factored further still.
    """
    mine = [evaluate(f) for f in nonconstant_factors(student)]
    theirs = [evaluate(f) for f in nonconstant_factors(canonical)]
    if len(mine) > len(theirs):
        return True
    for factor in mine:
        match = next(
            (i for i, t in enumerate(theirs) if equivalent(factor, t) or equivalent(factor, -t)),
            None,
        )
        if match is None:
            return False
        theirs.pop(match)
    return not theirs


def _judge_expression(reading: Reading, expected: Canonical, form: Form | None) -> CheckResult:
    node = unwrap(reading.node)
    if isinstance(node, Relation) and len(node.sides) == 2:
        name, right = unwrap(node.sides[0]), node.sides[1]
        # y = 2x + 6 names the expression; x = 2x + 6 is an equation, which is another matter.
        if isinstance(name, Name) and symbol(name.name) not in evaluate(right).free_symbols:
            node = unwrap(right)
    if isinstance(node, Seq | TupleNode | SetNode | Relation):
        return undecided(render(reading.node))
    value, parsed = evaluate(node), render(node)
    if not value.free_symbols <= expected.value.free_symbols:
        # Letters the answer does not have are more likely a stray word ("6x ki?") than a wrong
        # answer; checked before any expansion, which on many letters can take seconds.
        return undecided(parsed)
    exact = parsed == expected.display
    if equivalent(value, expected.value):
        if expected.kind is AnswerKind.FACTORED or form is Form.FACTORISED:
            if not is_product(node):
                return _wrong_form(reading, Mistake.WRONG_FORM, parsed, Confidence.HIGH, Form.FACTORISED)
            if not _fully_factored(node, expected.node):
                return _wrong_form(reading, Mistake.PARTIAL, parsed, Confidence.MEDIUM, Form.FACTORISED)
        elif form is not None:
            polynomial = bool(expected.value.is_polynomial(*sorted(expected.value.free_symbols, key=str)))
            if not holds(form, node, polynomial=polynomial):
                return _wrong_form(reading, Mistake.WRONG_FORM, parsed, Confidence.HIGH, form)
        return _correct(reading, exact, parsed, Confidence.HIGH)
    if equivalent(value, -expected.value):
        return _wrong(reading, Mistake.SIGN, parsed, Confidence.HIGH)
    if expected.kind is AnswerKind.FACTORED and is_product(node):
        mine = [evaluate(f) for f in factors(node) if has_letters(f)]
        theirs = [evaluate(f) for f in factors(expected.node) if has_letters(f)]
        if any(proportional(a, b) for a in mine for b in theirs):
            return _wrong(reading, Mistake.PARTIAL, parsed, Confidence.HIGH)
    return _wrong(reading, Mistake.OTHER, parsed, Confidence.HIGH)


def _judge_unit_readings(reading: Reading, expected: Canonical, form: Form | None) -> CheckResult:
    """An expression typed with a trailing unit: "(6m + 6) m" may be a unit or a factor m.

    Reading the unit as letters wins only if that makes the answer right; if it makes it wrong while
    the reading without the unit is right, the AI step decides.
    """
    without_unit = _judge_expression(reading, expected, form)
    if reading.alternative is None:
        return without_unit
    try:
        whole = _judge_expression(reading.alternative, expected, form)
    except ReadError:
        return without_unit
    if whole.verdict is Verdict.CORRECT:
        return whole
    if whole.verdict is Verdict.WRONG and without_unit.verdict is Verdict.CORRECT:
        return undecided(whole.parsed)
    return without_unit


def _items(node: Node) -> tuple[Node, ...]:
    node = unwrap(node)
    if isinstance(node, Seq | TupleNode | SetNode):
        return node.items
    return (node,)


def _assignment(node: Node) -> tuple[str | None, Node]:
    node = unwrap(node)
    if isinstance(node, Relation) and len(node.sides) == 2:
        name = unwrap(node.sides[0])
        if isinstance(name, Name):
            return name.name, node.sides[1]
    return None, node


def _judge_pair(reading: Reading, expected: Canonical) -> CheckResult:
    assignments = [_assignment(item) for item in _items(reading.node)]
    names = [name for name, _ in assignments]
    if any(names):
        if None in names or len(set(names)) != len(names):
            return undecided(render(reading.node))
        assignments.sort(key=lambda pair: pair[0] or "")  # (x, y) order whatever order was typed
    values = [_number(item) for _, item in assignments]
    shown = [render(item) for _, item in assignments]
    want = list(expected.value)
    if len(values) == 1:
        name = names[0]
        if name not in ("x", "y"):
            return undecided(render(reading.node))
        index = 0 if name == "x" else 1
        parsed = f"{name} = {shown[0]}"
        mistake = Mistake.PARTIAL if values[0] == want[index] else Mistake.OTHER
        return _wrong(reading, mistake, parsed, Confidence.MEDIUM)
    if len(values) != 2:
        return undecided(render(reading.node))
    parsed = f"({shown[0]}, {shown[1]})"
    if values == want:
        return _correct(reading, parsed == expected.display, parsed, Confidence.HIGH)
    if values == want[::-1]:
        mistake = Mistake.ORDER
    elif values == [-want[0], -want[1]]:
        mistake = Mistake.SIGN
    elif values[0] == want[0] or values[1] == want[1]:
        mistake = Mistake.PARTIAL
    else:
        mistake = Mistake.OTHER
    return _wrong(reading, mistake, parsed, Confidence.HIGH)


def _set_display(items: list[tuple[Any, str]]) -> str:
    unique: dict[Any, str] = {}
    for value, text in sorted(items, key=lambda item: item[0]):
        unique.setdefault(value, text)
    return "{" + ", ".join(unique.values()) + "}"


def _judge_set(reading: Reading, expected: Canonical) -> CheckResult:
    items = [_assignment(item)[1] for item in _items(reading.node)]
    values = [_number(item) for item in items]
    parsed = _set_display([(v, render(i)) for v, i in zip(values, items, strict=True)])
    expected_items = _items(expected.node)
    expected_display = _set_display([(evaluate(i), render(i)) for i in expected_items])
    got, want = set(values), set(expected.value)
    if got == want:
        return _correct(reading, parsed == expected_display, parsed, Confidence.HIGH)
    if got & want:
        mistake = Mistake.PARTIAL
    elif want and got == {-v for v in want}:
        mistake = Mistake.SIGN
    else:
        mistake = Mistake.OTHER
    return _wrong(reading, mistake, parsed, Confidence.HIGH)


def judge(reading: Reading, expected: Canonical, form: Form | None = None) -> CheckResult:
    """Verdict for a reading against a canonical answer; ReadError means "cannot decide".

    `form` is the form the problem asks for (None: any form of the right value is right).
    """
    try:
        if expected.kind in NUMERIC_KINDS:
            return _judge_number(reading, expected, form)
        if expected.kind in (AnswerKind.EXPRESSION, AnswerKind.FACTORED):
            return _judge_unit_readings(reading, expected, form)
        if expected.kind is AnswerKind.PAIR:
            return _judge_pair(reading, expected)
        return _judge_set(reading, expected)
    except _TooLarge:
        return not_an_answer(NonAnswer.TOO_LARGE)
