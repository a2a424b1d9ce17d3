"""FastAPI application factory."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import multiprocessing
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp

from src.answers.check import check_answer
from src.api import admin, admin_costs, sessions, students
from src.api.body_limit import BodyLimit
from src.api.docs import install_docs
from src.api.errors import install_error_handlers
from src.api.expiry import expire_periodically
from src.api.route_table import dispatch_by_table
from src.bot.webhook import router as telegram_router
from src.bot.webhook import telegram_lifespan
from src.config import Environment, get_settings
from src.content.marking import marking_for
from src.database import check_connection, dispose_engine
from src.embedded_db import stop_embedded_servers
from src.outage import RETRY_AFTER_SECONDS
from src.web import install as install_web_pages

logger = logging.getLogger(__name__)

DESCRIPTION = """
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
    marking_for(0, "")  # the library's forms and common mistakes, read once (src/content/marking.py)
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
            if multiprocessing.parent_process() is not None:
                # A uvicorn worker (--workers N, --reload) exits through os._exit, skipping atexit: leave the
                # embedded PostgreSQL here, or it would be left running once every worker is gone.
                stop_embedded_servers()

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
        docs_url=None,  # served by install_docs, from this server rather than a CDN
        redoc_url=None,
    )
    install_error_handlers(app)
    app.add_middleware(BodyLimit)
    # A student pays for every byte: answers over 500 bytes go gzipped to clients that accept it (browsers,
    # the Mini App).
    app.add_middleware(GZipMiddleware, minimum_size=500)
    if origins := get_settings().cors_origins:
        # A Mini App is a page on its own origin calling with `Authorization: tma …`: the browser asks first
        # (a preflight), and only the origins named in DARS_CORS_ORIGINS are allowed. No cookies are used.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=86400,  # one preflight a day per route, not one per call on a thin data plan
        )

    @app.get(
        "/health",
        tags=["operations"],
        summary="Liveness and database connectivity",
        responses={503: {"description": "The database does not answer (`database: false`, `Retry-After`)"}},
    )
    async def health() -> JSONResponse:
        if await check_connection():
            return JSONResponse({"status": "ok", "database": True})
        body = {"status": "degraded", "database": False, "error": "database_unavailable"}
        return JSONResponse(body, status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    app.include_router(sessions.router)  # first: the practice loop's requests are most of all requests
    app.include_router(students.router)
    app.include_router(admin.router)
    app.include_router(admin_costs.router)
    app.include_router(telegram_router)
    install_docs(app)
    install_web_pages(app)  # /admin/ and /teach/ pages (src/web)
    return app
