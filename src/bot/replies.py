"""What the conversation answers with, independent of Telegram: messages to send and messages to edit."""

from __future__ import annotations

from dataclasses import dataclass

from src.bot.keyboards import Keyboard


@dataclass(frozen=True)
class Say:
    """A new message, optionally with inline buttons."""

    text: str
    keyboard: Keyboard | None = None
    problem: tuple[int, int] | None = None  # (session_id, problem_id): this is that problem's message


@dataclass(frozen=True)
class Edit:
    """Change a message the bot sent: new text (None keeps it) and buttons (None removes them)."""

    message_id: int
    text: str | None = None
    keyboard: Keyboard | None = None
    problem: tuple[int, int] | None = None  # the problem's message: sent anew if it cannot be edited


Reply = Say | Edit
