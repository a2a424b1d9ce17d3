"""Reading a student's message as an answer of a given kind, before any comparison."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from src.answers.errors import ReadError, TooLargeError
from src.answers.extract import (
    is_empty_set_word,
    separate_items,
    strip_edges,
    strip_expression_unit,
    strip_frames,
    strip_markers,
)
from src.answers.kinds import AnswerKind
from src.answers.nodes import Bin, Name, Neg, Node, Num, Percent, Relation, SetNode
from src.answers.normalize import fold
from src.answers.parser import parse
from src.answers.result import Confidence
from src.answers.words import words_to_number

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

# One number in a sentence is a guess at the answer, unless the sentence hedges, compares, negates
# or describes a method: then the AI step should read it.
_CANDIDATE = re.compile(
    r"(?<![0-9.,/a-z])-?(?:[0-9]+ [0-9]+/[0-9]+|[0-9][0-9,]*(?:\.[0-9]+)?(?: ?/ ?[0-9]+)?|\.[0-9]+)%?"
    r"(?![0-9])"
)
_BLOCKING = re.compile(
    r"(?<![a-z\u0980-\u09ff])(?:between|and|or|to|from|not|no|isn't|isnt|approx|approximately|about|"
    r"around|almost|nearly|over|under|more|less|greater|than|multiply|multiplied|divide|divided|add|"
    r"added|subtract|subtracted|plus|minus|times|first|then|because|since|if|but|per|"
    # Requests and negations around a number: "hint 2", "12 is wrong", "can't be 12", "12 hobe na".
    r"hint|hints|clue|help|skip|pass|next|question|know|don't|dont|idk|wrong|incorrect|false|"
    r"can't|cant|cannot|never|na|nah|noy|vul|bhul|"
    # A scale word or সাড়ে we could not read changes the number: "সাড়ে 7.5", "12 thousand 5".
    r"hundred|hundreds|thousand|thousands|lakh|lakhs|lac|crore|crores|koti|million|millions|billion|"
    r"billions|dozen|dozens|hajar|"
    r"শ|শো|শত|হাজার|লাখ|লক্ষ|কোটি|ডজন|সাড়ে|দেড়|আড়াই|"
    r"মধ্যে|থেকে|এবং|ও|অথবা|বা|না|নয়|নাকি|প্রায়|বেশি|কম|গুণ|ভাগ|যোগ|বিয়োগ|প্রথমে|তারপর|কারণ|যদি|"
    r"কিন্তু|চেয়ে|ভুল|নেই|নাই|জানি|জানিনা|বুঝি|বুঝিনা|পারি|পারিনা|হিন্ট|ইঙ্গিত|সাহায্য|স্কিপ|বাদ|"
    r"পরের|প্রশ্ন)(?![a-z\u0980-\u09ff])|[?=+*/^<>]|[0-9] ?x ?[0-9]|[0-9](?:st|nd|rd|th)(?![a-z])"
)
# Anything but words, digits and plain punctuation means the sentence holds math we could not read.
_MATH_OR_SYMBOLS = re.compile(r"[^a-z0-9\s.,!'\"%৳:\-\u0980-\u09ff]")
_ASSIGNED_WORDS = re.compile(r"([a-z]) ?= ?(.+)")
_DECIMAL_WORDS = ("point", "দশমিক")
_LETTER_WORDS = re.compile(r"(?:[a-z] ?= ?)?[a-z]+(?:[ -]+[a-z]+)*")


@dataclass(frozen=True, slots=True)
class Reading:
    node: Node
    extraction: Confidence  # HIGH: typed on its own; MEDIUM: from a phrase or words; LOW: a guess
    # The whole text, when `node` is an expression read without a trailing unit that could also be
    # variables ("(6m + 6) m"): the judge weighs both readings.
    alternative: Reading | None = None


def _number_node(value: Fraction, *, decimal: bool) -> Node:
    magnitude = abs(value)
    if magnitude.denominator == 1:
        node: Node = Num(magnitude.numerator, 1, str(magnitude.numerator), decimal=False)
    elif decimal:
        text = f"{float(magnitude):.6f}".rstrip("0").rstrip(".")
        node = Num(magnitude.numerator, magnitude.denominator, text, decimal=True)
    else:
        numerator, denominator = magnitude.numerator, magnitude.denominator
        node = Bin(
            "/",
            Num(numerator, 1, str(numerator), decimal=False),
            Num(denominator, 1, str(denominator), decimal=False),
        )
    return Neg(node) if value < 0 else node


def _words(body: str) -> Node | None:
    """Number words: `twelve`, `বিশ টাকা`, `twenty five%`, `x = five`."""
    percent = body.endswith("%")
    text = body.removesuffix("%").strip()
    value = words_to_number(text)
    if value is not None:
        node = _number_node(value, decimal=any(w in text for w in _DECIMAL_WORDS))
        return Percent(node) if percent else node
    assigned = _ASSIGNED_WORDS.fullmatch(body)
    if assigned:
        value = words_to_number(assigned.group(2))
        if value is not None:
            number = _number_node(value, decimal=any(w in body for w in _DECIMAL_WORDS))
            return Relation((Name(assigned.group(1)), number))
    return None


# ঃ (visarga) is the colon on Bengali keyboards: ২ঃ৩ is 2 : 3.
_RATIO = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[:∶ঃ]\s*(\d+(?:\.\d+)?)\s*$")


def _single_number(text: str) -> Node | None:
    """The only number in a short sentence ("I got 12 apples"), if nothing in it casts doubt."""
    if _BLOCKING.search(text) or _MATH_OR_SYMBOLS.search(text) or len(text) > 80:
        return None
    candidates = _CANDIDATE.findall(text)
    if len(candidates) != 1:
        return None
    try:
        return parse(candidates[0], grouping=True)
    except TooLargeError:
        raise
    except ReadError:
        return None


def _parse_or_none(text: str) -> Node | None:
    try:
        return parse(text)
    except ReadError:  # TooLargeError too: this reading is only a second opinion
        return None


def _without_unit(body: str, confidence: Confidence) -> Reading | None:
    """An expression followed by a unit or currency ("4x + 25 tk"), read without it."""
    stripped = strip_expression_unit(body)
    node = None if stripped is None else _parse_or_none(stripped)
    if node is None:
        return None
    whole = _parse_or_none(body)
    alternative = None if whole is None else Reading(whole, confidence)
    return Reading(node, Confidence.MEDIUM, alternative)


def read_answer(text: str, kind: AnswerKind) -> Reading:
    """What the student's message says, as a syntax tree; raises ReadError or TooLargeError."""
    framed_text, framed = strip_frames(strip_edges(fold(text)))
    numeric = kind in NUMERIC_KINDS
    body = strip_markers(framed_text)[0] if numeric else framed_text
    confidence = Confidence.MEDIUM if framed else Confidence.HIGH
    if kind is AnswerKind.SET and is_empty_set_word(body):
        return Reading(SetNode(()), confidence if len(body) == 1 else Confidence.MEDIUM)
    ratio = _RATIO.match(body) if kind is AnswerKind.FRACTION else None
    if ratio is not None:
        # Ratio questions are stored as fractions ("girls : boys" as 2/3); students write "2 : 3".
        body, confidence = f"({ratio.group(1)})/({ratio.group(2)})", Confidence.MEDIUM
    if kind in (AnswerKind.PAIR, AnswerKind.SET):
        body, spaced = separate_items(body)
        if spaced:
            confidence = Confidence.MEDIUM
    if kind in (AnswerKind.EXPRESSION, AnswerKind.FACTORED):
        without_unit = _without_unit(body, confidence)
        if without_unit is not None:
            return without_unit
    if numeric and _LETTER_WORDS.fullmatch(body):
        # "six", "ten", "tin" (Banglish 3) parse as products of letters: number words come first when a
        # number is the answer.
        words = _words(body)
        if words is not None:
            return Reading(words, Confidence.MEDIUM)
    try:
        return Reading(parse(body, grouping=numeric), confidence)
    except TooLargeError:
        raise
    except ReadError:
        words = _words(body)
        if words is not None:
            return Reading(words, Confidence.MEDIUM)
        guess = _single_number(framed_text) if numeric else None
        if guess is not None:
            return Reading(guess, Confidence.LOW)
        raise
