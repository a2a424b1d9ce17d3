"""Starting and stopping the bot in one of its modes, chosen by the settings:

- webhook:  TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_URL set. Updates arrive at POST /telegram/webhook of the
            API; setWebhook (with the secret token) is called on start. The webhook stays registered on
            stop, so a restart or a second worker loses nothing.
- polling:  only TELEGRAM_BOT_TOKEN set (development). PTB's Updater long-polls alongside the API.
- off:      no token; one log line says so.

In both running modes the daily reminder loop runs with the bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from telegram.error import InvalidToken
from telegram.request import BaseRequest

from src.bot.application import ALLOWED_UPDATES, DarsApplication, build_application, utcnow
from src.bot.ratelimit import DarsRateLimiter
from src.bot.reminders import reminder_loop
from src.config import ConfigError, Settings
from src.tutor import TutorProvider, model_tutor

logger = logging.getLogger(__name__)

Mode = Literal["webhook", "polling"]


def webhook_secret(settings: Settings) -> str:
    """TELEGRAM_WEBHOOK_SECRET, or one derived from the token (64 hex characters, which Telegram accepts)."""
    if settings.telegram_webhook_secret is not None:
        return settings.telegram_webhook_secret.get_secret_value()
    assert settings.telegram_bot_token is not None
    token = settings.telegram_bot_token.get_secret_value().encode()
    return hmac.new(token, b"dars-telegram-webhook", hashlib.sha256).hexdigest()


@dataclass
class BotRuntime:
    application: DarsApplication
    mode: Mode
    secret: str
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        application = self.application
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()


async def start_bot(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    clock: Callable[[], datetime] = utcnow,
    reminders: bool = True,
    tutor: TutorProvider | None = None,
    rate_limiter: DarsRateLimiter | None = None,
) -> BotRuntime | None:
    """Start the bot in the mode the settings ask for; None (after one log line) when it is off.

    `tutor` judges the answers the checker cannot read and writes hints; by default the process-wide model
    (the one the API uses), or none without ANTHROPIC_API_KEY: then hints are curated and nothing is judged.
    """
    if settings.telegram_bot_token is None:
        if settings.telegram_webhook_url:
            logger.error("Telegram bot off: TELEGRAM_WEBHOOK_URL is set but TELEGRAM_BOT_TOKEN is not")
        else:
            logger.info("Telegram bot off: TELEGRAM_BOT_TOKEN is not set")
        return None
    mode: Mode = "webhook" if settings.telegram_webhook_url else "polling"
    application = build_application(
        settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_api_base_url,
        request=request,
        bulk_rate=settings.dars_telegram_bulk_rate,
        reply_cap=settings.dars_telegram_reply_cap or None,
        rate_limiter=rate_limiter,
        polling=mode == "polling",
    )
    application.clock = clock
    tutor = tutor or model_tutor()
    application.judge = tutor
    application.hint_source = tutor
    secret = webhook_secret(settings)
    try:
        await application.initialize()  # getMe: a wrong token fails here
    except BaseException as error:
        await application.bot.shutdown()  # the HTTP clients getMe opened (a retry builds new ones)
        if isinstance(error, InvalidToken):
            raise ConfigError(f"TELEGRAM_BOT_TOKEN was refused by the Bot API: {error.message}") from None
        raise
    runtime = BotRuntime(application, mode, secret)
    try:
        if mode == "webhook":
            assert settings.telegram_webhook_url is not None
            await application.bot.set_webhook(
                settings.telegram_webhook_url,
                secret_token=secret,
                allowed_updates=list(ALLOWED_UPDATES),
                # Telegram's most. An update holds a database connection only while its transaction runs
                # (its replies go out after the commit), so updates beyond the pool wait their turn for a
                # connection, briefly, instead of Telegram holding them back.
                max_connections=100,
            )
            await application.start()
            logger.info("Telegram bot on: webhook %s", settings.telegram_webhook_url)
        else:
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(allowed_updates=list(ALLOWED_UPDATES))
            logger.info(
                "Telegram bot on: long polling (development; set TELEGRAM_WEBHOOK_URL for production)"
            )
        if reminders:
            runtime.tasks.append(
                asyncio.create_task(reminder_loop(application.bot, clock=clock), name="dars-reminders")
            )
    except BaseException:
        await runtime.stop()
        raise
    return runtime
