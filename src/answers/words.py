"""Small numbers written as words, in English and Bengali (also common Banglish spellings).

Bengali has a separate word for every number up to 99, so those are a table, not a grammar; larger
numbers combine them with শ/শো (hundred), হাজার (thousand) and লাখ (lakh).
"""

from __future__ import annotations

import re
from fractions import Fraction

from src.answers.normalize import fold_word


def _split(words: str) -> list[str]:
    return words.split()


_ENGLISH_UNITS = _split(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
)
_ENGLISH_TENS = _split("twenty thirty forty fifty sixty seventy eighty ninety")
_ENGLISH_ORDINALS = {  # denominators: "three quarters", "two fifths"
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "fourth": 4,
    "fourths": 4,
    "quarter": 4,
    "quarters": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "seventh": 7,
    "sevenths": 7,
    "eighth": 8,
    "eighths": 8,
    "ninth": 9,
    "ninths": 9,
    "tenth": 10,
    "tenths": 10,
}

# Index = value. Variants after "|" are other common spellings of the same number.
_BENGALI_0_TO_100 = _split("""
শূন্য|শুন্য|শূণ্য এক|একটা|একটি দুই|দুটি|দুটো|দুইটা তিন|তিনটি|তিনটা চার|চারটি|চারটা পাঁচ|পাচ ছয়|ছয় সাত
আট নয় দশ এগারো|এগার বারো|বার তেরো|তের চৌদ্দ পনেরো|পনের ষোল|ষোলো সতেরো|সতের আঠারো|আঠার উনিশ|ঊনিশ বিশ|কুড়ি
একুশ বাইশ তেইশ চব্বিশ পঁচিশ ছাব্বিশ সাতাশ আটাশ উনত্রিশ|ঊনত্রিশ ত্রিশ|তিরিশ
একত্রিশ বত্রিশ তেত্রিশ চৌত্রিশ পঁয়ত্রিশ ছত্রিশ সাঁইত্রিশ আটত্রিশ উনচল্লিশ|ঊনচল্লিশ চল্লিশ
একচল্লিশ বিয়াল্লিশ তেতাল্লিশ চুয়াল্লিশ পঁয়তাল্লিশ ছেচল্লিশ সাতচল্লিশ আটচল্লিশ উনপঞ্চাশ|ঊনপঞ্চাশ পঞ্চাশ
একান্ন বাহান্ন|বায়ান্ন তিপ্পান্ন চুয়ান্ন পঞ্চান্ন ছাপ্পান্ন সাতান্ন আটান্ন উনষাট|ঊনষাট ষাট
একষট্টি বাষট্টি তেষট্টি চৌষট্টি পঁয়ষট্টি ছেষট্টি সাতষট্টি আটষট্টি উনসত্তর|ঊনসত্তর সত্তর
একাত্তর বাহাত্তর তিয়াত্তর চুয়াত্তর পঁচাত্তর ছিয়াত্তর সাতাত্তর আটাত্তর উনআশি|ঊনআশি আশি
একাশি বিরাশি তিরাশি চুরাশি পঁচাশি ছিয়াশি সাতাশি অষ্টাশি উননব্বই|ঊননব্বই নব্বই
একানব্বই বিরানব্বই তিরানব্বই চুরানব্বই পঁচানব্বই ছিয়ানব্বই সাতানব্বই আটানব্বই নিরানব্বই একশ|একশো|একশত|একশ'
""")
_BANGLISH = _split(
    "shunno ek dui tin char pach choy sat at noy dosh egaro baro tero choddo ponero sholo sotero "
    "atharo unish bish"
)

_BENGALI: dict[str, int] = {}
for _value, _spellings in enumerate(_BENGALI_0_TO_100):
    for _spelling in _spellings.split("|"):
        _BENGALI[fold_word(_spelling)] = _value
