"""Replies to Bot API requests, within Telegram's rules.

- Text longer than 4096 UTF-16 code units is split at paragraph, line or word boundaries; the buttons go
  with the last part.
- 403 Forbidden (the student blocked the bot, or deleted their account): stop at once and report it, so
  the chat is marked blocked and never messaged again until the student writes.
- 400 "message is not modified" (a button pressed twice) is harmless and ignored; other 400s on edits
  (a message too old to edit) are logged and skipped: an edit is cosmetic.
- 429 is the rate limiter's (ratelimit.py): it waits retry_after and tries again.
- A problem's message that cannot be edited is sent anew (the student must see the hint or the verdict).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden
from telegram.ext import ExtBot

from src.bot.keyboards import Keyboard
from src.bot.ratelimit import BULK
from src.bot.replies import Edit, Reply, Say

logger = logging.getLogger(__name__)

MAX_TEXT = 4096  # Telegram counts UTF-16 code units


ProblemRef = tuple[int, int, int]  # (session_id, problem_id, message_id): a problem's message in the chat


@dataclass
class Delivered:
    """What a delivery did: whether the chat refused it (403), and the problem message now at the bottom
    of the chat, when the last message sent is one (`new`: its id is not remembered yet)."""

    blocked: bool = False
    problem_message: ProblemRef | None = None
    new: bool = False


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _fit(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` UTF-16 code units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Parts of at most `limit` UTF-16 code units, cut at the last paragraph, line or space that fits."""
    if not text:
        return [text]
    parts: list[str] = []
    rest = text
    while utf16_length(rest) > limit:
        head = rest[: _fit(rest, limit)]
        cut = max(head.rfind("\n\n"), head.rfind("\n"), head.rfind(" "))
        if cut <= 0:
            cut = len(head)  # one unbroken word longer than the limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return [part for part in parts if part] or [text[: _fit(text, limit)]]


def markup(keyboard: Keyboard | None) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(button.label, callback_data=button.data) for button in row]
            for row in keyboard
        ]
    )


def _not_modified(error: BadRequest) -> bool:
    return "message is not modified" in error.message.lower()


async def send_replies(bot: Bot, chat_id: int, replies: Sequence[Reply], *, bulk: bool = False) -> Delivered:
    """Send `replies` in order; stops at a 403 (`blocked`: the rest is not attempted)."""
    delivered = Delivered()
    try:
        for reply in replies:
            if isinstance(reply, Say):
                message_id = await _say(bot, chat_id, reply.text, reply.keyboard, bulk=bulk)
                if reply.problem is not None:
                    delivered.problem_message = (*reply.problem, message_id)
                    delivered.new = True
                else:
                    delivered.problem_message, delivered.new = None, False
            else:
                await _edit(bot, chat_id, reply, delivered)
    except Forbidden as error:
        logger.info("chat %s cannot be reached (%s): marked blocked", chat_id, error.message)
        delivered.blocked = True
    return delivered


async def _say(bot: Bot, chat_id: int, text: str, keyboard: Keyboard | None, *, bulk: bool = False) -> int:
    """Send one message (split when too long; the buttons go on the last part); the last part's id."""
    parts = split_text(text)
    message_id = 0
    for number, part in enumerate(parts, start=1):
        buttons = markup(keyboard) if number == len(parts) else None
        if bulk and isinstance(bot, ExtBot) and bot.rate_limiter is not None:
            sent = await bot.send_message(chat_id, part, reply_markup=buttons, rate_limit_args=BULK)
        else:
            sent = await bot.send_message(chat_id, part, reply_markup=buttons)
        message_id = sent.message_id
    return message_id


async def _edit(bot: Bot, chat_id: int, reply: Edit, delivered: Delivered) -> None:
    """An edit. A problem's message that cannot be edited (deleted, too old) is sent anew instead: the
    student must see what it says."""
    try:
        if reply.text is None:
            await bot.edit_message_reply_markup(
                chat_id, reply.message_id, reply_markup=markup(reply.keyboard)
            )
        else:
            text = split_text(reply.text)[0]
            await bot.edit_message_text(text, chat_id, reply.message_id, reply_markup=markup(reply.keyboard))
    except BadRequest as error:
        if not _not_modified(error):
            logger.warning(
                "could not edit message %s in chat %s: %s", reply.message_id, chat_id, error.message
            )
            if reply.problem is not None and reply.text is not None:
                message_id = await _say(bot, chat_id, reply.text, reply.keyboard)
                delivered.problem_message, delivered.new = (*reply.problem, message_id), True
            return
    if reply.problem is not None:
        delivered.problem_message, delivered.new = (*reply.problem, reply.message_id), False
