"""The PTB Application, made exactly-once: one database transaction and one commit per update.

`DarsApplication.handle(update)`:
1. takes the chat's in-process lock, so one chat's updates run in order when several are in flight;
2. opens a transaction and INSERTs the update_id into telegram_updates ON CONFLICT DO NOTHING RETURNING:
   no row means the update was handled before (a webhook retry, a duplicate delivery) and it is skipped.
   A concurrent duplicate in another process blocks on the primary key until the first one commits;
3. locks the chat's row and runs PTB's handlers, which send their replies within the transaction;
4. commits. Sending before committing means a crash never loses a reply: the webhook is answered only
   after the commit, so Telegram redelivers an update whose transaction did not commit, and the retry
   redoes the same work (a reply may then arrive twice; an answer is never recorded twice).

A handler's bug rolls its effects back; the update is then recorded as handled in a transaction of its own
(a retry would fail the same way) and the student gets an apology. Infrastructure failures (database or
network down) propagate, so the webhook answers 500 and Telegram retries later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import exc as sa_exc
from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ApplicationBuilder, CallbackContext, ContextTypes, ExtBot
from telegram.request import BaseRequest, HTTPXRequest

from src.bot import chats, messages
from src.bot.conversation import Turn, load_student
from src.bot.ratelimit import DarsRateLimiter
from src.bot.replies import Reply
from src.bot.sending import Delivery, send_replies
from src.database import get_session
from src.practice.ports import AnswerJudge, HintSource

logger = logging.getLogger(__name__)

# edited_message: an edit gets a reply saying it is not read, instead of silence.
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock

Context = CallbackContext[ExtBot[str], dict[Any, Any], dict[Any, Any], dict[Any, Any]]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class UpdateScope:
    """What the handlers of the update being processed share: the Turn, and any failure to report."""

    chat_id: int | None
    turn: Turn | None
    failure: BaseException | None = None
    unreachable: bool = False  # a send was refused with 403 during this update

    async def deliver(self, bot: ExtBot[str], replies: list[Reply]) -> None:
        if self.turn is None or self.chat_id is None or not replies or self.unreachable:
            return
        if await send_replies(bot, self.chat_id, replies) is Delivery.BLOCKED:
            self.unreachable = True
            self.turn.chat.blocked = True  # committed with the update


_scope: ContextVar[UpdateScope | None] = ContextVar("dars_update_scope", default=None)


def current_scope() -> UpdateScope:
    scope = _scope.get()
    if scope is None:
        raise RuntimeError("no update is being processed (call DarsApplication.handle)")
    return scope


def is_transient(error: BaseException) -> bool:
    """Failures a later retry can cure: the database or the network, not the code."""
    if isinstance(error, RetryAfter):
        return True
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        return True  # TimedOut included
    if isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.TimeoutError):
        return True
    if isinstance(error, sa_exc.DBAPIError):
        sqlstate = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
        return error.connection_invalidated or sqlstate in _RETRYABLE_SQLSTATES
    return isinstance(error, OSError | TimeoutError)


class ChatLocks:
    """One asyncio.Lock per chat with updates in flight (forgotten when the last one finishes)."""

    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: Counter[int] = Counter()

    @contextlib.asynccontextmanager
    async def hold(self, chat_id: int | None) -> AsyncIterator[None]:
        if chat_id is None:
            yield
            return
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._holders[chat_id] += 1
        try:
            async with lock:
                yield
        finally:
            self._holders[chat_id] -= 1
            if self._holders[chat_id] <= 0:
                del self._holders[chat_id]
                del self._locks[chat_id]

    def __len__(self) -> int:
        return len(self._locks)


class DarsApplication(
    Application[ExtBot[str], Context, dict[Any, Any], dict[Any, Any], dict[Any, Any], None]
):
    """PTB's Application with exactly-once, ordered, transactional update handling."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.clock: Callable[[], datetime] = utcnow
        self.judge: AnswerJudge | None = None
        self.hint_source: HintSource | None = None
        self.chat_locks = ChatLocks()

    async def process_update(self, update: object) -> None:
        """PTB's entry point (long polling): as `handle`, but a failure is logged, never raised, since
        the poller has already confirmed the update to Telegram and must keep running."""
        if not isinstance(update, Update):
            await super().process_update(update)
            return
        try:
            await self.handle(update)
        except Exception:
            logger.exception(
                "update %s failed and is lost (long polling cannot ask for it again)", update.update_id
            )

    async def handle(self, update: Update) -> None:
        """Handle one update exactly once. Raises only transient failures (the caller should let
        Telegram retry); a bug is rolled back, recorded and apologised for."""
        chat_id = update.effective_chat.id if update.effective_chat is not None else None
        async with self.chat_locks.hold(chat_id):
            try:
                await self._handle_in_transaction(update, chat_id)
            except Exception as error:
                if is_transient(error):
                    raise
                logger.exception("update %s failed; its effects were rolled back", update.update_id)
                await self._record_failure(update, chat_id)

    async def _handle_in_transaction(self, update: Update, chat_id: int | None) -> None:
        async with get_session() as db:
            if not await chats.claim_update(db, update.update_id, chat_id):
                logger.info("update %s was handled before: skipped", update.update_id)
                return
            turn = None
            user = update.effective_user
            private = update.effective_chat is not None and update.effective_chat.type == "private"
            if chat_id is not None and user is not None and private:
                chat = await chats.open_chat(db, chat_id, user.id)
                wrote = (update.message, update.edited_message, update.callback_query)
                if any(event is not None for event in wrote):
                    chat.blocked = False  # they wrote: reachable again
                turn = Turn(db, chat, self.clock(), judge=self.judge, hints=self.hint_source)
                await load_student(turn)
            scope = UpdateScope(chat_id, turn)
            token = _scope.set(scope)
            try:
                await super().process_update(update)
            finally:
                _scope.reset(token)
            if scope.failure is not None:
                raise scope.failure

    async def _record_failure(self, update: Update, chat_id: int | None) -> None:
        language = "bn"
        async with get_session() as db:
            if not await chats.claim_update(db, update.update_id, chat_id):
                return  # a concurrent delivery handled it after all
            if chat_id is not None:
                found = await chats.reach(db, chat_id)
                if found is None or found.blocked:
                    return
                language = found.language
        if (
            chat_id is not None
            and update.effective_chat is not None
            and update.effective_chat.type == "private"
        ):
            with contextlib.suppress(TelegramError):
                await self.bot.send_message(chat_id, messages.something_went_wrong(language))