_BENGALI_SMALL = {word: value for word, value in _BENGALI.items() if value < 100}
_HUNDRED_SUFFIXES = tuple(fold_word(s) for s in ("শত", "শো", "শ'", "শ"))
_BENGALI_HUNDRED = {fold_word(w) for w in ("শ", "শো", "শত")}
_ENGLISH_HUNDRED = {"hundred", "hundreds"}
_THOUSAND = {"thousand", "thousands", fold_word("হাজার"), "hajar"}
_LAKH = {"lakh", "lac", "lakhs", fold_word("লাখ"), fold_word("লক্ষ")}
_CRORE = {"crore", "crores", "koti", fold_word("কোটি")}
_MILLION = {"million", "millions"}
_BILLION = {"billion", "billions"}
# Words that multiply the number before them: 12 হাজার, 1.2 lakh, 2 dozen.
_SCALES: dict[str, int] = {
    **{word: 100 for word in (*_ENGLISH_HUNDRED, *_BENGALI_HUNDRED)},
    **{word: 1000 for word in _THOUSAND},
    **{word: 100_000 for word in _LAKH},
    **{word: 10_000_000 for word in _CRORE},
    **{word: 1_000_000 for word in _MILLION},
    **{word: 1_000_000_000 for word in _BILLION},
    **{word: 12 for word in ("dozen", "dozens", fold_word("ডজন"), "dojon")},
}
_NUMERAL = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,6})?")
_MINUS = {"minus", "negative", fold_word("মাইনাস"), fold_word("ঋণাত্মক")}
_POINT = {"point", fold_word("দশমিক")}
_SPECIAL = {fold_word("দেড়"): Fraction(3, 2), fold_word("আড়াই"): Fraction(5, 2)}
# সাড়ে adds half of the place it stands before: সাড়ে তিন = 3 1/2, সাড়ে চারশ = 450, সাড়ে তিন হাজার = 3500.
_AND_A_HALF = fold_word("সাড়ে")
_HALF = {fold_word("অর্ধেক"), "half"}

_ENGLISH: dict[str, int] = {word: value for value, word in enumerate(_ENGLISH_UNITS)}
_ENGLISH.update({word: 20 + 10 * i for i, word in enumerate(_ENGLISH_TENS)})
_SMALL: dict[str, int] = {**_ENGLISH, **_BENGALI_SMALL}
_SMALL.update({word: value for value, word in enumerate(_BANGLISH)})
_SPLIT = re.compile(r"[\s\-]+")


def _small(word: str) -> int | None:
    """0-99 as one word, or a Bengali fused hundreds word (দুইশ, পাঁচশো) as 200, 500."""
    if word in _SMALL:
        return _SMALL[word]
    if word in _BENGALI:
        return _BENGALI[word]
    for suffix in _HUNDRED_SUFFIXES:
        if word.endswith(suffix) and word[: -len(suffix)] in _BENGALI_SMALL:
            multiplier = _BENGALI_SMALL[word[: -len(suffix)]]
            if 1 <= multiplier <= 9:
                return multiplier * 100
    return None


def _integer(words: list[str]) -> int | None:
    """Place-value reading of an integer in words; None if the words are not a well-formed number."""
    total, group = 0, 0
    seen = False
    for word in words:
        if word in ("and", "a"):  # "one hundred and five", "a hundred"
            continue
        value = _small(word)
        if value is not None:
            below_hundred = group % 100
            is_english_unit = word in _ENGLISH and value < 20
            joins_tens = is_english_unit and 0 < value < 10 and below_hundred >= 20
            if below_hundred and not (joins_tens and below_hundred % 10 == 0):
                return None
            if value == 0 and (seen or len(words) > 1):
                return None
            group += value
        elif word in _ENGLISH_HUNDRED or word in _BENGALI_HUNDRED:
            if group % 100 == 0 and group:
                return None
            group = (group or 1) * 100
        elif word in _SCALES and _SCALES[word] >= 1000:
            scale = _SCALES[word]
            if total and total < scale * 100:
                return None
            total, group = total + (group or 1) * scale, 0
        else:
            return None
        seen = True
    return total + group if seen else None


