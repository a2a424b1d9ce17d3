"""CONTRACT: get_engine, get_session, check_connection (docs/database-schema.md).

`get_session` works both ways the spec uses it: `async with get_session() as db:` and
`db: AsyncSession = Depends(get_session)`. Either way the session commits when the block (or request)
ends normally, rolls back on an exception, and is closed. Each session holds one pooled connection from its
first statement to its close, shared by the ORM and the hot-path Driver (src/driver.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
import weakref
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from types import TracebackType
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

from src.config import Environment, get_settings
from src.driver import OneConnectionSession, end_transaction
from src.embedded_db import start_embedded_server
from src.outage import DATABASE, is_outage
from src.pg_url import engine_arguments

logger = logging.getLogger(__name__)

_engine: AsyncEngine | None = None
_session_factory: async_sessionmaker[DarsSession] | None = None

# AsyncSession.get's own keyword arguments; any other keyword names a primary-key column.
_GET_OPTIONS = frozenset(
    {
        "options",
        "populate_existing",
        "with_for_update",
        "identity_token",
        "execution_options",
        "bind_arguments",
    }
)


class DarsSession(AsyncSession):
    """AsyncSession that also accepts the primary key by column name: `db.get(Student, student_id=1)`."""

    async def get(
        self,
        entity: Any,
        ident: Any = None,
        **kwargs: Any,
    ) -> Any:
        options = {key: value for key, value in kwargs.items() if key in _GET_OPTIONS}
        by_name = {key: value for key, value in kwargs.items() if key not in _GET_OPTIONS}
        if by_name:
            if ident is not None:
                raise TypeError("pass the primary key positionally or by name, not both")
            ident = by_name if len(by_name) > 1 else _single_key(entity, by_name)
        if ident is None:
            raise TypeError("get() needs a primary key")
        return await super().get(entity, ident, **options)


def _single_key(entity: Any, by_name: Mapping[str, Any]) -> Any:
    from sqlalchemy import inspect

    (name, value), *_ = by_name.items()
    key_names: Sequence[str] = [column.key for column in inspect(entity).primary_key]
    if [name] != list(key_names):
        raise TypeError(f"{name!r} is not the primary key of {entity.__name__} ({key_names})")
    return value


def database_url() -> str:
    """The configured DATABASE_URL, or the embedded server's (started on first use)."""
    settings = get_settings()
    if settings.database_url:
        return settings.database_url
    return start_embedded_server(settings.dars_data_dir)


def engine_for(url: str, **options: Any) -> AsyncEngine:
    """An async engine for `url` as any source gives it (DATABASE_URL, TEST_DATABASE_URL, Alembic's option):
    the scheme made asyncpg's and `sslmode` carried to asyncpg (src/pg_url.py), and with DATABASE_PGBOUNCER
    no prepared statement that outlives its statement. Every engine Dars builds comes from here."""
    engine_url, connect_args = engine_arguments(url)
    if get_settings().database_pgbouncer:
        # asyncpg's cache off: its own statements are unnamed. SQLAlchemy's dialect still prepares a named
        # statement for each execution: unique names, so two clients sharing a server connection through
        # PgBouncer never collide, and no cache that would reuse one on another server connection.
        connect_args |= {"statement_cache_size": 0, "prepared_statement_cache_size": 0}
        connect_args["prepared_statement_name_func"] = _unique_statement_name
    return create_async_engine(engine_url, connect_args=connect_args, **options)


def _unique_statement_name() -> str:
    return f"__asyncpg_{uuid.uuid4().hex}__"


def get_engine() -> AsyncEngine:
    """The process-wide async engine (created on first use)."""
    global _engine, _session_factory
    if _engine is None:
        settings = get_settings()
        url = database_url()
        if settings.dars_env is Environment.TEST:
            # Tests open and close many event loops; pooled connections must not outlive theirs.
            _engine = engine_for(url, echo=settings.database_echo, poolclass=NullPool)
        else:
            # The contract's production pool, per process: each uvicorn worker holds its own.
            _engine = engine_for(
                url,
                echo=settings.database_echo,
                pool_size=settings.database_pool_size,
                max_overflow=settings.database_max_overflow,
                pool_pre_ping=True,
            )
            _ping_cheaply(_engine)
        # One pooled connection per session, shared by the ORM and the Driver (src/driver.py says why);
        # the session owns the transaction it finds begun on it.
        _session_factory = async_sessionmaker(
            _engine,
            class_=DarsSession,
            sync_session_class=OneConnectionSession,
            join_transaction_mode="control_fully",
            expire_on_commit=False,
        )
    return _engine


# A connection back in the pool this recently is taken as alive without a round trip (HikariCP's
# "alive bypass window", 500 ms, for the same reason).
ALIVE_BYPASS_SECONDS = 0.5


