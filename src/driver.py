"""The session's own asyncpg connection, for the few hot statements of the practice loop.

Every hint and answer reads and writes the same few rows. Through SQLAlchemy each statement costs about
300 µs of CPU (statement caching, greenlet hops, result and ORM processing); the same statement sent on
asyncpg directly costs about 100 µs (bench/README.md has the profile). `Driver` sends hot statements on the
connection and inside the transaction of an AsyncSession, so they commit or roll back with everything else
the request does, and reports failures as SQLAlchemy's exceptions (IntegrityError, OperationalError, ...),
exactly as `db.execute` would, so error handling above it is one and the same.

It reaches into SQLAlchemy's asyncpg adapter (`_transaction`, `_start_transaction`, `_handle_exception`);
SQLAlchemy is pinned, and tests/foundation/test_driver.py fails if that contract moves.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, TypeVar, cast

from sqlalchemy import exc as sa_exc
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import instance_dict, instance_state, set_committed_value
from sqlalchemy.orm.instrumentation import manager_of_class

T = TypeVar("T")


class Row(Protocol):
    """An asyncpg Record: values by column name or position."""

    def __getitem__(self, key: str | int, /) -> Any: ...


class Driver:
    """Statements on the session's asyncpg connection, in its transaction (see the module docstring)."""

    __slots__ = ("_adapted", "_connection", "_log")

    def __init__(self, adapted: Any, log: Any) -> None:
        self._adapted = adapted  # SQLAlchemy's AsyncAdapt_asyncpg_connection
        self._connection = adapted.driver_connection  # the asyncpg.Connection
        self._log = log  # the engine's logger: DATABASE_ECHO shows these statements beside its own

    @property
    def in_transaction(self) -> bool:
        """False once the transaction the Driver was made in has ended."""
        return self._adapted._transaction is not None or self._adapted.isolation_level == "autocommit"

    async def fetchrow(self, query: str, *args: object) -> Row | None:
        row: Row | None = await self._run(self._connection.fetchrow, query, args)
        return row

    async def fetch(self, query: str, *args: object) -> Sequence[Row]:
        rows: Sequence[Row] = await self._run(self._connection.fetch, query, args)
        return rows

    async def fetchval(self, query: str, *args: object) -> Any:
        return await self._run(self._connection.fetchval, query, args)

    async def execute(self, query: str, *args: object) -> None:
        await self._run(self._connection.execute, query, args)

    async def _run(self, call: Callable[..., Awaitable[T]], query: str, args: tuple[object, ...]) -> T:
        if self._log.isEnabledFor(logging.INFO):
            self._log.info("[driver] %s %r", query.strip(), args)
        try:
            return await call(query, *args)
        except Exception as error:  # CancelledError (a timeout) is not an Exception and passes untouched
            raise self._translate(error, query, args) from error

    def _translate(self, error: Exception, query: str, args: tuple[object, ...]) -> BaseException:
        dbapi = self._adapted.dbapi
        try:
            self._adapted._handle_exception(error)  # raises SQLAlchemy's DBAPI-level twin of the error
        except dbapi.Error as translated:
            wrapped: BaseException = sa_exc.DBAPIError.instance(
                query,
                args,
                translated,
                dbapi.Error,
                connection_invalidated=bool(self._connection.is_closed()),
            )
            return wrapped
        except Exception as other:
            return other
        return error  # pragma: no cover - _handle_exception always raises


_DRIVER = "dars_driver"


async def driver(db: AsyncSession) -> Driver:
    """The asyncpg connection under `db`, its transaction begun (SQLAlchemy sends BEGIN lazily, with the
    first statement; a statement sent around it would run, and release its locks, on its own)."""
    if not db.sync_session._is_clean():  # db.new, .dirty and .deleted each build a set to say the same
        await db.flush()  # what autoflush does before a query: the statements see the session's own changes
    transaction = db.sync_session.get_transaction()
    cached = db.info.get(_DRIVER)
    if cached is not None and transaction is not None and cached[0] is transaction:
        driver_: Driver = cached[1]
        if driver_.in_transaction:
            return driver_
    connection = await db.run_sync(_connection_of)  # one greenlet, no AsyncConnection proxies
    adapted = connection.connection.dbapi_connection
    if adapted is None:
        raise sa_exc.InvalidRequestError("the session's connection is invalidated")
    if adapted._transaction is None and adapted.isolation_level != "autocommit":
        await adapted._start_transaction()
    driver_ = Driver(adapted, connection.engine.logger)
    db.info[_DRIVER] = (db.sync_session.get_transaction(), driver_)  # for the rest of this transaction
    return driver_


