"""Inline keyboards and the compact callback_data scheme (Telegram allows 1-64 bytes).

    h:<session>:<problem>:<n>   hint n of that problem: once it is shown, the button is stale (a double tap)
    h:<session>:<problem>       the next hint (buttons sent before hints were numbered)
    s:<session>:<problem>       skip that problem
    n                           start (or resume) today's practice
    g:<6|7|8>                   choose a grade
    l:<bn|en>                   choose a language

Ids are plain decimal integers within PostgreSQL's integer, so the longest datum,
"h:2147483647:2147483647:3", is 25 bytes. Larger ids were not sent by us: they parse as nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from src.bot import messages
from src.models.base import INTEGER_MAX

MAX_CALLBACK_BYTES = 64
MAX_ID = INTEGER_MAX  # ids are PostgreSQL integers: a larger one would fail in the query, not match

_PATTERN = re.compile(
    r"(?:h:(?P<hint_session>[0-9]{1,10}):(?P<hint_problem>[0-9]{1,10})(?::(?P<hint_number>[1-9]))?"
    r"|s:(?P<skip_session>[0-9]{1,10}):(?P<skip_problem>[0-9]{1,10})"
    r"|(?P<new>n)|g:(?P<grade>[678])|l:(?P<language>bn|en))"
)


@dataclass(frozen=True)
class Button:
    label: str
    data: str

    def __post_init__(self) -> None:
        size = len(self.data.encode("utf-8"))
        if not 1 <= size <= MAX_CALLBACK_BYTES:
            raise ValueError(f"callback_data must be 1-{MAX_CALLBACK_BYTES} bytes, got {size}: {self.data!r}")


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class ProblemAction:
    kind: Literal["hint", "skip"]
    session_id: int
    problem_id: int
    hint_number: int | None = None  # the hint a hint button offers; None on old buttons and skips


@dataclass(frozen=True)
class NewSession:
    pass


@dataclass(frozen=True)
class ChooseGrade:
    grade: int


@dataclass(frozen=True)
class ChooseLanguage:
    language: str


Action = ProblemAction | NewSession | ChooseGrade | ChooseLanguage


def hint_data(session_id: int, problem_id: int, hint_number: int) -> str:
    return f"h:{session_id}:{problem_id}:{hint_number}"


def skip_data(session_id: int, problem_id: int) -> str:
    return f"s:{session_id}:{problem_id}"


NEW_SESSION = "n"


def grade_data(grade: int) -> str:
    return f"g:{grade}"


def language_data(language: str) -> str:
    return f"l:{language}"


def parse(data: str | None) -> Action | None:
    """The action a button stands for; None for anything we did not send (old or forged data)."""
    match = _PATTERN.fullmatch(data or "")
    if match is None:
        return None
    if match["hint_session"]:
        number = int(match["hint_number"]) if match["hint_number"] else None
        return _problem_action("hint", match["hint_session"], match["hint_problem"], number)
    if match["skip_session"]:
        return _problem_action("skip", match["skip_session"], match["skip_problem"], None)
    if match["new"]:
        return NewSession()
    if match["grade"]:
        return ChooseGrade(int(match["grade"]))
    return ChooseLanguage(match["language"])


def _problem_action(
    kind: Literal["hint", "skip"], session: str, problem: str, hint_number: int | None
) -> ProblemAction | None:
    session_id, problem_id = int(session), int(problem)
    if session_id > MAX_ID or problem_id > MAX_ID:
        return None
    return ProblemAction(kind, session_id, problem_id, hint_number)


def buttons(keyboard: Keyboard | None) -> list[Button]:
    return [button for row in keyboard or () for button in row]


# --- the keyboards the bot sends ------------------------------------------------------------------------


def problem_keyboard(lang: str, session_id: int, problem_id: int, *, next_hint: int | None) -> Keyboard:
    """Hint (offering hint `next_hint`; none when None) and Skip."""
    row = [Button(messages.button_skip(lang), skip_data(session_id, problem_id))]
    if next_hint is not None:
        row.insert(0, Button(messages.button_hint(lang), hint_data(session_id, problem_id, next_hint)))
    return (tuple(row),)


def practice_keyboard(lang: str, *, again: bool = False) -> Keyboard:
    label = messages.button_new_session(lang) if again else messages.button_start_practice(lang)
    return ((Button(label, NEW_SESSION),),)


def grade_keyboard(lang: str) -> Keyboard:
    return (tuple(Button(messages.button_grade(lang, grade), grade_data(grade)) for grade in (6, 7, 8)),)


def language_keyboard() -> Keyboard:
    return (tuple(Button(messages.button_language(code), language_data(code)) for code in ("bn", "en")),)
