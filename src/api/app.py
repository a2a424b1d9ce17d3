"""FastAPI application factory."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp

from src.answers.check import check_answer
from src.api import admin, admin_costs, sessions, students
from src.api.body_limit import BodyLimit
from src.api.errors import install_error_handlers
from src.api.expiry import expire_periodically
from src.api.route_table import dispatch_by_table
from src.bot.webhook import router as telegram_router
from src.bot.webhook import telegram_lifespan
from src.config import Environment, get_settings
from src.database import check_connection, dispose_engine
from src.web import install as install_web_pages

logger = logging.getLogger(__name__)

DESCRIPTION = """
Daily maths practice for grade 6-8 students in Bangladesh, in Bengali and English.

**Students** call from the Telegram Mini App with `Authorization: tma <initData>` (the raw
`Telegram.WebApp.initData`, checked against the bot token and its age). **Operators** use
`Authorization: Bearer <ADMIN_TOKEN>` on the `/admin` routes.

Every failure has one shape: `{"error": {"code": "...", "message": "...", "details": {...}}}`.
"""


def settle_heap() -> None:
    """Put what start-up loaded out of the garbage collector's reach, for the life of the process.

    FastAPI, SQLAlchemy and sympy leave ~270 000 objects that live as long as the server. A full collection
    walked all of them: ~165 ms, during which every request in flight on the worker waited (the p99 of the
    practice benchmark). Frozen objects are never collected, so this runs once, after start-up work, and
    never in tests, which start many apps in one process.
    """
    check_answer("1/2", "0.5")  # sympy fills its caches on first use: let them be frozen too
    gc.collect()
    gc.freeze()
    logger.info("heap settled: %d objects frozen", gc.get_freeze_count())


def make_lifespan(
    expiry_interval_seconds: float | None,
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        interval = (
            get_settings().session_expiry_interval_seconds
            if expiry_interval_seconds is None
            else expiry_interval_seconds
        )
        if get_settings().dars_env is not Environment.TEST:
            settle_heap()
        expiry = asyncio.create_task(expire_periodically(interval), name="dars-expire") if interval else None
        try:
            async with telegram_lifespan(app):
                yield
        finally:
            if expiry is not None:
                expiry.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await expiry
            await dispose_engine()

    return lifespan


class DarsAPI(FastAPI):
    """FastAPI, with the practice loop's routes found by table rather than by walking the router
    (src/api/route_table.py); the middleware stack is FastAPI's own."""

    def build_middleware_stack(self) -> ASGIApp:
        return dispatch_by_table(self, super().build_middleware_stack())


def create_app(*, expiry_interval_seconds: float | None = None) -> FastAPI:
    """The API. `expiry_interval_seconds` overrides SESSION_EXPIRY_INTERVAL_SECONDS (0 = no expiry job)."""
    app = DarsAPI(
        title="Dars",
        summary="Daily maths practice for grade 6-8 students in Bangladesh, in Bengali and English.",
        description=DESCRIPTION,
        version="0.1.0",
        lifespan=make_lifespan(expiry_interval_seconds),
    )
    install_error_handlers(app)
    app.add_middleware(BodyLimit)

    @app.get(
        "/health",
        tags=["operations"],
        summary="Liveness and database connectivity",
        responses={503: {"description": "The database does not answer"}},
    )
    async def health() -> JSONResponse:
        database_ok = await check_connection()
        body = {"status": "ok" if database_ok else "degraded", "database": database_ok}
        return JSONResponse(body, status_code=200 if database_ok else 503)

    app.include_router(sessions.router)  # first: the practice loop's requests are most of all requests
    app.include_router(students.router)
    app.include_router(admin.router)
    app.include_router(admin_costs.router)
    app.include_router(telegram_router)
    install_web_pages(app)  # /admin/ and /teach/ pages (src/web)
    return app
