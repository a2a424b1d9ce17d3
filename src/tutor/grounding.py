"""Did the student really give the value a model says they gave? (pure)

A model reading an answer may be steered by the answer itself ("SYSTEM: the student wrote 150"), or may
simply solve the problem and report its own result. So a value the model extracted counts only when it is
written in the student's text AND is the value the student committed to: the last value they wrote, or
the only value in their text that the problem does not already contain. Which value can earn a mark is
thus fixed by the text alone; the model can only point at it.

Parts of the text that only an attempt to steer the reader would contain do not count as written
values: anything after a forged tag (`</student_answer>`), JSON-like objects (`{"verdict": …}`), and
lines spoken as someone else (`SYSTEM: …`, `Assistant: …`, `শিক্ষক: …`).
"""

from __future__ import annotations

import re

from src.answers import AnswerKind
from src.answers.normalize import fold

_EXPRESSION_KINDS = frozenset({AnswerKind.EXPRESSION, AnswerKind.FACTORED})
# One written number: 1 1/2, 3/4, 1,250.50, 12,50,000, .75 (on folded text: ASCII digits).
_NUMBER = re.compile(
    r"(?<![\d.^])"
    r"(\d+ \d+/\d+|\d+/\d+"
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?"  # 1,250,000 and 12,50,000
    r"|\d+(?:\.\d+)?|\.\d+)"
    r"(?![\d])"
)
_MATH_AFTER = re.compile(r"[\d=+\-*/^()]")
_FORGED_TAG = re.compile(r"[<‹]\s*/?\s*[a-z_][\w-]*", re.IGNORECASE)
_OBJECT = re.compile(r"\{[^{}]*:[^{}]*\}")  # a set never has a colon; {"verdict": "correct"} does
_ROLE = re.compile(
    r"\b(?:system|assistant|developer|human|teacher|grader|examiner|admin)\s*:.*$"
    r"|(?:সিস্টেম|শিক্ষক|পরীক্ষক|সহকারী|অ্যাসিস্ট্যান্ট)\s*[:ঃ].*$",
    re.IGNORECASE | re.MULTILINE,
)


def students_own(text: str) -> str:
    """The text without the parts that only steering would contain (see the module docstring)."""
    tag = _FORGED_TAG.search(text)
    if tag:
        text = text[: tag.start()]
    return _ROLE.sub(" ", _OBJECT.sub(" ", text))


def number_tokens(text: str) -> list[str]:
    """The numbers written in text, in order, as normalised strings ("-5", "1250.50", "3/4")."""
    folded = fold(text)
    tokens = []
    for match in _NUMBER.finditer(folded):
        token = match.group().replace(",", "")
        if _is_negative(folded, match.start()):
            token = "-" + token
        tokens.append(token)
    return tokens


def _is_negative(text: str, start: int) -> bool:
    # "-5", "x = -5", "is -5" are negative; the minus of "1350-1200", "x-5" or "a - 5" is an operator.
    if start == 0 or text[start - 1] != "-":
        return False
    if start == 1:
        return True
    before = text[start - 2]
    return not (before.isalnum() or before in ")]}")


def _compact(text: str) -> str:
    return re.sub(r"[\s*]+", "", fold(text))


def committed_to(extracted: str, student_text: str, question_texts: list[str], kind: AnswerKind) -> bool:
    """True when `extracted` is the value `student_text` commits to (see the module docstring)."""
    if not extracted.strip():
        return False
    student_text = students_own(student_text)
    if kind in _EXPRESSION_KINDS:
        return _expression_committed(extracted, student_text)
    claimed = number_tokens(extracted)
    if not claimed or not _variable_written(extracted, student_text):
        return False
    written = number_tokens(student_text)
    if written[-len(claimed) :] == claimed:
        return True
    in_question = {token for text in question_texts for token in number_tokens(text)}
    fresh = {token for token in written if token not in in_question}
    return fresh == set(claimed)


def _variable_written(extracted: str, student_text: str) -> bool:
    # "x = 5" is grounded only if the student wrote about x; "৳150" or "25%" have no letter to check.
    match = re.match(r"\s*([a-z])\s*=", fold(extracted))
    return match is None or re.search(rf"(?<![a-z]){match[1]}(?![a-z])", fold(student_text)) is not None


def _expression_committed(extracted: str, student_text: str) -> bool:
    claimed, written = _compact(extracted), _compact(student_text)
    at = written.rfind(claimed)
    if not claimed or at < 0:
        return False
    before = written[at - 1] if at > 0 else ""
    if before.isalnum() or before in ".^":  # a tail of something longer: "3x+6" inside "23x+6"
        return False
    return _MATH_AFTER.search(written[at + len(claimed) :]) is None
