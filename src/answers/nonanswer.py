"""Messages that are not attempts at the answer: requests for a hint, help, skipping, greetings.

These must never be recorded as wrong answers. A message with digits in it is treated as an attempt
(apart from absurdly long numbers and requests that only name a number, like "hint 2"), so
"hint: is it 12?" is read as an answer, not a request.
"""

from __future__ import annotations

import re
from enum import StrEnum

from src.answers.normalize import MAX_TEXT_LENGTH, fold, fold_word

MAX_INTEGER_DIGITS = 15


class NonAnswer(StrEnum):
    HINT = "hint"
    HELP = "help"
    DONT_KNOW = "dont_know"
    SKIP = "skip"
    GREETING = "greeting"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    TOO_LARGE = "too_large"
    QUESTION = "question"  # "why 0.5?", "how is the answer 11?": asking how, not answering


Phrase = tuple[str, ...]  # folded words


def _phrases(text: str) -> tuple[Phrase, ...]:
    return tuple(tuple(fold_word(phrase).split()) for phrase in text.strip().split(";"))


# A message is a request when it contains one of these phrases (as whole words) and no digits.
_KEYWORDS: tuple[tuple[NonAnswer, tuple[Phrase, ...]], ...] = (
    (
        NonAnswer.DONT_KNOW,
        _phrases(
            "don't know;dont know;do not know;didn't understand;dont understand;don't understand;"
            "do not understand;idk;i dunno;dunno;no idea;not sure;no clue;can't solve;cant solve;"
            "জানি না;জানিনা;জানি নাহ;জানিনে;বুঝতে পারছি না;বুঝতে পারছিনা;বুঝি না;বুঝিনা;বুঝিনি;"
            "বুঝলাম না;পারি না;পারিনা;পারছি না;পারছিনা;পারব না;পারবো না;পারলাম না;জানা নেই;"
            "jani na;janina;jani nah;bujhi na;bujhina;bujhini;bujhte parchi na;pari na;parina;"
            "parchi na;parbo na"
        ),
    ),
    (NonAnswer.HINT, _phrases("hint;hints;clue;ইঙ্গিত;হিন্ট;হিন্টস;ক্লু;ingit")),
    (NonAnswer.HELP, _phrases("help;helps;সাহায্য;হেল্প;সাহায্য করো;sahajjo;shahajjo;help koro")),
    (
        NonAnswer.SKIP,
        _phrases(
            "skip;pass;next;next one;next question;বাদ;বাদ দাও;বাদ দিলাম;স্কিপ;পাস;পরের টা;পরেরটা;"
            "পরের প্রশ্ন;পরেরটায়;অন্য প্রশ্ন;bad dao;porer ta;porerta;porer prosno"
        ),
    ),
)
# A student who asks why or how is asking for an explanation, whatever numbers the question quotes:
# "why 0.5?", "how is the answer 11?", "৩/৪ কেন?". "is it 12?" stays an attempt.
_QUESTION_WORDS = _phrases(
    "why;how;explain;explanation;how come;keno;kano;kivabe;kibhabe;ki vabe;ki bhabe;kemne;kemon kore;"
    "কেন;কেনো;ক্যান;ক্যানো;কীভাবে;কিভাবে;কী ভাবে;কি ভাবে;কেমনে;কেমন করে;কিভাবে হলো;ব্যাখ্যা;বুঝিয়ে দাও;বুঝাও"
)
_QUESTION_BY_FIRST_WORD = {
    first: tuple(p for p in _QUESTION_WORDS if p[0] == first) for first, *_ in _QUESTION_WORDS
}


def _asks_why_or_how(words: list[str]) -> bool:
    return bool(_phrases_in(words, _QUESTION_BY_FIRST_WORD))


# Greetings only when they are the whole message (with polite filler): "hi, it's 12" is an answer.
_GREETINGS = sorted(
    _phrases(
        "hi;hii;hiii;hello;helo;hello there;hey;heyy;yo;salam;salaam;slm;assalamu alaikum;"
        "assalamualaikum;assalamu alaikum wa rahmatullah;as salamu alaikum;asalamualaikum;"
        "good morning;good afternoon;good evening;good night;how are you;kemon acho;"
        "সালাম;আসসালামু আলাইকুম;আসসালামুআলাইকুম;আস সালামু আলাইকুম;আসসালামু আলাইকুম ওয়া রাহমাতুল্লাহ;"
        "হ্যালো;হেলো;হাই;শুভ সকাল;শুভ সন্ধ্যা;নমস্কার;আদাব;কেমন আছো;কেমন আছেন"
    ),
    key=len,
    reverse=True,
)
_FILLER = frozenset(
    fold_word(word)
    for phrase in _phrases(
        "please pls plz plzz sir madam maam miss apu apa bhai vai bhaiya vaiya teacher dars there "
        "everyone all me a an the give can i get need want some one this again ok okay "
        "ভাই আপু স্যার ম্যাডাম ম্যাম দয়া করে একটু একটা দাও দিন দেন চাই লাগবে আমাকে আমার প্লিজ "
        "ekta ektu dao den chai lagbe amake"
    )
    for word in phrase
)
# "hint 2", "2nd hint", "skip question 5": a request that names a number is still a request, but
# only when every other word is one of these; "hint: is it 12?" stays an attempt.
_NUMBERED_REQUESTS = (NonAnswer.HINT, NonAnswer.HELP, NonAnswer.SKIP)
_REQUEST_NUMBER_WORDS = frozenset(
    word
    for phrase in _phrases(
        "question q qn no number num another more first second third prosno proshno nombor "
        "প্রশ্ন প্রশ্নের নং নম্বর নাম্বার আরেকটা আরেকটি আরো আরও প্রথম দ্বিতীয় তৃতীয় টা টি"
    )
    for word in phrase
)
_ORDINAL = re.compile(r"[0-9]+(?:st|nd|rd|th)?")
# Bengali vowel signs are combining marks, which \w does not match: take the whole block as letters.
_WORD = re.compile(r"[\u0980-\u09ff]+|[^\W_]+(?:'[^\W_]+)?")
_BLANK = re.compile(r"[\s.,!;:'\"~_*\-]*")
_QUESTION_MARKS = re.compile(r"[\s?¿؟]*\?[\s?¿؟]*")
# A number's digits: joined across commas only in a thousands grouping (1,000,000 or 10,00,000),
# so that a list typed without spaces, {12,16,20,24}, is not one long number.
_DIGIT_RUN = re.compile(
    r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,2}(?:,[0-9]{2})+,[0-9]{3})(?![0-9]|,[0-9])|[0-9]+"
)


