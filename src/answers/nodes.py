"""The syntax tree the restricted parser builds, and its normalised display.

A tree (rather than sympy objects straight away) keeps the shape of what was written: 6/8 and 3/4
are the same value but not the same answer form, and a factored answer must be written as a product.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Num:
    """An unsigned literal; `text` is its display: grouping commas dropped, trailing zeros trimmed."""

    numerator: int
    denominator: int
    text: str
    decimal: bool


@dataclass(frozen=True, slots=True)
class Mixed:
    whole: int
    numerator: int
    denominator: int


@dataclass(frozen=True, slots=True)
class Name:
    name: str


@dataclass(frozen=True, slots=True)
class Neg:
    operand: Node


@dataclass(frozen=True, slots=True)
class Bin:
    op: str  # one of + - * / ^
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Percent:
    operand: Node


@dataclass(frozen=True, slots=True)
class Group:
    """Parentheses around one item: kept so that a product like (x + 3) can be told from x + 3."""

    inner: Node


@dataclass(frozen=True, slots=True)
class TupleNode:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class SetNode:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Relation:
    sides: tuple[Node, ...]  # a = b = c


@dataclass(frozen=True, slots=True)
class Seq:
    items: tuple[Node, ...]  # a top-level list without brackets: 1, 2, 3


Node = Num | Mixed | Name | Neg | Bin | Percent | Group | TupleNode | SetNode | Relation | Seq

# Binding strength, loosest first; used to put back only the parentheses the display needs.
_LIST, _RELATION, _SUM, _PRODUCT, _UNARY, _POWER, _POSTFIX, _ATOM = range(8)


def unwrap(node: Node) -> Node:
    while isinstance(node, Group):
        node = node.inner
    return node


def _precedence(node: Node) -> int:
    node = unwrap(node)
    if isinstance(node, Seq):
        return _LIST
    if isinstance(node, Relation):
        return _RELATION
    if isinstance(node, Bin):
        return {"+": _SUM, "-": _SUM, "*": _PRODUCT, "/": _PRODUCT}.get(node.op, _POWER)
    if isinstance(node, Neg):
        return _UNARY
    if isinstance(node, Mixed):
        return _PRODUCT  # "1 1/2" reads like a fraction, so it needs brackets where a fraction does
    if isinstance(node, Percent):
        return _POSTFIX
    return _ATOM


def _wrapped(node: Node, needs_brackets: bool) -> str:
    text = render(node)
    return f"({text})" if needs_brackets else text


def _render_bin(node: Bin) -> str:
    mine = _precedence(node)
    left, right = unwrap(node.left), unwrap(node.right)
    if node.op in "+-":
        right_text = _wrapped(right, _precedence(right) <= (_SUM if node.op == "-" else _LIST))
        return f"{render(left)} {node.op} {right_text}"
    if node.op == "^":
        base = _wrapped(left, _precedence(left) <= _POWER)
        exponent = _wrapped(right, _precedence(right) < _POSTFIX)
        return f"{base}^{exponent}"
    left_text = _wrapped(left, _precedence(left) < mine or isinstance(left, Mixed))
    right_text = _wrapped(right, _precedence(right) <= (_UNARY if node.op == "*" else _PRODUCT))
    if node.op == "/":
        return f"{left_text}/{right_text}"
    # Juxtaposition only where it cannot be misread: never after a power or a fraction (x^2 y, 1/2 x).
    implicit = right_text[:1].isalpha() or right_text[:1] == "("
    unambiguous = left_text[-1:].isalpha() or left_text[-1:] == ")" or isinstance(left, Num)
    if implicit and unambiguous:
        return f"{left_text}{right_text}"
    return f"{left_text}*{right_text}"


def render(node: Node) -> str:
    """Display with canonical spacing and minimal brackets: `2 * x+6` and `2x + 6` both give `2x + 6`."""
    node = unwrap(node)
    if isinstance(node, Num):
        return node.text
    if isinstance(node, Mixed):
        return f"{node.whole} {node.numerator}/{node.denominator}"
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Neg):
        return "-" + _wrapped(node.operand, _precedence(node.operand) <= _SUM)
    if isinstance(node, Bin):
        return _render_bin(node)
    if isinstance(node, Percent):
        return _wrapped(node.operand, _precedence(node.operand) < _POSTFIX) + "%"
    if isinstance(node, TupleNode):
        return "(" + ", ".join(render(item) for item in node.items) + ")"
    if isinstance(node, SetNode):
        return "{" + ", ".join(render(item) for item in node.items) + "}"
    if isinstance(node, Relation):
        return " = ".join(render(side) for side in node.sides)
    if isinstance(node, Seq):
        return ", ".join(render(item) for item in node.items)
    raise TypeError(f"not a node: {node!r}")  # pragma: no cover - the union above is exhaustive
