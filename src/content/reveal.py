"""Does a hint give the answer away? Text matching with number boundaries, per kind of answer.

"Contains" means a mention a student would read as the answer, not any substring:
- numbers match only as whole numbers: 12 is not in 120, 1.25, 3/12 or 1,200; a coefficient (the 5 of
  5x) and an exponent (the 2 of x^2) are parts of terms, not mentions of a value; any numeral with the
  answer's value counts (12.0, 0.750, 75% for 3/4), except a fraction not in lowest terms (6/8 is the
  set-up of 3/4, not its answer);
- expressions and products match whole, in any order of their terms or factors, ignoring spacing and `*`;
  an equivalent but differently shaped expression (the question's own 3(x + 2) for the answer 3x + 6)
  is not a reveal, or every hint would be;
- a set matches any `{...}` in the hint with the same elements in any order; a pair matches `(a, b)`;
- and every string of src.answers.canonical.answer_surface_forms (x = a alone for a pair, 540 taka for
  ৳540, 1/4 for 25%) on the same boundaries.
Bengali digits, superscripts and typographic operators are folded to ASCII first, so one check covers
both digit scripts.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from fractions import Fraction
from functools import lru_cache

import sympy

from src.answers.canonical import (
    CanonicalAnswerError,
    answer_surface_forms,
    parse_canonical,
    values_equal,
)
from src.answers.kinds import AnswerKind

_BENGALI_DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789", strict=True))
_SUPERSCRIPT_RUN = re.compile("[" + "".join(_SUPERSCRIPTS) + "]+")
_OPERATORS = str.maketrans(
    {"−": "-", "–": "-", "×": "*", "·": "*", "÷": "/", "\u00a0": " ", "\u2009": " ", "\u202f": " "}
)
# Letters that, glued to a number, make it a coefficient (5x) rather than a quantity with a unit (5m, 5cm).
_COEFFICIENT_LETTERS = "abcnpqrtxyz"
_EMPTY_SET_WORDS = ("∅", "{}", "empty set", "null set", "ফাঁকা সেট", "শূন্য সেট")

NUMERIC_KINDS = frozenset(
    {
        AnswerKind.INTEGER,
        AnswerKind.DECIMAL,
        AnswerKind.FRACTION,
        AnswerKind.MIXED,
        AnswerKind.PERCENT,
        AnswerKind.MONEY,
        AnswerKind.EQUATION,
    }
)


def fold(text: str) -> str:
    """One spelling for digits and operators: Bengali digits, x², −, × become 0-9, x^2, -, *."""
    text = text.translate(_BENGALI_DIGITS).translate(_OPERATORS).replace("**", "^")
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^" + "".join(_SUPERSCRIPTS[c] for c in m.group()), text)
    return re.sub(r"\s+", " ", text)


def compact(text: str) -> str:
    """Folded, with the spacing of math removed: `2 * x + 6` -> `2x+6`, `{1, 2}` -> `{1,2}`.

    Spaces between words stay, so that a formula's edges can still be told from the prose around it.
    """
    text = re.sub(r" ?([-+*/=^(){},<>]) ?", r"\1", fold(text))
    text = re.sub(r"(?<=\d) (?=[A-Za-z](?![A-Za-z]))", "", text)
    return re.sub(r"(?<=[\w)])\*(?=[A-Za-z(])", "", text)


# A numeral as written in text: 1,250.50 · 3/4 · 1 1/2 · 75% (digits already folded to ASCII). Not part of
# a longer number, not an exponent (^2), not a coefficient (5x) and not a base (2^3).
_NUMERAL = re.compile(
    r"(?<![\d.,/^])"
    r"(?P<whole>\d+(?:,\d{3})*(?:\.\d+)?)"
    r"(?:(?P<mixed> \d+/\d+)|/(?P<denominator>\d+))?"
    r"(?P<percent> ?%)?"
    rf"(?!\d)(?![.,/]\d)(?![{_COEFFICIENT_LETTERS}](?![A-Za-z]))(?!\^)"
)
_SIGN_CONTEXT = " (=,:[{"


def numerals(text: str) -> Iterator[tuple[str, Fraction, bool]]:
    """Each numeral in text: as written, its value, and whether it carries a % sign.

    Fractions count only in lowest terms: 6/8 in a hint is the set-up of 3/4, not the answer.
    """
    folded = fold(text)
    for match in _NUMERAL.finditer(folded):
        whole = match["whole"].replace(",", "")
        value = Fraction(whole)
        if match["denominator"]:
            if "." in whole or Fraction(int(whole), int(match["denominator"])).numerator != int(whole):
                continue
            value = Fraction(int(whole), int(match["denominator"]))
        elif match["mixed"]:
            part = Fraction(match["mixed"].strip())
            numerator = int(match["mixed"].strip().split("/")[0])
            if "." in whole or part >= 1 or part.numerator != numerator:
                continue
            value += part
        start = match.start()
        negative = (
            start > 0 and folded[start - 1] == "-" and (start == 1 or folded[start - 2] in _SIGN_CONTEXT)
        )
        written = ("-" if negative else "") + match.group()
        yield written, -value if negative else value, match["percent"] is not None


def _answer_number(answer: str, kind: AnswerKind) -> Fraction | None:
    """The number a numeric answer stands for: ৳540 -> 540, 25% -> 25, x = -3/2 -> -3/2, 1 1/2 -> 3/2."""
    text = answer.split("=", 1)[1] if kind is AnswerKind.EQUATION else answer
    text = text.strip().removeprefix("৳").removesuffix("%").strip()
    match = re.fullmatch(r"(-?)(\d+(?:\.\d+)?)(?: (\d+/\d+)|/(\d+))?", text)
    if match is None:
        return None
    value = Fraction(match[2])
    if match[3]:
        value += Fraction(match[3])
    elif match[4]:
        value /= int(match[4])
    return -value if match[1] else value


def _find_numeral(text: str, answer: str, kind: AnswerKind) -> str | None:
    """A numeral equal to the answer in any notation: 0.75, 0.750, 3/4, 75% for 3/4; 540.00 for ৳540."""
    target = _answer_number(answer, kind)
    if target is None:
        return None
    for written, value, percent in numerals(text):
        if value == target or (percent and kind is not AnswerKind.PERCENT and value / 100 == target):
            return written.strip()
    return None


def _is_numeric(form: str) -> bool:
    return re.fullmatch(r"৳?-?\d[\d.,/ ]*%?", form) is not None


def _text_pattern(form: str) -> re.Pattern[str]:
    """The form as a whole token of folded text: numbers on number boundaries, words on word boundaries."""
    start = ""
    if form[0].isdigit() or form[0] == ".":
        start = r"(?<![\d^.])(?<!\d[,/])"
    elif form[0] == "-":
        start = r"(?<![\w)\]])"  # a leading minus must be a sign, not the minus of x-7
    elif form[0].isalpha():
        start = r"(?<!\w)"
    end = ""
    if form[-1].isdigit():
        end = rf"(?!\d)(?![.,/]\d)(?![{_COEFFICIENT_LETTERS}](?![A-Za-z]))(?!\^)"
    elif form[-1].isalpha():
        end = r"(?!\w)"
    return re.compile(start + re.escape(form) + end)


def _compact_pattern(form: str) -> re.Pattern[str]:
    start = r"(?<![\w.^])" if form[0].isalnum() else ""
    end = r"(?![\w^])(?![.,/]\d)" if form[-1].isalnum() else ""
    return re.compile(start + re.escape(form) + end)


def _split_top_level(text: str, separators: str) -> list[str]:
    """Split at separators outside brackets, keeping each separator with the part it starts."""
    parts: list[str] = []
    depth = 0
    current = ""
    for index, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        is_sign = index == 0 or text[index - 1] in "(^*/=,"
        if depth == 0 and char in separators and current and not is_sign:
            parts.append(current)
            current = ""
        current += char
    if current:
        parts.append(current)
    return parts


def _term_orders(expression: str) -> Iterator[str]:
    """The expression with its top-level terms in every order (up to 5 terms): 2x+6 -> 6+2x."""
    terms = _split_top_level(expression, "+-")
    if not 1 < len(terms) <= 5:
        return
    signed = [t if t[0] in "+-" else "+" + t for t in terms]
    for order in itertools.permutations(signed):
        yield "".join(order).removeprefix("+")


def _factor_orders(product: str) -> Iterator[str]:
    """A product with its bracketed factors in every order, any leading coefficient kept first."""
    factors = re.findall(r"\([^()]*\)", product)
    coefficient = product.split("(", 1)[0]
    if not 1 < len(factors) <= 4 or "".join([coefficient, *factors]) != product:
        return
    for order in itertools.permutations(factors):
        for inner in itertools.product(*(_bracket_variants(f) for f in order)):
            yield coefficient + "".join(inner)


def _bracket_variants(factor: str) -> list[str]:
    inner = factor[1:-1]
    return [factor, *(f"({v})" for v in _term_orders(inner))]


@lru_cache(maxsize=4096)
def _revealing_forms(answer: str) -> frozenset[str]:
    forms = {answer, *answer_surface_forms(answer)}
    return frozenset(fold(form).strip() for form in forms if form.strip())


def _find_numeric(text: str, forms: Iterable[str]) -> str | None:
    folded = fold(text)
    for form in sorted(forms, key=lambda f: (-len(f), f)):
        if _text_pattern(form).search(folded):
            return form
    return None


def _find_compact(text: str, forms: Iterable[str]) -> str | None:
    packed = compact(text)
    for form in sorted(forms, key=lambda f: (-len(f), f)):
        packed_form = compact(form)
        if packed_form and _compact_pattern(packed_form).search(packed):
            return form
    return None


def _same_value(kind: AnswerKind, answer_value: sympy.Basic, value: sympy.Basic) -> bool:
    # Both sides come from parse_canonical, so exact structural equality is the common case.
    if answer_value == value:
        return True
    try:
        return bool(values_equal(kind, answer_value, value))
    except (TypeError, ValueError):
        return False


def _find_set(text: str, answer_value: sympy.Basic) -> str | None:
    if answer_value == sympy.EmptySet or (
        isinstance(answer_value, sympy.FiniteSet) and len(answer_value) == 0
    ):
        lowered = fold(text).lower()
        packed = compact(text)
        for word in _EMPTY_SET_WORDS:
            if word in lowered or word in packed:
                return word
        return None
    groups: list[str] = re.findall(r"\{[^{}]*\}", compact(text))
    for group in groups:
        try:
            value = parse_canonical(group, AnswerKind.SET)
        except CanonicalAnswerError:
            continue
        if _same_value(AnswerKind.SET, answer_value, value):
            return group
    return None


def _find_pair(text: str, answer_value: sympy.Basic) -> str | None:
    packed = compact(text)
    groups: list[str] = re.findall(r"\([^()]*,[^()]*\)", packed)
    for group in groups:
        try:
            value = parse_canonical(group, AnswerKind.PAIR)
        except CanonicalAnswerError:
            continue
        if _same_value(AnswerKind.PAIR, answer_value, value):
            return group
    return None


def find_reveal(text: str, answer: str, kind: AnswerKind) -> str | None:
    """The form of the answer that `text` gives away, or None. `answer` must parse in `kind`."""
    answer_value = parse_canonical(answer, kind)
    forms = _revealing_forms(answer)
    if kind in NUMERIC_KINDS:
        if kind is AnswerKind.EQUATION:
            hit = _find_compact(text, {f for f in forms if not _is_numeric(f)})
            if hit:
                return hit
        return _find_numeric(text, forms) or _find_numeral(text, answer, kind)
    if kind is AnswerKind.SET:
        return _find_set(text, answer_value) or _find_compact(text, {f for f in forms if not _is_numeric(f)})
    if kind is AnswerKind.PAIR:
        return _find_pair(text, answer_value) or _find_compact(text, {f for f in forms if not _is_numeric(f)})
    # Expressions and products: the written answer and its reorderings, plus the checker's forms.
    packed_answer = compact(answer)
    variants = {packed_answer, *_term_orders(packed_answer)}
    if kind is AnswerKind.FACTORED:
        variants.update(_factor_orders(packed_answer))
    return _find_compact(text, forms | variants)