def _count(word: str) -> Fraction | None:
    """A number written as one word or in digits (the digits are already ASCII): চার, twelve, 1.2."""
    if _NUMERAL.fullmatch(word):
        return Fraction(word)
    value = _small(word)
    return None if value is None else Fraction(value)


def _placed(words: list[str]) -> tuple[Fraction, int] | None:
    """A count of one place value and that place: তিন হাজার -> (3000, 1000), চারশ -> (400, 100),
    12 thousand -> (12000, 1000), সাত -> (7, 1)."""
    if len(words) == 2 and words[1] in _SCALES:
        count = _count(words[0])
        return None if count is None else (count * _SCALES[words[1]], _SCALES[words[1]])
    if len(words) == 1:
        count = _count(words[0])
        if count is None:
            return None
        # Fused hundreds (চারশ, একশ) are the only single words past 99.
        return (count, 100) if count >= 100 and not _NUMERAL.fullmatch(words[0]) else (count, 1)
    return None


def _special(words: list[str]) -> Fraction | None:
    """দেড় (1 1/2) and আড়াই (2 1/2), alone or times a place: দেড় হাজার = 1500, আড়াইশ = 250."""
    if len(words) == 1:
        for prefix, value in _SPECIAL.items():
            rest = words[0].removeprefix(prefix)
            if rest == "":
                return value
            if rest != words[0] and rest in _HUNDRED_SUFFIXES:
                return value * 100
    if len(words) == 2 and words[0] in _SPECIAL and words[1] in _SCALES:
        return _SPECIAL[words[0]] * _SCALES[words[1]]
    return None


def _and_a_half(words: list[str]) -> Fraction | None:
    placed = _placed(words)
    if placed is None or placed[0].denominator != 1:
        return None
    value, place = placed
    return value + Fraction(place, 2)


def _fraction_words(words: list[str]) -> Fraction | None:
    """`three quarters`, `one half`, `two and a half`, `half`, `দেড়`, `সাড়ে তিন`."""
    special = _special(words)
    if special is not None:
        return special
    if len(words) == 1 and words[0] in _HALF:
        return Fraction(1, 2)
    if len(words) >= 2 and words[0] == _AND_A_HALF:
        return _and_a_half(words[1:])
    if len(words) >= 4 and words[-3:] == ["and", "a", "half"]:
        whole = _integer(words[:-3])
        return None if whole is None else whole + Fraction(1, 2)
    if len(words) >= 2 and words[-1] in _ENGLISH_ORDINALS:
        numerator = _integer(words[:-1])
        if numerator is None or numerator == 0:
            return None
        return Fraction(numerator, _ENGLISH_ORDINALS[words[-1]])
    return None


def _decimal_words(words: list[str]) -> Fraction | None:
    """`two point five`, `তিন দশমিক পাঁচ`: digits after the point are read one word each."""
    index = next(i for i, word in enumerate(words) if word in _POINT)
    whole = _integer(words[:index]) if index else 0
    digits = [_small(word) for word in words[index + 1 :]]
    if whole is None or not digits or any(d is None or d > 9 for d in digits):
        return None
    return Fraction(f"{whole}." + "".join(str(d) for d in digits))


# Everyday spellings of English number words that are more than one edit away, or too short to correct.
_ENGLISH_VARIANTS = {"fourty": "forty", "ninty": "ninety", "nintey": "ninety"}
# The English words a misspelling may be corrected to. A word is corrected only when it is one edit
# (a letter added, dropped, changed, or two neighbours swapped) from exactly one of them, and is no word
# of any list itself: "forteen" is fourteen, but "sixts" (sixty? sixth?) is nothing.
_ENGLISH_VOCABULARY = frozenset(
    {*_ENGLISH, *_ENGLISH_ORDINALS, *_ENGLISH_HUNDRED, "thousand", "thousands", "lakh", "lakhs"}
    | {"crore", "crores", *_MILLION, *_BILLION, "dozen", "dozens", "point", "minus", "negative", "half"}
)
_MIN_CORRECTED_LENGTH = 5  # "there" is not three, nor "sever" seven: short words are taken as typed
_NOT_CORRECTED = frozenset({"there", "these", "forth", "fight", "sever", "eights", "tents", "nights"})


