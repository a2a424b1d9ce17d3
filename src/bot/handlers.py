"""PTB handlers: thin. Each reads the update, calls the conversation, and delivers its replies.

Only private chats are served. Callback queries are answered before anything else is done (by
DarsApplication.handle, before the update's transaction). Replies are collected and sent after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from src.bot import classes, conversation
from src.bot.application import Context, current_scope
from src.bot.conversation import Turn
from src.bot.replies import Reply

logger = logging.getLogger(__name__)

Step = Callable[[Turn], Awaitable[list[Reply]]]

COMMANDS: dict[str, Step] = {
    "start": conversation.start,
    "practice": conversation.practice_command,
    "streak": conversation.streak_command,
    "progress": conversation.progress_command,
    "language": conversation.language_command,
    "grade": conversation.grade_command,
    "help": conversation.help_command,
}

_PRIVATE_MESSAGE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
_PRIVATE_EDIT = filters.ChatType.PRIVATE & filters.UpdateType.EDITED_MESSAGE


def _command(step: Step) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
    async def handle(update: Update, context: Context) -> None:
        scope = current_scope()
        if scope.turn is not None:
            await scope.deliver(context.bot, await step(scope.turn))

    return handle


async def on_text(update: Update, context: Context) -> None:
    scope = current_scope()
    message = update.message
    if scope.turn is None or message is None or message.text is None:
        return
    await scope.deliver(context.bot, await conversation.text_message(scope.turn, message.text))


async def on_other_message(update: Update, context: Context) -> None:
    """A photo, document, sticker or voice note: only typed words can be read, so a caption (a photo of the
    working captioned "12") is the answer; without one, the student is asked to type it."""
    scope = current_scope()
    message = update.message
    if scope.turn is None or message is None:
        return
    caption = message.caption or ""
    await scope.deliver(context.bot, await conversation.text_message(scope.turn, caption))


async def on_edited_message(update: Update, context: Context) -> None:
    """An edited message: answered (it is not read), so the student is not left waiting."""
    scope = current_scope()
    if scope.turn is not None:
        await scope.deliver(context.bot, await conversation.edited_message(scope.turn))


async def on_button(update: Update, context: Context) -> None:
    scope = current_scope()
    query = update.callback_query
    if scope.turn is None or query is None:
        return
    message_id = query.message.message_id if query.message is not None else None
    await scope.deliver(context.bot, await conversation.button(scope.turn, query.data, message_id))


async def on_my_chat_member(update: Update, context: Context) -> None:
    """The student blocked (kicked) or unblocked the bot: remember whether they can be messaged."""
    scope = current_scope()
    change = update.my_chat_member
    if scope.turn is None or change is None:
        return
    status = change.new_chat_member.status
    scope.turn.chat.blocked = status in ("kicked", "left")
    logger.info("chat %s: bot %s", scope.chat_id, "blocked" if scope.turn.chat.blocked else "unblocked")


def install(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    classes.install(application)  # /class, /leave, /teacher (src/bot/classes.py)
    for name, step in COMMANDS.items():
        application.add_handler(CommandHandler(name, _command(step), filters=_PRIVATE_MESSAGE))
    application.add_handler(
        MessageHandler(_PRIVATE_MESSAGE & filters.COMMAND, _command(conversation.unknown_command))
    )
    application.add_handler(MessageHandler(_PRIVATE_MESSAGE & filters.TEXT & ~filters.COMMAND, on_text))
    application.add_handler(MessageHandler(_PRIVATE_MESSAGE & ~filters.TEXT, on_other_message))
    application.add_handler(MessageHandler(_PRIVATE_EDIT, on_edited_message))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
