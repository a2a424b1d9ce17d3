"""What a skill is, and the order skills are taught in.

A skill is what mastery is estimated for and what selection plans by. Until the library names each problem's
NCTB chapter it is the problem's topic; `skill_of` is the one place that says so. When problems carry their
chapter, `skill_of` returns it (and the candidate query in src/practice/service.py reads that column).
"""

from __future__ import annotations

from typing import Protocol


class HasTopic(Protocol):
    @property
    def topic(self) -> str: ...


def skill_of(problem: HasTopic) -> str:
    """The skill a problem exercises (its topic, for now: see the module docstring)."""
    return problem.topic


# The library's topics in the order the NCTB textbooks teach them, grades 6, 7 and 8 interleaved: within any
# one grade the relative order is that grade's chapter order (grades 7 and 8 share four names, whose order
# agrees). A stand-in for prerequisites until the library has chapters; a skill not listed comes after these,
# alphabetically.
SYLLABUS_ORDER = (
    "Natural Numbers",
    "LCM & HCF",
    "Fractions",
    "Decimals",
    "Ratio",
    "Percentage",
    "Integers",
    "Algebraic Expressions",
    "Simple Equations",
    "Geometry & Measurement",
    "Rational Numbers",
    "Squares & Square Roots",
    "Ratio & Proportion",
    "Profit & Loss",
    "Profit",
    "Measurement",
    "Algebraic Formulas",
    "Factorisation",
    "Linear Equations",
    "Simultaneous Equations",
    "Sets",
    "Triangles",
    "Quadrilaterals & Circles",
    "Statistics",
)
_RANK = {skill: rank for rank, skill in enumerate(SYLLABUS_ORDER)}


def syllabus_key(skill: str) -> tuple[int, str]:
    """Sort key: the syllabus position, unknown skills last (alphabetically)."""
    return (_RANK.get(skill, len(_RANK)), skill)


__all__ = ["SYLLABUS_ORDER", "HasTopic", "skill_of", "syllabus_key"]
