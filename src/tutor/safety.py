"""Is a model-written hint fit to show? Code decides: no answer given away, right size, right language.

The reveal check is the library's (src.content.reveal.find_reveal: number boundaries, both digit scripts,
equivalent forms of the value, reordered expressions), backed by a plain search for every surface form
of the answer (src.answers.answer_surface_forms) so that a failure of one check never lets a hint through.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from enum import StrEnum
from fractions import Fraction

from src.answers import AnswerKind, answer_surface_forms, infer_kind, parse_canonical
from src.answers.normalize import fold_word, to_ascii_digits
from src.answers.words import words_to_number
from src.content.reveal import find_reveal, numerals

logger = logging.getLogger(__name__)

MAX_HINT_CHARS = 400
_BENGALI_LETTER = re.compile(r"[\u0985-\u09b9\u09dc-\u09df]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


class Rejection(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    TRUNCATED = "truncated"  # stopped at max_tokens: half a sentence
    REFUSED = "refused"
    WRONG_LANGUAGE = "wrong_language"
    REVEALS_ANSWER = "reveals_answer"


def clean_hint(text: str) -> str:
    """The model's text as a chat message: trimmed, one paragraph, no markdown emphasis or quotes around,
    no control characters."""
    # A stray control character (NUL, escape, ...) is invisible noise in an otherwise good hint: dropping it
    # keeps the personalised hint the student asked for (and we paid for), where rejecting it would show
    # the curated one. It must go: PostgreSQL refuses NUL in text, so storing the hint failed the request.
    # Whitespace controls (newline, tab, ...) become spaces below, and format characters such as the zero
    # width joiners of Bengali script are not controls (category Cf), so they stay.
    text = "".join(char for char in text if char.isspace() or unicodedata.category(char) != "Cc")
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"[*_`#]+", "", text).strip()
    return text.strip("\"'“”").strip()


def reveals_answer(text: str, canonical: str) -> str | None:
    """The form of the answer that `text` gives away, or None."""
    hit: str | None = None
    try:
        hit = find_reveal(text, canonical, infer_kind(canonical))
    except Exception:  # a library answer the checker cannot read: the plain search below still runs
        logger.warning("reveal check failed for answer %r; using the plain search", canonical, exc_info=True)
    return hit or _plain_reveal(text, canonical) or _worded_reveal(text, canonical)


def _plain_reveal(text: str, canonical: str) -> str | None:
    haystacks = {text, to_ascii_digits(text)}
    for form in sorted(answer_surface_forms(canonical), key=len, reverse=True):
        if not form.strip():
            continue
        # Whole tokens only: 12 is not in 120, 1.25 or 5x12a; a form ending in a digit must not run on.
        start = r"(?<![\w.,/^])" if form[0].isalnum() else ""
        end = r"(?![\w^])(?![.,/]\d)" if form[-1].isalnum() else ""
        pattern = re.compile(start + re.escape(form) + end, re.IGNORECASE)
        if any(pattern.search(haystack) for haystack in haystacks):
            return form
    return None


_WORDED_KINDS = frozenset(
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
_MAX_NUMBER_WORDS = 6


def _worded_reveal(text: str, canonical: str) -> str | None:
    """The answer written in words ("one hundred fifty", "একশো পঞ্চাশ", "three quarters").

    Single-digit whole answers are left out: "two" and "five" are everyday words in a hint ("the two
    prices"), and rejecting every such hint would pay for calls whose hints are then thrown away.
    """
    try:
        kind = infer_kind(canonical)
        if kind not in _WORDED_KINDS:
            return None
        value = parse_canonical(canonical, kind)
        target = Fraction(int(value.p), int(value.q))
    except (ValueError, AttributeError, TypeError):
        return None
    if target.denominator == 1 and abs(target) < 10:
        return None
    words = [w for w in re.split(r"[^\w\u0980-\u09ff'-]+", fold_word(text)) if w]
    for start in range(len(words)):
        for end in range(start + 1, min(start + _MAX_NUMBER_WORDS, len(words)) + 1):
            phrase = " ".join(words[start:end])
            if words_to_number(phrase) == target:
                return phrase
    return None


def written_in(text: str, language: str) -> bool:
    """Mostly in the student's language: Bengali letters for "bn", Latin letters for "en"."""
    bengali = len(_BENGALI_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    if language == "bn":
        return bengali >= max(1, latin)
    return latin >= max(1, bengali)


def reject_hint(text: str, stop_reason: str | None, *, canonical: str, language: str) -> Rejection | None:
    """Why this hint must not be shown, or None when it may be."""
    if stop_reason == "refusal":
        return Rejection.REFUSED
    if stop_reason == "max_tokens":
        return Rejection.TRUNCATED
    if not text:
        return Rejection.EMPTY
    if len(text) > MAX_HINT_CHARS:
        return Rejection.TOO_LONG
    if not written_in(text, language):
        return Rejection.WRONG_LANGUAGE
    if reveals_answer(text, canonical):
        return Rejection.REVEALS_ANSWER
    return None


def quotes_student(text: str, student_answer: str, known_texts: list[str]) -> bool:
    """Does the hint repeat a number of the student's answer that the problem and its hints do not have?

    Such a hint is fine for this student but must not be stored for others with the same kind of mistake.
    """
    known = {value for source in known_texts for _, value, _ in numerals(source)}
    theirs = {value for _, value, _ in numerals(student_answer)} - known
    return any(value in theirs for _, value, _ in numerals(text))