def _ping_cheaply(engine: AsyncEngine) -> None:
    """Keep pre-ping, without its cost on busy connections.

    SQLAlchemy's ping for asyncpg is `BEGIN`, `;`, `ROLLBACK`: three round trips before every transaction,
    a third of a hint's (bench/README.md). A connection that died while idle is seen without asking:
    asyncpg reads the socket all along, so a server restart or a killed backend has already closed it
    (`is_closed()`). One checked in under ALIVE_BYPASS_SECONDS ago just finished a transaction, so it is
    alive; any other still gets SQLAlchemy's own ping. A failed ping invalidates the pool, as before.
    """
    dialect = engine.sync_engine.dialect
    full_ping = dialect.do_ping
    returned_at: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()

    def checked_in(dbapi_connection: Any, _record: Any) -> None:
        if dbapi_connection is not None:  # None when the connection was invalidated
            returned_at[dbapi_connection.driver_connection] = time.monotonic()

    def ping(dbapi_connection: Any) -> bool:
        driver = dbapi_connection.driver_connection
        if driver.is_closed():
            return False
        last = returned_at.get(driver)
        if last is not None and time.monotonic() - last < ALIVE_BYPASS_SECONDS:
            return True
        return bool(full_ping(dbapi_connection))

    event.listen(engine.sync_engine.pool, "checkin", checked_in)
    dialect.do_ping = ping  # type: ignore[method-assign]


def get_session_factory() -> async_sessionmaker[DarsSession]:
    get_engine()
    assert _session_factory is not None
    return _session_factory


async def dispose_engine() -> None:
    """Close every pooled connection and forget the engine (shutdown, or a test changing settings)."""
    global _engine, _session_factory
    if _engine is not None:
        await _engine.dispose()
    _engine = None
    _session_factory = None


_AFTER_ROLLBACK = "dars_after_rollback"


def after_rollback(db: AsyncSession, write: Callable[[], Awaitable[None]]) -> None:
    """Run `write` (in a transaction of its own) if `get_session` rolls this session's work back: for facts
    that must outlive a failed request, such as the cost of a model call that was already billed."""
    db.info.setdefault(_AFTER_ROLLBACK, []).append(write)


async def _run_after_rollback(session: AsyncSession) -> None:
    for write in session.info.pop(_AFTER_ROLLBACK, []):
        try:
            await write()
        except Exception as error:  # the database may be what failed; never hide the original error
            if is_outage(error):
                logger.error("a write that had to survive a rollback was lost: the database is unavailable")
            else:
                logger.exception("a write that had to survive a rollback was lost")


async def session_scope() -> AsyncGenerator[DarsSession, None]:
    """The generator behind `get_session()`: yields a session, commits it, or rolls it back on any error.
    The API's `Depends` uses it directly (src/api/dependencies.py): one context layer less per request."""
    session = get_session_factory()()
    try:
        yield session
        await end_transaction(session, commit=True)
        session.info.pop(_AFTER_ROLLBACK, None)
        if DATABASE.down:  # a commit went through: the outage, if this process saw one, is over
            DATABASE.came_back()
    except BaseException:
        await end_transaction(session, commit=False)
        await _run_after_rollback(session)
        raise
    finally:
        # Not `async with session`: its exit closes in a new task under asyncio.shield, so that a
        # cancelled request still returns its connection. Here the transaction has already ended (commit or
        # rollback above), so closing sends nothing and cannot be interrupted; the task cost a tenth of
        # the session's overhead on every request.
        await session.close()


_scoped_session = asynccontextmanager(session_scope)


class _SessionContext(AbstractAsyncContextManager[DarsSession]):
    """What `get_session()` returns: an async context manager for `async with`, and an async generator
    for FastAPI, which drives a `Depends` generator with `__anext__` / `athrow`."""

    def __init__(self) -> None:
        self._manager = _scoped_session()
        self._generator = self._manager.gen  # the one generator both ways drive

    async def __aenter__(self) -> DarsSession:
        return await self._manager.__aenter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool | None:
        return await self._manager.__aexit__(exc_type, exc, traceback)

    def __aiter__(self) -> AsyncIterator[DarsSession]:
        return self._generator

    async def __anext__(self) -> DarsSession:
        return await self._generator.__anext__()

    async def asend(self, value: None) -> DarsSession:
        return await self._generator.asend(value)

    async def athrow(self, *args: Any) -> DarsSession:
        return await self._generator.athrow(*args)

    async def aclose(self) -> None:
        await self._generator.aclose()


def get_session() -> _SessionContext:
    """A database session that commits on success and rolls back on error (see module docstring)."""
    return _SessionContext()


# FastAPI recognises generator dependencies by unwrapping `__wrapped__`: point it at the generator.
get_session.__wrapped__ = session_scope  # type: ignore[attr-defined]


async def check_connection(timeout_seconds: float = 5.0) -> bool:
    """True when the database answers `SELECT 1` within the timeout. Never raises."""
    try:
        async with asyncio.timeout(timeout_seconds), get_engine().connect() as connection:
            await connection.execute(text("SELECT 1"))
    except TimeoutError:
        DATABASE.went_away(f"no answer to SELECT 1 in {timeout_seconds:g} s")
        return False
    except Exception as exc:
        if is_outage(exc):
            DATABASE.went_away(exc)
        else:
            logger.warning("database check failed: %s", exc)
        return False
    DATABASE.came_back()
    return True
