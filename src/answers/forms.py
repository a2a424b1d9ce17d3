"""Questions about how an answer is written, as opposed to what it is worth."""

from __future__ import annotations

from src.answers.nodes import Bin, Mixed, Name, Neg, Node, Num, Percent, unwrap


def has_letters(node: Node) -> bool:
    node = unwrap(node)
    if isinstance(node, Name):
        return True
    if isinstance(node, Neg | Percent):
        return has_letters(node.operand)
    if isinstance(node, Bin):
        return has_letters(node.left) or has_letters(node.right)
    return False


def is_simple_number(node: Node) -> bool:
    """A finished numeric answer: 12, -0.75, 3/4, 1 1/2, 25% -- not 450*1.2 or 2^3 or 3/4 + 1/8."""
    node = unwrap(node)
    if isinstance(node, Neg | Percent):
        return is_simple_number(node.operand)
    if isinstance(node, Num | Mixed):
        return True
    if isinstance(node, Bin) and node.op == "/":
        left, right = unwrap(node.left), unwrap(node.right)
        left = left.operand if isinstance(left, Neg) else left
        right = right.operand if isinstance(right, Neg) else right
        return isinstance(unwrap(left), Num) and isinstance(unwrap(right), Num)
    return False


def _is_sum(node: Node) -> bool:
    node = unwrap(node)
    return isinstance(node, Bin) and node.op in "+-"


def factors(node: Node) -> list[Node]:
    """The factors of a product as written, with signs dropped: -2(x+3)(x-3) -> [2, x+3, x-3]."""
    node = unwrap(node)
    if isinstance(node, Neg):
        return factors(node.operand)
    if isinstance(node, Bin) and node.op == "*":
        return factors(node.left) + factors(node.right)
    return [node]


def is_product(node: Node) -> bool:
    """Written as a product with a bracketed sum in it: 2(x + 3), (x + 3)(x - 3), (x + 1)^2."""
    for factor in factors(node):
        factor = unwrap(factor)
        if _is_sum(factor):
            return len(factors(node)) > 1
        if isinstance(factor, Bin) and factor.op == "^" and _is_sum(factor.left):
            return True
    return False


def nonconstant_factors(node: Node) -> list[Node]:
    """The factors with letters, powers written out: 5x(x + 1)^2 -> [x, x + 1, x + 1]."""
    result: list[Node] = []
    for factor in factors(node):
        factor = unwrap(factor)
        if not has_letters(factor):
            continue
        if isinstance(factor, Bin) and factor.op == "^":
            exponent = unwrap(factor.right)
            if isinstance(exponent, Num) and exponent.denominator == 1 and exponent.numerator <= 10:
                result += nonconstant_factors(factor.left) * exponent.numerator
                continue
        result.append(factor)
    return result
