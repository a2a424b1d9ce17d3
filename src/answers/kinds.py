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


class Form(StrEnum):
    """How the answer must be written, beyond its value (a problem's `form:` in the library).

    The right value in another form is WRONG_FORM: not an attempt, the student is told what form is wanted.
    The last three are never written in the library: the checker names them for any problem (a
    calculation left undone, a percentage written as a fraction, an equation not yet solved).
    """

    LOWEST_TERMS = "lowest_terms"  # a fraction whose numerator and denominator share no factor
    MIXED_NUMBER = "mixed_number"  # 6 7/20, not 127/20
    IMPROPER_FRACTION = "improper_fraction"  # 23/5, not 4 3/5
    DECIMAL = "decimal"  # 6.4, not 64/10 or 32/5
    EXPANDED = "expanded"  # no brackets left, like terms collected: 4x^2 + 20x + 25
    FACTORISED = "factorised"  # a product of factors, fully factorised: 6a(2b - 3)
    SIMPLIFIED = "simplified"  # like terms collected, no brackets (for an expression), as `expanded`
    CALCULATED = "calculated"  # one number, not 450*1.2
    PERCENT = "percent"  # 25%, not 0.25
    SOLVED = "solved"  # x = 5, not 2x = 10


LIBRARY_FORMS = (
    Form.LOWEST_TERMS,
    Form.MIXED_NUMBER,
    Form.IMPROPER_FRACTION,
    Form.DECIMAL,
    Form.EXPANDED,
    Form.FACTORISED,
    Form.SIMPLIFIED,
)
