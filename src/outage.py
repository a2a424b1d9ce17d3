"""Is the database away? One line in the log when it goes, one when it is back; 503s in between.

While PostgreSQL is down (restarting, failing over, unreachable) every request fails the same way. That is
an outage, not a bug: the API answers 503 `service_unavailable` with `Retry-After`, the webhook a non-2xx
so that Telegram delivers the update again, and the log says once that the database went away (with the
first error) and once that it came back (with how long it was away), instead of a traceback per request.

`is_outage` decides from the exception alone: a connection that could not be opened or was lost (OSError
raised in SQLAlchemy's or asyncpg's code, asyncpg's connection errors, "the database system is shutting
down / starting up", SQLAlchemy's invalidated connections), or a pool with no connection to give in time.
Anything else stays a bug: a traceback and a 500.
"""

from __future__ import annotations

import logging
import time
from types import TracebackType

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import exc as sa_exc

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5  # what a client is told to wait; PostgreSQL restarts in about that (issue 20)

_CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,  # class 08: cannot connect, connection failure, rejected
    asyncpg.CannotConnectNowError,  # 57P03: starting up, shutting down, in recovery
    asyncpg.AdminShutdownError,  # 57P01: terminated by an administrator (pg_terminate_backend, restart)
    asyncpg.CrashShutdownError,  # 57P02
    asyncpg.TooManyConnectionsError,  # 53300
    asyncpg.ConnectionDoesNotExistError,  # the connection was closed in the middle of an operation
)
_DATABASE_CODE = ("sqlalchemy.", "asyncpg.", "src.database", "src.driver")


def _raised_in_database_code(error: BaseException) -> bool:
    traceback: TracebackType | None = error.__traceback__
    while traceback is not None:
        module = str(traceback.tb_frame.f_globals.get("__name__", ""))
        if module.startswith(_DATABASE_CODE):
            return True
        traceback = traceback.tb_next
    return False


def _is_outage_itself(error: BaseException) -> bool:
    if isinstance(error, _CONNECTION_ERRORS):
        return True
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, sa_exc.TimeoutError):  # the pool had no connection to give in time
        return True
    if isinstance(error, asyncpg.InterfaceError) and "connection" in str(error).lower():
        return True  # "cannot call Connection.fetch(): connection is closed"
    return isinstance(error, OSError) and _raised_in_database_code(error)


def is_outage(error: BaseException) -> bool:
    """Does this exception (or one it was raised from) mean the database cannot be reached?"""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen and len(seen) < 16:
        seen.add(id(current))
        if _is_outage_itself(current):
            return True
        current = current.__cause__ or current.__context__
    return False


class DatabaseState:
    """Whether this process last saw the database away, and since when (monotonic seconds)."""

    def __init__(self) -> None:
        self.down_since: float | None = None

    @property
    def down(self) -> bool:
        return self.down_since is not None

    def went_away(self, error: BaseException | str) -> None:
        if self.down_since is not None:
            return
        self.down_since = time.monotonic()
        reason = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        logger.error("database unavailable (%s); answering 503 until it is back", reason)

    def came_back(self) -> None:
        if self.down_since is None:
            return
        away = time.monotonic() - self.down_since
        self.down_since = None
        logger.warning("database available again after %.1f s", away)


DATABASE = DatabaseState()  # one per process: what the API, the webhook and the background jobs share