async def _remember_failure(update: object, context: Context) -> None:
    """PTB's error handler: PTB swallows handler exceptions, so hand them back to `handle`."""
    scope = _scope.get()
    if scope is not None and context.error is not None:
        scope.failure = context.error
    else:
        logger.error("error outside an update", exc_info=context.error)


def build_application(
    token: str,
    *,
    base_url: str | None = None,
    request: BaseRequest | None = None,
    global_rate: float = 25.0,
    rate_limiter: DarsRateLimiter | None = None,
    polling: bool = False,
) -> DarsApplication:
    """The bot's Application with its handlers. `request` replaces the HTTP layer (a fake Bot API in tests
    and `dars chat`); `polling` adds an Updater for long polling, otherwise updates come from `handle`."""
    from src.bot.handlers import install  # here: the handlers import this module

    context_types = ContextTypes(context=CallbackContext, bot_data=dict, chat_data=dict, user_data=dict)
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .application_class(DarsApplication)
        .token(token)
        .context_types(context_types)
        .rate_limiter(rate_limiter or DarsRateLimiter(global_rate))
        .job_queue(None)
    )
    if base_url:
        builder = builder.base_url(base_url.rstrip("/") + "/bot")
    if request is not None:
        builder = builder.request(request)
        if polling:  # a fake or test transport answers the long polls too
            builder = builder.get_updates_request(request)
    else:
        builder = builder.request(HTTPXRequest(connection_pool_size=64, read_timeout=10.0))
    # Long polling hands over updates through PTB's queue: let 16 run at once (chat locks keep each chat's
    # order). Without an updater, the webhook's requests are the concurrency.
    builder = builder.concurrent_updates(16) if polling else builder.updater(None)
    application = builder.build()
    assert isinstance(application, DarsApplication)
    application.add_error_handler(_remember_failure)
    install(application)
    return application


async def answer_callback(update: Update) -> None:
    """Answer a callback query at once (Telegram shows a spinner until then); a stale one is harmless."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer()
    except (BadRequest, Forbidden) as error:
        logger.info("callback query %s not answered: %s", query.id, error.message)
