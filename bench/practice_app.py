"""The ASGI app the practice benchmark serves: the production app, with the benchmark's bot token for auth.

`uvicorn bench.practice_app:create_app --factory --workers N`. Everything is `src.api.app.create_app()` as
`dars serve` builds it, with TELEGRAM_BOT_TOKEN set (from BENCH_BOT_TOKEN) so Mini App `initData` is checked
against it. The Telegram bot itself is kept off through the lifespan's overrides: it would call the real Bot
API on start, and its own throughput is bench/webhook_bench.py's subject. (Not through FastAPI's
`dependency_overrides`: with any override present FastAPI rebuilds the dependency tree on every request,
a cost production does not pay.)
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from src.api.app import create_app as create_production_app
from src.bot.webhook import BotOverrides
from src.config import get_settings

TOKEN_VARIABLE = "BENCH_BOT_TOKEN"


def create_app() -> FastAPI:
    os.environ["TELEGRAM_BOT_TOKEN"] = os.environ[TOKEN_VARIABLE]
    os.environ.pop("TELEGRAM_WEBHOOK_URL", None)
    get_settings.cache_clear()
    app = create_production_app()
    bot_off = get_settings().model_copy(update={"telegram_bot_token": None})
    app.state.telegram_overrides = BotOverrides(settings=bot_off, reminders=False)
    return app
