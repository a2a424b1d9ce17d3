"""Is a model-written hint fit to show? Code decides: no answer given away, right size, right language.

The reveal check is the library's (src.content.reveal.find_reveal: number boundaries, both digit scripts,
equivalent forms of the value, reordered expressions), backed by a plain search for every surface form
of the answer (src.answers.answer_surface_forms) and for the answer in number words, so that a failure of
one check never lets a hint through.

A compromised model hides the answer ("4 6", "১৪\u200b.২৯", "one-two-eight"), so every check runs on
each reading of the hint (`hint_readings`): as written; folded as the answer checker folds a student's
message (src.answers.normalize.fold: invisible and format characters dropped, every space and dash one
kind, every digit script ASCII, full-width and styled letters plain); and that folded text with runs of
digits, or of digit words, that are set apart by spaces, hyphens or commas joined into one number.

One-digit answers: the digit itself, in any script, is refused anywhere in a hint (as every numeral with
the answer's value is); its word ("two", "পাঁচ") is refused only next to an answer cue ("the answer is
five", "x = পাঁচ", "write seven as your answer"), because "the two prices" is how hints are written.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from enum import StrEnum
from fractions import Fraction

from src.answers import AnswerKind, answer_surface_forms, infer_kind, parse_canonical
from src.answers.normalize import BIDI_CONTROLS, fold, fold_word, to_ascii_digits
from src.answers.words import digit_word, may_be_number_word, words_to_number
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


# Combining marks outside the Bengali block (an accent on a digit) change nothing a reader takes in.
_FOREIGN_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_WORD = re.compile(r"[0-9]+(?:\.[0-9]+)?|(?:[^\W\d_]|[\u0980-\u09ff])+")
_WORD_GAP = re.compile(r"[\s\-_,]*")  # what may stand between the digit words of one disguised number
_DIGIT_GAP = re.compile(r"[ _]*|-")  # ... and between its digits: not a comma (a list)
_DIGIT_GAP_OR_MINUS = re.compile(r"[ _]*| *- *")  # in one more reading, also " - " ("১ - ২ - ৫")
_POINT_WORDS = frozenset({"point", fold_word("দশমিক"), "doshomik"})
_SPACED_DECIMAL_POINT = re.compile(r"(?<=\d) *\. *(?=\d)")
# Groups of digits set apart (1 1 0 4 0, 11 040, 1-2-8), not the whole of a mixed number (2 7/12).
_DIGIT_GROUPS = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?:(?:[ _]+|-)\d+(?:\.\d+)?)+(?![\d/])")
_DIGIT_GROUPS_OR_MINUS = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?:(?:[ _]+| *- *)\d+(?:\.\d+)?)+(?![\d/])")

# A right-to-left override shows what follows it reversed ("\u202e21" is shown as 12), up to the next
# pop (U+202C), isolate end (U+2069) or line end.
_RIGHT_TO_LEFT_OVERRIDE = re.compile("\u202e([^\u202c\u2069\n]*)")


def hint_readings(text: str, *, every_digit_word: bool = True) -> list[str]:
    """The hint as written, folded like a student's answer, and folded with disguised numbers joined; for a
    hint with a right-to-left override, the same again for the text as it is shown.

    `every_digit_word`: also a reading with each digit word as its digit ("{one, four}", "four/15"); not
    for a one-digit answer, whose word is judged by its context instead (see the module's docstring).
    """
    readings = [text]
    shown = _RIGHT_TO_LEFT_OVERRIDE.sub(lambda m: m.group(1)[::-1], text)
    for source in dict.fromkeys([text, shown]):
        folded = _FOREIGN_MARKS.sub("", fold(BIDI_CONTROLS.sub("", source)))
        readings.append(folded)
        variants = [_join_digit_runs(folded, commas=True), _join_digit_runs(folded, commas=False)]
        if every_digit_word:
            variants += [_each_digit_word(variant) for variant in variants]
        readings += [_join_groups(variant, _DIGIT_GROUPS) for variant in variants]
        # A minus sign between digits is usually one (১৩৫০ - ১২০০), but "১ - ২ - ৫" spells 125: one more
        # reading joins across it (a hint with a subtraction that happens to spell the answer is refused).
        spaced = _join_digit_runs(folded, commas=True, minus=True)
        readings.append(_join_groups(spaced, _DIGIT_GROUPS_OR_MINUS))
    return list(dict.fromkeys(readings))


def _join_groups(text: str, groups: re.Pattern[str]) -> str:
    spaced = _SPACED_DECIMAL_POINT.sub(".", text)
    return groups.sub(lambda m: re.sub(r"[ _-]", "", m.group()), spaced)


def _digit_of(word: str) -> tuple[str, str] | None:
    """The digit a token stands for in a number spelled out (4, four, চার), or its point, with the kind of
    token (a run is of one kind: "at" and "sat" are Banglish digits, but not in "five four at the end")."""
    if len(word) == 1 and word.isdigit():
        return word, "digit"
    if word in _POINT_WORDS:
        return ".", "point"
    named = digit_word(word)
    return None if named is None else (str(named[0]), named[1])


def _each_digit_word(folded: str) -> str:
    def digit(match: re.Match[str]) -> str:
        named = digit_word(match.group())  # not Banglish: "at", "sat", "tin" are English words too
        return match.group() if named is None or named[1] == "banglish" else str(named[0])

    return _WORD.sub(digit, folded)


def _join_digit_runs(folded: str, *, commas: bool, minus: bool = False) -> str:
    """Two or more single digits or digit words in a row, set apart only by spaces, hyphens or underscores
    (digit words also by commas, when `commas`; digits also by " - ", when `minus`), as the one number
    they spell: "4 6" -> 46, "one-two-eight" -> 128, "চার, ছয়" -> 46."""
    digit_gap = _DIGIT_GAP_OR_MINUS if minus else _DIGIT_GAP
    words = list(_WORD.finditer(folded))
    out: list[str] = []
    position = 0
    index = 0
    while index < len(words):
        end = index
        digits: list[str] = []
        kinds: set[str] = set()
        while end < len(words):
            found = _digit_of(words[end].group())
            if found is None:
                break
            digit, kind = found
            if end > index:
                gap = folded[words[end - 1].end() : words[end].start()]
                joins = digit_gap if kind == "digit" or not commas else _WORD_GAP
                if not joins.fullmatch(gap) or (kind != "point" and kinds and kind not in kinds):
                    break
            if kind != "point":
                kinds.add(kind)
            digits.append(digit)
            end += 1
        # The whole of a mixed number stays apart: 2 7/12 is not 27/12.
        while end - index >= 2 and folded[words[end - 1].end() :].startswith("/"):
            end -= 1
            digits.pop()
        number = "".join(digits).strip(".")
        if sum(d.isdigit() for d in digits) >= 2 and ".." not in number:
            out.append(folded[position : words[index].start()] + number)
            position = words[end - 1].end()
            index = end
        else:
            index += 1
    out.append(folded[position:])
    return "".join(out)


def reveals_answer(text: str, canonical: str) -> str | None:
    """The form of the answer that `text` gives away, in any of its readings, or None."""
    readings = hint_readings(text, every_digit_word=not _one_digit(canonical))
    for reading in readings:
        hit = _reveal_in(reading, canonical)
        if hit:
            return hit
    # Number words survive folding, and only folding: the other readings have their digit words as digits.
    for reading in readings[:2]:
        hit = _worded_reveal(reading, canonical)
        if hit:
            return hit
    return None


def _reveal_in(text: str, canonical: str) -> str | None:
    hit: str | None = None
    try:
        hit = find_reveal(text, canonical, infer_kind(canonical))
    except Exception:  # a library answer the checker cannot read: the plain search below still runs
        logger.warning("reveal check failed for answer %r; using the plain search", canonical, exc_info=True)
    return hit or _plain_reveal(text, canonical)


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
_MAX_NUMBER_WORDS = 12  # as many as the checker reads (src.answers.words.words_to_number)


# Words that announce an answer: a one-digit answer's word next to one of these gives it away.
_CUES = frozenset(
    fold_word(w)
    for w in [
        "answer",
        "answers",
        "ans",
        "result",
        "equals",
        "equal",
        "value",
        "solution",
        "উত্তর",
        "উত্তরঃ",
        "উঃ",
        "ফল",
        "ফলাফল",
        "সমান",
        "মান",
        "হবে",
        "হলো",
        "হল",
        "সমাধান",
        "uttor",
    ]
)
_CUE_REACH = 3  # words between the cue and the number
_ENGLISH_LOOKALIKES = frozenset({"at", "sat", "tin", "char"})  # Banglish 8, 7, 3, 4, and English words


def _one_digit(canonical: str) -> bool:
    """Is the answer a whole number of one digit (7, x = 5, ৳9)?"""
    return re.fullmatch(r"(?:[a-z] *= *|৳)?-?[0-9০-৯]", canonical.strip()) is not None


def _worded_reveal(text: str, canonical: str) -> str | None:
    """The answer written in words ("one hundred fifty", "একশো পঞ্চাশ", "three quarters").

    Single-digit whole answers only next to an answer cue ("the answer is five", "x = five"): "two" and
    "five" are everyday words in a hint ("the two prices"), and rejecting every such hint would pay for
    calls whose hints are then thrown away.
    """
    try:
        kind = infer_kind(canonical)
        if kind not in _WORDED_KINDS:
            return None
        value = parse_canonical(canonical, kind)
        target = Fraction(int(value.p), int(value.q))
    except (ValueError, AttributeError, TypeError):
        return None
    one_digit = target.denominator == 1 and abs(target) < 10
    folded = fold_word(text)
    spans = [m for m in re.finditer(r"[^\s,;:.!?।()\[\]{}\"৳$]+", folded) if m.group() != "'"]
    words = [m.group().strip("'") for m in spans]
    parts = [may_be_number_word(word) or words_to_number(word) is not None for word in words]
    for start in range(len(words)):
        for end in range(start + 1, min(start + _MAX_NUMBER_WORDS, len(words)) + 1):
            if not parts[end - 1]:
                break
            phrase = " ".join(words[start:end])
            if words_to_number(phrase) != target:
                continue
            if not one_digit or _cued(folded, words, spans[start].start(), start, end):
                return phrase
    return None


def _cued(folded: str, words: list[str], offset: int, start: int, end: int) -> bool:
    """Does an answer cue stand within reach of words[start:end] (or an = sign just before it)?"""
    if words[start] in _ENGLISH_LOOKALIKES:
        return False
    if folded[:offset].rstrip().endswith("="):
        return True
    nearby = words[max(0, start - _CUE_REACH) : start] + words[end : end + _CUE_REACH]
    return any(word.strip("=:ঃ") in _CUES or word == "=" for word in nearby)


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