def _connection_of(session: Session) -> Connection:
    return session.connection()  # checks a connection out of the pool, as the session's first statement would


E = TypeVar("E")


def select_list(entity: type[Any], alias: str) -> str:
    """`alias.column, ...` for every column of an ORM entity: the select list `adopt_row` reads."""
    return ", ".join(f"{alias}.{column.name}" for column in inspect(entity).columns)


_ATTRIBUTES: dict[type[Any], tuple[tuple[str, str, Any], ...]] = {}


def _attributes(entity: type[Any]) -> tuple[tuple[str, str, Any], ...]:
    """(attribute, column, enum class or None) for each column of `entity`, worked out once."""
    plan = _ATTRIBUTES.get(entity)
    if plan is None:
        plan = _ATTRIBUTES[entity] = tuple(
            (attribute.key, attribute.columns[0].name, getattr(attribute.columns[0].type, "enum_class", None))
            for attribute in inspect(entity).column_attrs
        )
    return plan


def values_of(entity: type[Any], row: Row) -> dict[str, Any]:
    """The attributes of `entity` from a row selected with `select_list`; enum labels become its enums."""
    values = {}
    for key, name, enum_class in _attributes(entity):
        value = row[name]
        values[key] = enum_class(value) if enum_class is not None and value is not None else value
    return values


def adopt_row(db: AsyncSession, entity: type[E], row: Row) -> E:
    """`adopt` for a row selected with `select_list(entity, ...)`."""
    return adopt(db, entity, values_of(entity, row))


def snapshot(entity: type[E], values: dict[str, Any]) -> E:
    """A transient object holding `values` as if loaded: no change history (which the constructor records,
    at several times the cost), never flushed unless added."""
    instance: E = manager_of_class(entity).new_instance()
    # What the ORM's loader does for a new object: the loaded values go straight into its dict. A new
    # instance has nothing expired and no history, so `set_committed_value` (a third of this function's
    # cost, per attribute) would only clear what is already clear.
    instance_dict(instance).update(values)
    return instance


def adopt(db: AsyncSession, entity: type[E], values: dict[str, Any]) -> E:
    """A row read through the Driver as a persistent object of `db`, as if the ORM had loaded it: changes
    to it are flushed as usual. An object already in the identity map is refreshed with `values` and
    returned instead (what `populate_existing` does for an ORM query)."""
    mapper = inspect(entity)
    key = mapper.identity_key_from_primary_key([values[column.key] for column in mapper.primary_key])
    existing = db.identity_map.get(key)
    if existing is not None:
        mark_saved(existing, values)
        return cast(E, existing)
    instance = snapshot(entity, values)
    # What the ORM's loader does with a row it has not seen (sqlalchemy.orm.loading._instance): the new
    # object gets its identity and enters the identity map, attached to the session. `make_transient_to_
    # detached` + `add` end in the same state by way of attach events and a cascade walk, at three times
    # the cost. tests/foundation/test_driver.py checks the result is an ordinary persistent object.
    state = instance_state(instance)
    state.key = key
    state.identity_token = key[2]
    sync_session = db.sync_session
    state.session_id = sync_session.hash_key
    sync_session.identity_map._add_unpresent(state, key)
    return instance


def mark_saved(instance: object, values: dict[str, Any]) -> None:
    """Set `values` on `instance` as the row holds them, not as pending changes: after the Driver read or
    wrote them."""
    for name, value in values.items():
        set_committed_value(instance, name, value)
