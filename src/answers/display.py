"""How a library answer is shown to a student (pure): x^2 as x², * as ×, Bengali digits in Bengali."""

from __future__ import annotations

from src.answers.normalize import to_bengali_digits

_SUPERSCRIPTS = {"^2": "²", "^3": "³"}


def display_answer(answer: str, language: str) -> str:
    """The canonical answer as a student reads it in `language` ("bn" or "en")."""
    shown = answer
    for caret, superscript in _SUPERSCRIPTS.items():
        shown = shown.replace(caret, superscript)
    shown = shown.replace("*", "×")
    return to_bengali_digits(shown) if language != "en" else shown
