"""One error shape for every failure: {"error": {"code", "message", "details"}}.

Domain errors (DarsError) carry their own code and status. FastAPI's and Starlette's own failures
(validation, unknown route, wrong method, malformed JSON) are translated into the same shape. A database
that cannot be reached is an outage (src/outage.py): 503 `service_unavailable` with `Retry-After`, and one
log line for the whole outage. Anything else is a bug: logged with its traceback, answered 500.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from src.auth.errors import NotAuthenticated
from src.errors import DarsError
from src.outage import DATABASE, RETRY_AFTER_SECONDS, is_outage

logger = logging.getLogger(__name__)


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable, machine-readable reason, e.g. `session_expired`.")
    message: str = Field(description="What went wrong, in English, for logs and developers.")
    details: dict[str, Any] = Field(default_factory=dict, description="Facts about this failure.")


class ErrorResponse(BaseModel):
    """The body of every 4xx and 5xx answer."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "error": {
                        "code": "session_expired",
                        "message": "this session expired at 2026-05-01T04:30:00+00:00; start a new one",
                        "details": {"expires_at": "2026-05-01T04:30:00+00:00"},
                    }
                }
            ]
        }
    )

    error: ErrorDetail


_DESCRIPTIONS = {
    400: "Malformed request (e.g. a body that is not JSON)",
    401: "Missing or invalid credentials (`not_authenticated`, `invalid_init_data`, `init_data_expired`, "
    "`invalid_admin_token`)",
    403: "Authenticated, but not allowed (`forbidden`)",
    404: "Not found, or not yours (`student_not_found`, `session_not_found`, `not_registered`)",
    409: "Conflicts with the current state (`already_registered`, `session_expired`, `session_closed`, "
    "`problem_not_current`, `no_hints_left`)",
    422: "The request does not validate (`validation_error`, `invalid_input`)",
    500: "A bug on our side; logged (`internal_error`)",
    503: "The database cannot be reached now (`service_unavailable`, with `Retry-After`), or the server is "
    "not configured for this kind of credential (`auth_not_configured`)",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for these statuses, all with the ErrorResponse body."""
    return {
        status: {"model": ErrorResponse, "description": _DESCRIPTIONS.get(status, HTTPStatus(status).phrase)}
        for status in statuses
    }


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": jsonable_encoder(details or {})}}


def _json(
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


async def _dars_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DarsError)
    headers = {"WWW-Authenticate": exc.challenge} if isinstance(exc, NotAuthenticated) else None
    return _json(exc.status, exc.code, exc.message, exc.details, headers)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        # `input` may echo secrets or huge bodies, and `ctx` may hold exception objects: leave them out.
        {"loc": list(error.get("loc", ())), "msg": error.get("msg", ""), "type": error.get("type", "")}
        for error in exc.errors()
    ]
    if any(error["type"] == "json_invalid" for error in errors):
        return _json(400, "malformed_json", "the request body is not valid JSON", {"errors": errors})
    return _json(422, "validation_error", "the request does not validate", {"errors": errors})


_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    code = _HTTP_CODES.get(status, HTTPStatus(status).phrase.lower().replace(" ", "_"))
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(status).phrase
    details: dict[str, Any] = {"method": request.method, "path": request.url.path}
    return JSONResponse(error_body(code, message, details), status_code=status, headers=exc.headers)


def service_unavailable() -> JSONResponse:
    """503 while the database is away: the client (or Telegram) tries again after Retry-After."""
    return _json(
        503,
        "service_unavailable",
        "the database cannot be reached now; retry later",
        {"retry_after_seconds": RETRY_AFTER_SECONDS},
        {"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    # Registered for the exception classes a lost database raises (not for Exception: Starlette re-raises
    # what reaches that handler, and the server would log a traceback for every request of the outage).
    if is_outage(exc):
        DATABASE.went_away(exc)
        return service_unavailable()
    return await _unexpected_error(request, exc)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    if is_outage(exc):
        DATABASE.went_away(exc)
        return service_unavailable()
    logger.exception("unhandled error in %s %s", request.method, request.url.path, exc_info=exc)
    return _json(500, "internal_error", "something went wrong on our side; it has been logged")


# What a database that went away raises, through SQLAlchemy or straight from asyncpg and the socket.
DATABASE_ERRORS: tuple[type[Exception], ...] = (
    sa_exc.DBAPIError,
    sa_exc.TimeoutError,
    OSError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DarsError, _dars_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    for error_class in DATABASE_ERRORS:
        app.add_exception_handler(error_class, _database_error)
    app.add_exception_handler(Exception, _unexpected_error)
