"""How a library answer is shown to a student (pure): x^2 as x², * as ×, Bengali digits in Bengali.

Money is "৳540" in English and "৫৪০ টাকা" in Bengali, as the library's Bengali questions write it.
"""

from __future__ import annotations

from src.answers.normalize import to_bengali_digits

_SUPERSCRIPTS = {"^2": "²", "^3": "³"}
_TAKA = "৳"


def display_answer(answer: str, language: str) -> str:
    """The canonical answer as a student reads it in `language` ("bn" or "en")."""
    shown = answer
    for caret, superscript in _SUPERSCRIPTS.items():
        shown = shown.replace(caret, superscript)
    shown = shown.replace("*", "×")
    if language == "en":
        return shown
    if shown.startswith(_TAKA):  # a money answer: always ৳ and an amount (src/answers/canonical.py)
        shown = f"{shown.removeprefix(_TAKA)} টাকা"
    return to_bengali_digits(shown)