# Each category's phrases by their first word: a message is scanned once, word by word, instead of once per
# phrase (a third of checking an answer went to trying every phrase at every position).
_BY_FIRST_WORD: tuple[tuple[NonAnswer, dict[str, tuple[Phrase, ...]]], ...] = tuple(
    (category, {first: tuple(p for p in phrases if p[0] == first) for first in {p[0] for p in phrases}})
    for category, phrases in _KEYWORDS
)


def _phrases_in(words: list[str], by_first_word: dict[str, tuple[Phrase, ...]]) -> list[Phrase]:
    """The phrases that occur in `words` as whole words (each as often as it occurs)."""
    return [
        phrase
        for at, word in enumerate(words)
        for phrase in by_first_word.get(word, ())
        if tuple(words[at : at + len(phrase)]) == phrase
    ]


def _too_many_digits(text: str) -> bool:
    return any(len(run.replace(",", "").lstrip("0")) > MAX_INTEGER_DIGITS for run in _DIGIT_RUN.findall(text))


def classify_non_answer(text: str) -> NonAnswer | None:
    """Which kind of non-answer `text` is, or None when it looks like an attempt at an answer."""
    if not isinstance(text, str) or not text.strip():
        return NonAnswer.EMPTY
    if len(text) > MAX_TEXT_LENGTH:
        return NonAnswer.TOO_LONG
    folded = fold(text)
    if _BLANK.fullmatch(folded):
        return NonAnswer.EMPTY
    if _QUESTION_MARKS.fullmatch(folded):
        return NonAnswer.DONT_KNOW
    words = _WORD.findall(folded.replace("’", "'"))
    if any(char.isdigit() for char in folded):
        if _too_many_digits(folded):
            return NonAnswer.TOO_LARGE
        request = _numbered_request(words)
        if request is None and _asks_why_or_how(words):
            return NonAnswer.QUESTION
        return request
    if not words:
        return None
    for category, by_first_word in _BY_FIRST_WORD:
        if _phrases_in(words, by_first_word):
            return category
    if _asks_why_or_how(words):
        return NonAnswer.QUESTION
    return NonAnswer.GREETING if _only_greetings(words) else None


def _numbered_request(words: list[str]) -> NonAnswer | None:
    """A hint, help or skip request whose only other words are numbers and filler ("hint 2")."""
    for category, by_first_word in _BY_FIRST_WORD:
        if category not in _NUMBERED_REQUESTS:
            continue
        found = _phrases_in(words, by_first_word)
        if found and all(_request_word(word, found) for word in words):
            return category
    return None


def _request_word(word: str, phrases: list[Phrase]) -> bool:
    return (
        word in _FILLER
        or word in _REQUEST_NUMBER_WORDS
        or _ORDINAL.fullmatch(word) is not None
        or any(word in phrase for phrase in phrases)
    )


# A salam is answered in kind ("ওয়ালাইকুম আসসালাম"), as anyone in Bangladesh would, not with a hello.
_SALAM_WORDS = frozenset(
    fold_word(word)
    for word in (
        "salam",
        "salaam",
        "slm",
        "alaikum",
        "assalamualaikum",
        "asalamualaikum",
        "সালাম",
        "আলাইকুম",
        "আসসালামুআলাইকুম",
    )
)


def greets_with_salam(text: str) -> bool:
    """Whether a greeting (a GREETING non-answer) is the salam."""
    return any(word in _SALAM_WORDS for word in _WORD.findall(fold(text)))


def _only_greetings(words: list[str]) -> bool:
    """Greetings and polite filler, and nothing else ("hi, hello sir" but not "hi, 12 or 13")."""
    greeted = False
    while words:
        if words[0] in _FILLER:
            words = words[1:]
            continue
        phrase = next((p for p in _GREETINGS if tuple(words[: len(p)]) == p), None)
        if phrase is None:
            return False
        words, greeted = words[len(phrase) :], True
    return greeted
