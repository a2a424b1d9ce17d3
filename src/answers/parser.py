"""A small tokenizer and recursive-descent parser for answers; the only way student text becomes math.

Student text never reaches Python evaluation (eval, or sympy's string parsing, which uses it). Grammar:

    list     := relation (',' relation)*
    relation := sum ('=' sum)*
    sum      := term (('+' | '-') term)*
    term     := ('-' | '+') term | product           -- -3/4 is -(3/4), -2x is -(2x)
    product  := factor (('*' | '/') factor | factor)* -- juxtaposition is multiplication: 2x, 2(x+3)
    factor   := ('-' | '+') factor | power
    power    := postfix ('^' factor)?                 -- right-associative: 2^3^2 = 2^9
    postfix  := atom '%'?
    atom     := number | mixed number | letter | '(' list ')' | '[' list ']' | '{' list? '}'

Hard limits keep hostile input cheap: text length, token count and nesting depth here; exponent size,
degree and number size in `evaluate`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from src.answers.errors import ReadError, TooLargeError
from src.answers.nodes import (
    Bin,
    Group,
    Mixed,
    Name,
    Neg,
    Node,
    Num,
    Percent,
    Relation,
    Seq,
    SetNode,
    TupleNode,
)
from src.answers.normalize import MAX_TEXT_LENGTH

MAX_TOKENS = 200
MAX_DEPTH = 30
MAX_INTEGER_DIGITS = 15  # more digits than this is a keyboard accident, not an answer
MAX_NUMBER_DIGITS = 30
MAX_WORD_LETTERS = 3  # "xy", "abc" are products of variables; longer letter runs are words

# Thousands grouping, Western (1,200,000) or South Asian (12,00,000); the whole run must be grouped.
_GROUPED = re.compile(
    r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,2}(?:,[0-9]{2})+,[0-9]{3})(?:\.[0-9]+)?(?![0-9]|,[0-9])"
)
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_MIXED = re.compile(r"([0-9]+) +([0-9]+) *\/ *([0-9]+)(?![0-9.^/])")
_LETTERS = re.compile(r"[a-z]+")
_SYMBOLS = frozenset("+-*/^%=,()[]{}")
_OPENERS = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "num" | "name" | "op"
    text: str
    node: Node | None = None  # the literal for "num" tokens


def _number_node(text: str) -> Num:
    digits = text.replace(",", "")
    whole, _, fraction = digits.partition(".")
    if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS or len(whole) + len(fraction) > MAX_NUMBER_DIGITS:
        raise TooLargeError(f"{text} has too many digits")
    value = Fraction(digits)
    if not fraction:
        return Num(value.numerator, value.denominator, str(int(whole)), decimal=False)
    shown = f"{int(whole or '0')}.{fraction}".rstrip("0").rstrip(".")
    return Num(value.numerator, value.denominator, shown, decimal=True)


def tokenize(text: str, *, grouping: bool) -> list[Token]:
    """Split folded text into tokens. `grouping`: read 1,200 as one number (not inside sets/pairs)."""
    if len(text) > MAX_TEXT_LENGTH:
        raise ReadError("text too long")
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        if len(tokens) > MAX_TOKENS:
            raise ReadError("too many tokens")
        char = text[position]
        if char == " ":
            position += 1
            continue
        previous = tokens[-1].text if tokens else ""
        if char.isdigit() or char == ".":
            mixed = _MIXED.match(text, position) if previous not in ("/", "^") else None
            if mixed and 0 < int(mixed.group(2)) < int(mixed.group(3)):
                whole, numerator, denominator = (int(g) for g in mixed.groups())
                if len(mixed.group(1)) > MAX_INTEGER_DIGITS or len(mixed.group(3)) > 9:
                    raise TooLargeError("mixed number too large")
                node: Node = Mixed(whole, numerator, denominator)
                end = mixed.end()
            else:
                match = (_GROUPED.match(text, position) if grouping else None) or _NUMBER.match(
                    text, position
                )
                if match is None:
                    raise ReadError(f"unexpected {char!r}")
                node, end = _number_node(match.group()), match.end()
            tokens.append(Token("num", text[position:end], node))
        elif "a" <= char <= "z":
            match = _LETTERS.match(text, position)
            assert match is not None
            letters = match.group()
            if len(letters) > MAX_WORD_LETTERS:
                raise ReadError(f"word {letters!r}")
            end = match.end()
            if end < len(text) and text[end].isdigit():
                raise ReadError("letter glued to a number (x2 may mean 2x or x^2)")
            tokens.extend(Token("name", letter) for letter in letters)
        elif char in _SYMBOLS:
            tokens.append(Token("op", char))
            end = position + 1
        else:
            raise ReadError(f"unexpected {char!r}")
        position = end
    if len(tokens) > MAX_TOKENS:
        raise ReadError("too many tokens")
    return tokens


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def accept(self, *ops: str) -> str | None:
        token = self.peek()
        if token is not None and token.kind == "op" and token.text in ops:
            self.index += 1
            return token.text
        return None

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ReadError("nested too deeply")

    def parse(self) -> Node:
        if not self.tokens:
            raise ReadError("nothing to read")
        node = self.list()
        token = self.peek()
        if token is not None:
            raise ReadError(f"unexpected {token.text!r}")
        return node

    def list(self) -> Node:
        items = [self.relation()]
        while self.accept(","):
            items.append(self.relation())
        return items[0] if len(items) == 1 else Seq(tuple(items))

    def relation(self) -> Node:
        sides = [self.sum()]
        while self.accept("="):
            sides.append(self.sum())
        return sides[0] if len(sides) == 1 else Relation(tuple(sides))

    def sum(self) -> Node:
        node = self.term()
        while op := self.accept("+", "-"):
            node = Bin(op, node, self.term())
        return node

    def term(self) -> Node:
        if sign := self.accept("-", "+"):
            return self.signed(sign, self.term)
        return self.product()

    def signed(self, sign: str, operand: Callable[[], Node]) -> Node:
        self.enter()
        try:
            node = operand()
        finally:
            self.depth -= 1
        return Neg(node) if sign == "-" else node

    def product(self) -> Node:
        node = self.factor()
        while True:
            op = self.accept("*", "/")
            if op:
                node = Bin(op, node, self.factor())
                continue
            token = self.peek()
            if token is None:
                return node
            if token.kind == "name" or (token.kind == "op" and token.text in "(["):
                node = Bin("*", node, self.factor())
                continue
            if token.kind == "num":
                raise ReadError("two numbers side by side")
            return node

    def factor(self) -> Node:
        if sign := self.accept("-", "+"):
            return self.signed(sign, self.factor)
        return self.power()

    def power(self) -> Node:
        base = self.postfix()
        if not self.accept("^"):
            return base
        self.enter()
        try:
            return Bin("^", base, self.factor())
        finally:
            self.depth -= 1

    def postfix(self) -> Node:
        node = self.atom()
        if self.accept("%"):
            node = Percent(node)
        return node

    def atom(self) -> Node:
        token = self.peek()
        if token is None:
            raise ReadError("expression ends early")
        if token.kind == "num":
            self.index += 1
            assert token.node is not None
            return token.node
        if token.kind == "name":
            self.index += 1
            return Name(token.text)
        if token.text in _OPENERS:
            self.index += 1
            return self.bracketed(token.text)
        raise ReadError(f"unexpected {token.text!r}")

    def bracketed(self, opener: str) -> Node:
        self.enter()
        try:
            closer = _OPENERS[opener]
            if opener == "{" and self.accept("}"):
                return SetNode(())
            inner = self.list()
            if not self.accept(closer):
                raise ReadError(f"missing {closer!r}")
        finally:
            self.depth -= 1
        items = inner.items if isinstance(inner, Seq) else (inner,)
        if opener == "{":
            return SetNode(items)
        return TupleNode(items) if len(items) > 1 else Group(inner)


def parse(text: str, *, grouping: bool = False) -> Node:
    """Parse folded text (see normalize.fold) into a syntax tree, or raise ReadError / TooLargeError."""
    return _Parser(tokenize(text, grouping=grouping)).parse()
