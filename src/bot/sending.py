"""Replies to Bot API requests, within Telegram's rules.

- Text longer than 4096 UTF-16 code units is split at paragraph, line or word boundaries; the buttons go
  with the last part.
- 403 Forbidden (the student blocked the bot, or deleted their account): stop at once and report it, so
  the chat is marked blocked and never messaged again until the student writes.
- 400 "message is not modified" (a button pressed twice) is harmless and ignored; other 400s on edits
  (a message too old to edit) are logged and skipped: an edit is cosmetic.
- 429 is the rate limiter's (ratelimit.py): it waits retry_after and tries once more.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from enum import Enum

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden
from telegram.ext import ExtBot

from src.bot.keyboards import Keyboard
from src.bot.ratelimit import BULK
from src.bot.replies import Edit, Reply, Say

logger = logging.getLogger(__name__)

MAX_TEXT = 4096  # Telegram counts UTF-16 code units


class Delivery(Enum):
    SENT = "sent"
    BLOCKED = "blocked"  # 403: the student cannot be reached


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


async def send_replies(bot: Bot, chat_id: int, replies: Sequence[Reply], *, bulk: bool = False) -> Delivery:
    """Send `replies` in order. BLOCKED when Telegram answers 403: the rest is not attempted."""
    try:
        for reply in replies:
            if isinstance(reply, Say):
                parts = split_text(reply.text)
                for number, part in enumerate(parts, start=1):
                    keyboard = markup(reply.keyboard) if number == len(parts) else None
                    if bulk and isinstance(bot, ExtBot) and bot.rate_limiter is not None:
                        await bot.send_message(chat_id, part, reply_markup=keyboard, rate_limit_args=BULK)
                    else:
                        await bot.send_message(chat_id, part, reply_markup=keyboard)
            else:
                await _edit(bot, chat_id, reply)
    except Forbidden as error:
        logger.info("chat %s cannot be reached (%s): marked blocked", chat_id, error.message)
        return Delivery.BLOCKED
    return Delivery.SENT


async def _edit(bot: Bot, chat_id: int, reply: Edit) -> None:
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