def _one_edit_apart(a: str, b: str) -> bool:
    """Damerau distance exactly 1 (the strings differ)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _known(word: str) -> bool:
    return (
        word in _SMALL
        or word in _BENGALI
        or word in _SCALES
        or word in _ENGLISH_VOCABULARY
        or word in _MINUS
        or word in _POINT
        or word in _SPECIAL
        or word in _HALF
        or word in ("and", "a", _AND_A_HALF)
        or _NUMERAL.fullmatch(word) is not None
        or _small(word) is not None
        or _special([word]) is not None
    )


def _corrected(word: str) -> str:
    """The English number word a student meant by a common misspelling, or the word as typed."""
    if word in _ENGLISH_VARIANTS:
        return _ENGLISH_VARIANTS[word]
    if len(word) < _MIN_CORRECTED_LENGTH or word in _NOT_CORRECTED or not word.isascii() or _known(word):
        return word
    near = [target for target in _ENGLISH_VOCABULARY if len(target) >= 4 and _one_edit_apart(word, target)]
    return near[0] if len(near) == 1 else word


def words_to_number(text: str) -> Fraction | None:
    """The number a short folded phrase of number words means, or None if it is not one."""
    words = [_corrected(word) for word in _SPLIT.split(text.strip()) if word]
    if not words or len(words) > 24:  # "nine hundred and ninety-nine billion ..." at most
        return None
    sign = -1 if text.strip().startswith("-") else 1  # the split drops a leading minus sign
    if words[0] in _MINUS:
        sign, words = -1, words[1:]
        if not words:
            return None
    if any(word in _POINT for word in words):
        value = _decimal_words(words)
    else:
        value = _fraction_words(words)
        if value is None:
            whole = _integer(words)
            value = None if whole is None else Fraction(whole)
        if value is None and len(words) == 2 and _NUMERAL.fullmatch(words[0]):
            value = _scaled_numeral(words)
    return None if value is None else sign * value


def _scaled_numeral(words: list[str]) -> Fraction | None:
    """Digits times a place value, as বারো হাজার is in words: 12 হাজার = 12000, 1.2 lakh = 120000."""
    placed = _placed(words)
    return None if placed is None else placed[0]


_BANGLISH_DIGITS = {word: value for value, word in enumerate(_BANGLISH[:10])}


def digit_word(word: str) -> tuple[int, str] | None:
    """The digit one folded word names and its language ("en", "bn", "banglish"): four, চার, char."""
    if word in _ENGLISH and _ENGLISH[word] <= 9:
        return _ENGLISH[word], "en"
    if word in _BANGLISH_DIGITS:
        return _BANGLISH_DIGITS[word], "banglish"
    value = _BENGALI.get(word)
    return (value, "bn") if value is not None and value <= 9 else None


# Every word that can be part of a number in words (a phrase with any other word is not one): for a quick
# look through a long text before words_to_number is asked about each of its phrases.
NUMBER_WORD_PARTS = frozenset(
    {
        *_SMALL,
        *_BENGALI,
        *_SCALES,
        *_ENGLISH_ORDINALS,
        *_MINUS,
        *_POINT,
        *_SPECIAL,
        *_HALF,
        _AND_A_HALF,
        "and",
        "a",
    }
)


def may_be_number_word(word: str) -> bool:
    """Can this folded word be part of a number written in words (also a fused one: দুইশ, আড়াইশ)?"""
    return (
        word in NUMBER_WORD_PARTS or _NUMERAL.fullmatch(word) is not None or words_to_number(word) is not None
    )
