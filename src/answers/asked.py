"""Whether an answer of the right value is written in the form the problem asks for (`form:`).

"Simplified" and "expanded" mean the same for an expression whose value is a polynomial: written as a sum
of terms, each at most one number times letters (each letter once, with a power), no brackets, no two
terms with the same letters (like terms collected). An answer with letters in a denominator is not a
polynomial: for it, either word only asks that no calculation is left in a term (x*x, 2*3x).
"""

from __future__ import annotations

from math import gcd

from src.answers.forms import is_product
from src.answers.kinds import Form
from src.answers.nodes import Bin, Mixed, Name, Neg, Node, Num, unwrap


def _unsigned(node: Node) -> Node:
    node = unwrap(node)
    while isinstance(node, Neg):
        node = unwrap(node.operand)
    return node


def _integer(node: Node) -> bool:
    node = _unsigned(node)
    return isinstance(node, Num) and node.denominator == 1 and not node.decimal


def _written_fraction(node: Node) -> tuple[int, int] | None:
    """a/b typed as two whole numbers (either may carry a sign)."""
    node = _unsigned(node)
    if isinstance(node, Bin) and node.op == "/" and _integer(node.left) and _integer(node.right):
        top, bottom = _unsigned(node.left), _unsigned(node.right)
        assert isinstance(top, Num) and isinstance(bottom, Num)
        return top.numerator, bottom.numerator
    return None


def _lowest_terms(node: Node) -> bool:
    if _integer(node):
        return True
    fraction = _written_fraction(node)
    if fraction is not None:
        return fraction[1] > 1 and gcd(*fraction) == 1
    mixed = _unsigned(node)
    return isinstance(mixed, Mixed) and gcd(mixed.numerator, mixed.denominator) == 1


def _mixed_number(node: Node) -> bool:
    if _integer(node):
        return True
    mixed = _unsigned(node)
    return (
        isinstance(mixed, Mixed)
        and 0 < mixed.numerator < mixed.denominator
        and gcd(mixed.numerator, mixed.denominator) == 1
    )


def _improper_fraction(node: Node) -> bool:
    fraction = _written_fraction(node)
    return _integer(node) or (fraction is not None and fraction[1] > 1 and gcd(*fraction) == 1)


def _decimal(node: Node) -> bool:
    number = _unsigned(node)
    return isinstance(number, Num)


def _terms(node: Node) -> list[Node] | None:
    node = unwrap(node)
    if isinstance(node, Bin) and node.op in "+-":
        left, right = _terms(node.left), _terms(node.right)
        return None if left is None or right is None else left + right
    return [node]


def _monomial(node: Node) -> tuple[tuple[str, int], ...] | None:
    """The letters and powers of a term written as one number times powers of letters, or None."""
    node = _unsigned(node)
    if isinstance(node, Bin) and node.op == "/":
        if not _integer(node.right):
            return None
        node = _unsigned(node.left)  # 3x/2
    numbers, letters = 0, list[tuple[str, int]]()
    stack = [node]
    while stack:
        part = _unsigned(stack.pop())
        if isinstance(part, Bin) and part.op == "*":
            stack += [part.left, part.right]
        elif isinstance(part, Num | Mixed) or _written_fraction(part) is not None:
            numbers += 1
        elif isinstance(part, Name):
            letters.append((part.name, 1))
        elif isinstance(part, Bin) and part.op == "^" and isinstance(unwrap(part.left), Name):
            if not _integer(part.right):
                return None
            base, exponent = unwrap(part.left), _unsigned(part.right)
            assert isinstance(base, Name) and isinstance(exponent, Num)
            letters.append((base.name, exponent.numerator))
        else:
            return None
    names = [name for name, _ in letters]
    if numbers > 1 or len(set(names)) != len(names):
        return None
    return tuple(sorted(letters))


def _collected(node: Node) -> bool:
    terms = _terms(node)
    if terms is None:
        return False
    seen: set[tuple[tuple[str, int], ...]] = set()
    for term in terms:
        letters = _monomial(term)
        if letters is None or letters in seen:
            return False
        seen.add(letters)
    return True


def _no_calculation_in_a_term(node: Node) -> bool:
    """For a rational answer: a quotient of collected sums, or a collected sum."""
    node = _unsigned(node)
    if isinstance(node, Bin) and node.op == "/":
        return _collected(node.left) and _collected(node.right)
    return _collected(node)


def holds(form: Form, node: Node, *, polynomial: bool = True) -> bool:
    """Whether `node` (already known to have the right value) is written in `form`."""
    if form is Form.LOWEST_TERMS:
        return _lowest_terms(node)
    if form is Form.MIXED_NUMBER:
        return _mixed_number(node)
    if form is Form.IMPROPER_FRACTION:
        return _improper_fraction(node)
    if form is Form.DECIMAL:
        return _decimal(node)
    if form in (Form.EXPANDED, Form.SIMPLIFIED):
        return _collected(node) if polynomial else _no_calculation_in_a_term(node)
    if form is Form.FACTORISED:
        return is_product(node)
    return True
