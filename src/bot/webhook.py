"""The webhook door: POST /telegram/webhook, and the lifespan hook that runs the bot inside the API.

The update is processed before the request is answered: 200 means its transaction committed. On a crash
or a database outage Telegram gets no 200 and redelivers the update; the update_id dedupe makes that retry
safe. The route is left out of the OpenAPI document: it is Telegram's, not a client's.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from telegram import Update
from telegram.error import NetworkError
from telegram.request import BaseRequest

from src.bot.application import utcnow
from src.bot.ratelimit import DarsRateLimiter
from src.bot.runtime import BotRuntime, start_bot
from src.config import Settings, get_settings
from src.models.base import BIGINT
from src.outage import DATABASE, RETRY_AFTER_SECONDS, is_outage
from src.tutor import TutorProvider

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# When the Bot API cannot be reached at start-up, the API serves without the bot and tries again this often.
START_RETRY_SECONDS = 30.0
WEBHOOK_PATH = "/telegram/webhook"

router = APIRouter()


@dataclass
class BotOverrides:
    """Set as `app.state.telegram_overrides` before the lifespan starts (tests, benchmarks)."""

    settings: Settings | None = None
    request: BaseRequest | None = None  # the Bot API's HTTP layer, e.g. a fake's MockTransport
    clock: Callable[[], datetime] = utcnow
    reminders: bool = True
    tutor: TutorProvider | None = None  # e.g. Claude on a fake Messages API; None: the process-wide model
    start_retry_seconds: float = START_RETRY_SECONDS
    rate_limiter: DarsRateLimiter | None = None  # None: the production pacing


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "details": {}}}, status_code=status)


def _ids_storable(update: Update) -> bool:
    """Whether the ids an update is recorded under fit their BIGINT columns. Telegram's always do; an update
    whose ids do not could never be claimed, and a 500 would have it delivered again and again."""
    chat, user = update.effective_chat, update.effective_user
    ids = (update.update_id, chat.id if chat is not None else 0, user.id if user is not None else 0)
    return all(isinstance(value, int) and value in BIGINT for value in ids)


@router.post(WEBHOOK_PATH, include_in_schema=False)
async def telegram_webhook(request: Request) -> Response:
    runtime: BotRuntime | None = getattr(request.app.state, "telegram", None)
    if runtime is None or runtime.mode != "webhook":
        return _error(404, "telegram_webhook_off", "the Telegram webhook is not enabled on this server")
    given = request.headers.get(SECRET_HEADER, "")
    if not hmac.compare_digest(given.encode(), runtime.secret.encode()):
        return _error(401, "invalid_webhook_secret", f"missing or wrong {SECRET_HEADER}")
    try:
        data: Any = await request.json()
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            raise ValueError("not an update")
        update = Update.de_json(data, runtime.application.bot)
        if not _ids_storable(update):
            raise ValueError("an id beyond 64 bits")
    except HTTPException:  # the body is over the size limit (BodyLimit): 413, as for any route
        raise
    except Exception:
        return _error(400, "invalid_update", "the body is not a Telegram update")
    try:
        await runtime.application.handle(update)
    except Exception as error:
        if is_outage(error):  # one log line for the whole outage; Telegram redelivers after a non-2xx
            DATABASE.went_away(error)
            message = "the database cannot be reached now; retry later"
            unavailable = _error(503, "service_unavailable", message)
            unavailable.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return unavailable
        logger.exception("update %s not handled; Telegram will deliver it again", update.update_id)
        return _error(500, "update_failed", "the update could not be handled now; retry later")
    return Response(status_code=200)


@asynccontextmanager
async def telegram_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the bot for as long as the app runs (webhook, polling, or off as the settings say).

    A Bot API that cannot be reached at start-up does not keep the API from serving the Mini App: the bot
    starts in the background as soon as Telegram answers (until then the webhook answers 404, and Telegram
    keeps its updates). A token Telegram refuses, or any other failure, still stops start-up."""
    overrides: BotOverrides = getattr(app.state, "telegram_overrides", None) or BotOverrides()

    async def start() -> BotRuntime | None:
        return await start_bot(
            overrides.settings or get_settings(),
            request=overrides.request,
            clock=overrides.clock,
            reminders=overrides.reminders,
            tutor=overrides.tutor,
            rate_limiter=overrides.rate_limiter,
        )

    app.state.telegram = None
    later: asyncio.Task[None] | None = None
    try:
        app.state.telegram = await start()
    except NetworkError as error:
        logger.error(
            "Telegram Bot API unreachable (%s): serving without the bot, which starts when Telegram answers "
            "(trying every %.0f s)",
            error,
            overrides.start_retry_seconds,
        )
        later = asyncio.create_task(
            _start_when_reachable(app, start, overrides.start_retry_seconds), name="dars-bot-start"
        )
    try:
        yield
    finally:
        if later is not None:
            later.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await later
        runtime: BotRuntime | None = app.state.telegram
        app.state.telegram = None
        if runtime is not None:
            await runtime.stop()


async def _start_when_reachable(
    app: FastAPI, start: Callable[[], Awaitable[BotRuntime | None]], interval_seconds: float
) -> None:
    while True:
        await asyncio.sleep(interval_seconds)
        try:
            app.state.telegram = await start()
        except NetworkError as error:
            logger.warning(
                "Telegram Bot API still unreachable (%s): trying again in %.0f s", error, interval_seconds
            )
            continue
        except Exception:  # e.g. the token refused after all: nothing a retry can mend
            logger.exception("the Telegram bot could not start; it stays off until the server restarts")
            return
        logger.info("Telegram Bot API reachable again: the bot is on")
        return
