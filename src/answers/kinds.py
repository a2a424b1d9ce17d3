"""The kinds of answer the problem library may use: each has one canonical written form."""

from enum import StrEnum


class AnswerKind(StrEnum):
    """What a canonical answer is, which decides how it is parsed and compared."""

    INTEGER = "integer"  # "42", "-7"
    DECIMAL = "decimal"  # "54.4", "0.75"
    FRACTION = "fraction"  # "3/4", "-2/5" (lowest terms)
    MIXED = "mixed"  # "1 1/2", "3 2/5"
    PERCENT = "percent"  # "25%", "12.5%" -- the value is the number before %
    MONEY = "money"  # "৳120", "৳1250.50" -- the value is the taka amount
    EXPRESSION = "expression"  # "2x + 6", "x^2 - 9" -- any equivalent expression is right
    FACTORED = "factored"  # "(x + 3)(x - 3)" -- equivalent AND written as a product
    EQUATION = "equation"  # "x = 5", "y = -3/2" -- a single variable's value
    PAIR = "pair"  # "(2, 3)" -- an ordered pair (x, y)
    SET = "set"  # "{1, 2, 3}", "{}" -- a finite set
