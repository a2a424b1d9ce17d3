"""The PTB Application, made exactly-once: one transaction and one commit per update, then its replies.

`DarsApplication.handle(update)`:
1. answers a callback query at once (Telegram shows a spinner until then), before any database work;
2. takes the chat's in-process lock, so one chat's updates run in order when several are in flight;
3. opens a transaction and INSERTs the update_id into telegram_updates ON CONFLICT DO NOTHING RETURNING:
   no row means the update was handled before (a webhook retry, a duplicate delivery) and it is skipped.
   A concurrent duplicate in another process blocks on the primary key until the first one commits;
4. locks the chat's row and runs PTB's handlers, which collect their replies (nothing is sent yet);
5. commits, gives the connection back to the pool, and only then sends the replies. No database
   connection waits on Telegram, and an update that rolls back (and is redelivered) never repeats a reply.
   What a send reveals afterwards (a 403, the id of a problem's message) is written in a short
   transaction of its own.

If the process dies between the commit and the sends, the update's work is saved and its replies are lost:
Telegram redelivers the update (it got no answer), which is recognised as handled and skipped. The student
sees no answer to that one message; whatever they send next is answered from the saved state (README,
"Crash safety"). A send that still fails after the rate limiter's retries is logged and the update counts
as handled: a retry could only be skipped.

A handler's bug rolls its effects back; the update is then recorded as handled in a transaction of its own
(a retry would fail the same way) and the student gets an apology. Infrastructure failures of the
transaction (database down) propagate, so the webhook answers 500 and Telegram retries later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import exc as sa_exc
from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ApplicationBuilder, CallbackContext, ContextTypes, ExtBot
from telegram.request import BaseRequest, HTTPXRequest

from src.bot import chats, messages
from src.bot.conversation import Turn, forget_problem_message, load_student
from src.bot.ratelimit import DarsRateLimiter
from src.bot.replies import Reply
from src.bot.sending import send_replies
from src.config import get_settings
from src.database import get_session
from src.outage import is_outage
from src.practice.ports import AnswerJudge, HintSource

logger = logging.getLogger(__name__)

# edited_message: an edit gets a reply saying it is not read, instead of silence.
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock

Context = CallbackContext[ExtBot[str], dict[Any, Any], dict[Any, Any], dict[Any, Any]]


def utcnow() -> datetime:
    return datetime.now(UTC)


def database_connections() -> int:
    """How many connections this process's pool may open (a NullPool, in tests: its pool size)."""
    settings = get_settings()
    return settings.database_pool_size + settings.database_max_overflow


@dataclass
class UpdateScope:
    """What the handlers of the update being processed share: the Turn, its replies, any failure."""

    chat_id: int | None
    turn: Turn | None
    failure: BaseException | None = None
    replies: list[Reply] = field(default_factory=list)

    async def deliver(self, bot: ExtBot[str], replies: list[Reply]) -> None:
        """Queue `replies`: they are sent once the update's transaction has committed."""
        if self.turn is not None and self.chat_id is not None:
            self.replies.extend(replies)


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
        # Updates in their transaction at once: no more than the pool has connections. Telegram may send
        # up to 100 at once (setWebhook); the others wait here, in order and with no timeout, rather than
        # in the pool, whose 30 s timeout would fail them under a burst.
        self.transactions = asyncio.Semaphore(database_connections())

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
        """Handle one update exactly once. Raises only transient failures of its transaction (the caller
        should let Telegram retry); a bug is rolled back, recorded and apologised for."""
        chat_id = update.effective_chat.id if update.effective_chat is not None else None
        await answer_callback(update)  # first: the student's spinner stops whatever happens next
        async with self.chat_locks.hold(chat_id):
            try:
                async with self.transactions:
                    scope = await self._handle_in_transaction(update, chat_id)
            except Exception as error:
                if is_transient(error) or is_outage(error):  # an outage may come wrapped, as a cause
                    raise
                logger.exception("update %s failed; its effects were rolled back", update.update_id)
                await self._record_failure(update, chat_id)
                return
            if scope is not None and scope.chat_id is not None and scope.replies:
                await self._send_after_commit(scope.chat_id, scope.replies)

    async def _send_after_commit(self, chat_id: int, replies: list[Reply]) -> None:
        """Send the replies of a committed update. Nothing here fails the update: its work is saved and a
        redelivery would be skipped. A reply not sent, or a fact not written, is logged."""
        try:
            delivered = await send_replies(self.bot, chat_id, replies)
        except Exception:
            logger.exception("replies to chat %s not sent (the update's work is saved)", chat_id)
            return
        try:
            async with self.transactions:
                if delivered.blocked:
                    async with get_session() as db:
                        await chats.set_blocked(db, chat_id, True)
                elif delivered.new and delivered.problem_message is not None:
                    async with get_session() as db:
                        await chats.remember_problem_message(db, chat_id, delivered.problem_message)
        except Exception:  # the next answer then shows the problem again rather than grade it blind
            logger.exception("what was sent to chat %s could not be recorded", chat_id)

    async def _handle_in_transaction(self, update: Update, chat_id: int | None) -> UpdateScope | None:
        async with get_session() as db:
            if not await chats.claim_update(db, update.update_id, chat_id):
                logger.info("update %s was handled before: skipped", update.update_id)
                return None
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
            if turn is not None:
                forget_problem_message(turn, scope.replies)
            return scope

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
    bulk_rate: float = 25.0,
    reply_cap: float | None = None,
    rate_limiter: DarsRateLimiter | None = None,
    polling: bool = False,
) -> DarsApplication:
    """The bot's Application with its handlers. `request` replaces the HTTP layer (a fake Bot API in tests
    and `dars chat`); `polling` adds an Updater for long polling, otherwise updates come from `handle`.
    Replies are paced per chat; `reply_cap` (messages/s) adds a bot-wide cap on them, off by default."""
    from src.bot.handlers import install  # here: the handlers import this module

    context_types = ContextTypes(context=CallbackContext, bot_data=dict, chat_data=dict, user_data=dict)
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .application_class(DarsApplication)
        .token(token)
        .context_types(context_types)
        .rate_limiter(rate_limiter or DarsRateLimiter(bulk_rate=bulk_rate, reply_cap=reply_cap))
        .job_queue(None)
    )
    if base_url:
        builder = builder.base_url(base_url.rstrip("/") + "/bot")
    if request is not None:
        builder = builder.request(request)
        if polling:  # a fake or test transport answers the long polls too
            builder = builder.get_updates_request(request)
    else:
        # Up to 100 updates at once (setWebhook's max_connections) each send after their commit: enough
        # connections that none waits past the pool timeout behind the others' 50-100 ms round trips.
        request = HTTPXRequest(connection_pool_size=128, read_timeout=10.0, pool_timeout=10.0)
        builder = builder.request(request)
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
    except TelegramError as error:  # stale, or the network: the update is handled all the same
        logger.info("callback query %s not answered: %s", query.id, error.message)
