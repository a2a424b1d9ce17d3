"""Units of the same quantity: "২ ঘণ্টা" is the right amount for an answer of 120 minutes, in another unit.

A problem's answer unit comes from its question ("How many minutes…", "in square metres"); a student's from
the word after the number. Each unit is a multiple of its quantity's base unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from src.answers.normalize import fold, fold_word


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    quantity: str
    factor: Fraction  # in the quantity's base unit
    en: str  # "minutes": "What is it in minutes?"
    bn: str  # "মিনিটে": "মিনিটে লিখলে কত হবে?"


_TABLE: tuple[tuple[str, str, Fraction, str, str, str], ...] = (
    # id, quantity, factor, English name, Bengali locative, the words students write (folded)
    ("second", "time", Fraction(1), "seconds", "সেকেন্ডে", "s;sec;secs;second;seconds;সেকেন্ড"),
    ("minute", "time", Fraction(60), "minutes", "মিনিটে", "min;mins;minute;minutes;মিনিট"),
    ("hour", "time", Fraction(3600), "hours", "ঘণ্টায়", "h;hr;hrs;hour;hours;ঘণ্টা;ঘন্টা"),
    ("day", "time", Fraction(86400), "days", "দিনে", "day;days;দিন"),
    ("week", "time", Fraction(604800), "weeks", "সপ্তাহে", "week;weeks;সপ্তাহ"),
    ("month", "calendar", Fraction(1), "months", "মাসে", "month;months;মাস"),
    ("year", "calendar", Fraction(12), "years", "বছরে", "year;years;yr;yrs;বছর;বৎসর"),
    (
        "mm",
        "length",
        Fraction(1),
        "millimetres",
        "মিলিমিটারে",
        "mm;millimetre;millimetres;millimeter;millimeters;মিমি;মি.মি.;মিলিমিটার",
    ),
    (
        "cm",
        "length",
        Fraction(10),
        "centimetres",
        "সেন্টিমিটারে",
        "cm;centimetre;centimetres;centimeter;centimeters;সেমি;সে.মি.;সে.মি;সেন্টিমিটার",
    ),
    ("m", "length", Fraction(1000), "metres", "মিটারে", "m;metre;metres;meter;meters;মিটার;মি.;মি"),
    (
        "km",
        "length",
        Fraction(1_000_000),
        "kilometres",
        "কিলোমিটারে",
        "km;kilometre;kilometres;kilometer;kilometers;কিমি;কি.মি.;কি.মি;কিলোমিটার",
    ),
    ("mg", "mass", Fraction(1, 1000), "milligrams", "মিলিগ্রামে", "mg;milligram;milligrams;মিলিগ্রাম"),
    ("g", "mass", Fraction(1), "grams", "গ্রামে", "g;gm;gms;gram;grams;গ্রাম"),
    (
        "kg",
        "mass",
        Fraction(1000),
        "kilograms",
        "কিলোগ্রামে",
        "kg;kgs;kilogram;kilograms;kilo;কেজি;কি.গ্রা.;কিলোগ্রাম;কিলো",
    ),
    (
        "ml",
        "volume",
        Fraction(1),
        "millilitres",
        "মিলিলিটারে",
        "ml;millilitre;millilitres;milliliter;milliliters;মিলি;মিলিলিটার",
    ),
    ("l", "volume", Fraction(1000), "litres", "লিটারে", "l;lt;ltr;litre;litres;liter;liters;লিটার;লি."),
    ("taka", "money", Fraction(100), "taka", "টাকায়", "tk;tk.;taka;bdt;টাকা;৳"),
    ("poisha", "money", Fraction(1), "poisha", "পয়সায়", "paisa;poisa;poisha;পয়সা"),
)
UNITS: dict[str, Unit] = {row[0]: Unit(*row[:5]) for row in _TABLE}
_BY_WORD: dict[str, str] = {fold_word(w): row[0] for row in _TABLE for w in row[5].split(";")}
_AREA = {"mm": "sq_mm", "cm": "sq_cm", "m": "sq_m", "km": "sq_km"}
for _length, _area in _AREA.items():
    _unit = UNITS[_length]
    UNITS[_area] = Unit(_area, "area", _unit.factor**2, f"square {_unit.en}", f"বর্গ{_unit.bn}")

_WORDS = "|".join(re.escape(w) for w in sorted(_BY_WORD, key=len, reverse=True))
_SQUARE_BEFORE = r"(?:sq\.?|square|বর্গ)\s*"
_SQUARE_AFTER = r"(?:\s*\^?\s*2|\s*sq\.?|\s*square)"
# The unit after the student's number: "2 ঘণ্টা", "2hours", "1.5 sq m", "12 cm^2", "3 টাকা".
_STUDENT_UNIT = re.compile(
    rf"(?<=[0-9a-z\u0980-\u09ff)\s])\s*(?P<square>{_SQUARE_BEFORE})?(?P<word>{_WORDS})(?P<after>{_SQUARE_AFTER})?\.?\s*$"
)
# The unit a question asks for: "How many minutes…", "…in square metres?", "(in cm)".
_ASKED_UNIT = re.compile(
    r"(?:\bin|how many|how much)\s+(?P<square>(?:square|sq\.?)\s+)?(?P<word>[a-z.]+)",
    re.IGNORECASE,
)


def _unit_of(word: str, square: bool) -> Unit | None:
    unit_id = _BY_WORD.get(fold_word(word))
    if unit_id is None:
        return None
    if square:
        area = _AREA.get(unit_id)
        return None if area is None else UNITS[area]
    return UNITS[unit_id]


def student_unit(text: str) -> Unit | None:
    """The unit written after the number, if the message ends with one."""
    match = _STUDENT_UNIT.search(fold(text))
    if match is None:
        return None
    return _unit_of(match.group("word"), bool(match.group("square") or match.group("after")))


def asked_unit(question_en: str) -> Unit | None:
    """The one unit the question asks the answer in, or None (none, or more than one)."""
    found = {
        unit.id
        for match in _ASKED_UNIT.finditer(question_en)
        if (unit := _unit_of(match.group("word").rstrip("."), bool(match.group("square")))) is not None
        and len(match.group("word").rstrip(".")) > 1  # "in m" is too easily another word
    }
    return UNITS[found.pop()] if len(found) == 1 else None


def unit_nudge(unit: Unit) -> tuple[str, str]:
    """(English, Bengali) for the right amount in another unit."""
    return f"Right! What is it in {unit.en}?", f"ঠিক! {unit.bn} লিখলে কত হবে?"
