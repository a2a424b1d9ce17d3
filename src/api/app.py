"""FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from src.database import check_connection, dispose_engine


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield
    await dispose_engine()


def create_app() -> FastAPI:
    app = FastAPI(
        title="Dars",
        summary="Daily maths practice for grade 6-8 students in Bangladesh, in Bengali and English.",
        version="0.1.0",
        lifespan=lifespan,
    )

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

    return app
