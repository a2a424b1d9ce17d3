"""The session's own asyncpg connection, for the few hot statements of the practice loop.

Every hint and answer reads and writes the same few rows. Through SQLAlchemy each statement costs about
300 µs of CPU (statement caching, greenlet hops, result and ORM processing); the same statement sent on
asyncpg directly costs about 100 µs (bench/README.md has the profile). `Driver` sends hot statements on the
connection and inside the transaction of an AsyncSession, so they commit or roll back with everything else
the request does, and reports failures as SQLAlchemy's exceptions (IntegrityError, OperationalError, ...),
exactly as `db.execute` would, so error handling above it is one and the same.

Sessions made by `src.database` hold one pooled connection for their whole life (`OneConnectionSession`):
the Driver and the ORM share it, and a request that only uses the Driver never builds the ORM's
transaction machinery at all (`end_transaction` commits what the Driver began).

It reaches into SQLAlchemy's asyncpg adapter (`_transaction`, `_start_transaction`, `_call_and_discard`,
`_handle_exception`); SQLAlchemy is pinned, and tests/foundation/test_driver.py fails if that contract moves.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, TypeVar, cast

from sqlalchemy import exc as sa_exc
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import instance_dict, instance_state, set_committed_value
from sqlalchemy.orm.instrumentation import manager_of_class
from sqlalchemy.pool import PoolProxiedConnection

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

    def log(self, query: str, args: tuple[object, ...] | None = None) -> None:
        """Show a statement in the engine's log (DATABASE_ECHO), as SQLAlchemy shows its own."""
        if self._log.isEnabledFor(logging.INFO):
            if args is None:
                self._log.info("[driver] %s", query)
            else:
                self._log.info("[driver] %s %r", query.strip(), args)

    async def _run(self, call: Callable[..., Awaitable[T]], query: str, args: tuple[object, ...]) -> T:
        self.log(query, args)
        try:
            return await call(query, *args)
        except Exception as error:  # CancelledError (a timeout) is not an Exception and passes untouched
            raise _translate(self._adapted, error, query, args) from error


def _translate(adapted: Any, error: Exception, query: str, args: tuple[object, ...]) -> BaseException:
    """The SQLAlchemy exception `db.execute` would raise for `error` (an asyncpg one)."""
    try:
        adapted._handle_exception(error)  # raises SQLAlchemy's DBAPI-level twin of the error
    except adapted.dbapi.Error as translated:
        return _wrapped(adapted, translated, query, args)
    except Exception as other:
        return other
    return error  # pragma: no cover - _handle_exception always raises


def _wrapped(adapted: Any, error: Exception, query: str, args: tuple[object, ...]) -> BaseException:
    """A DBAPI-level error of the adapter as the SQLAlchemy exception (IntegrityError, ...) it stands for."""
    wrapped: BaseException = sa_exc.DBAPIError.instance(
        query,
        args,
        error,
        adapted.dbapi.Error,
        connection_invalidated=bool(adapted.driver_connection.is_closed()),
    )
    return wrapped


class OneConnectionSession(Session):
    """The sync half of the sessions `src.database` makes: one pooled connection for the session's life.

    The connection is checked out of the engine's pool (pre-ping, events and all) on first use, by the Driver
    or by the ORM, and returned when the session closes. The ORM reaches it through `get_bind`, as a Core
    Connection over the same pooled connection, so ORM and Driver statements share one transaction.

    Why: an AsyncSession's own way to a connection (a SessionTransaction, a Core Connection, their begin,
    commit and close, each through a greenlet) costs ~400 000 instructions, 14% of a practice request, which
    uses only the Driver (bench/README.md). With this, such a request checks a connection out, and the
    Driver's transaction is committed on it directly (`end_transaction`). A request that uses the ORM gets
    the ORM's transaction as before, begun on the held connection; the session commits it as its own
    (join_transaction_mode="control_fully"), and since the Driver's BEGIN and the ORM's are the same one
    on the connection, that commit covers both.
    """

    _held: PoolProxiedConnection | None = None
    _core: Connection | None = None

    @property
    def held(self) -> PoolProxiedConnection | None:
        """The pooled connection, if checked out."""
        return self._held

    def checkout(self) -> PoolProxiedConnection:
        """The pooled connection, checked out now if it is not yet (call in a greenlet: `run_sync`)."""
        if self._held is None:
            assert isinstance(self.bind, Engine), "a OneConnectionSession is bound to an Engine"
            self._held = self.bind.raw_connection()
        return self._held

    def orm_transaction_off_connection(self) -> bool:
        """Whether an ORM transaction is open (`async with db.begin():`, or ORM statements came first) that
        has not begun on the connection yet; once it has, the Core connection is in its transaction."""
        return self.in_transaction() and (self._core is None or not self._core.in_transaction())

    def get_bind(self, mapper: Any = None, *, bind: Any = None, **kw: Any) -> Engine | Connection:
        if bind is not None:  # an explicit bind_arguments={"bind": ...} is honoured as given
            return super().get_bind(mapper, bind=bind, **kw)
        if self._core is None:
            assert isinstance(self.bind, Engine), "a OneConnectionSession is bound to an Engine"
            # Not revalidated behind the session's back: after a disconnect, a Core Connection would check
            # out another connection, and the ORM and the Driver would no longer share one.
            self._core = Connection(self.bind, connection=self.checkout(), _allow_revalidate=False)
        return self._core

    def commit(self) -> None:
        super().commit()  # the ORM's transaction, if any: it covers the Driver's work on the connection
        self._end_held(commit=True)  # a transaction only the Driver used

    def rollback(self) -> None:
        super().rollback()
        self._end_held(commit=False)

    def _end_held(self, *, commit: bool) -> None:
        adapted: Any = self._held.dbapi_connection if self._held is not None else None
        if adapted is None or adapted._transaction is None:
            return
        try:
            adapted.commit() if commit else adapted.rollback()  # the DBAPI's own commit, in this greenlet
        except adapted.dbapi.Error as error:
            raise _wrapped(adapted, error, "COMMIT" if commit else "ROLLBACK", ()) from error

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._release(invalidate=False)

    def reset(self) -> None:
        try:
            super().reset()
        finally:
            self._release(invalidate=False)

    def invalidate(self) -> None:
        try:
            super().invalidate()
        finally:
            self._release(invalidate=True)

    def _release(self, *, invalidate: bool) -> None:
        """Return the connection to the pool (a transaction still open on it is rolled back there)."""
        core, held = self._core, self._held
        self._core = self._held = None
        if core is not None:
            if invalidate and not (core.closed or core.invalidated):  # the ORM's invalidate may have done it
                core.invalidate()
            core.close()  # rolls back a Core transaction still open, then returns the connection
        elif held is not None:
            if invalidate:
                held.invalidate()
            else:
                held.close()  # the pool's reset-on-return rolls back what the Driver left open


async def end_transaction(db: AsyncSession, *, commit: bool) -> None:
    """Commit, or roll back, everything `db` did: the ORM's transaction through the ORM (flush, events), and
    on a OneConnectionSession a transaction that only the Driver used, directly on its connection."""
    sync_session = db.sync_session
    if sync_session.get_transaction() is not None or (commit and not sync_session._is_clean()):
        await (db.commit() if commit else db.rollback())
    held = sync_session.held if isinstance(sync_session, OneConnectionSession) else None
    adapted: Any = held.dbapi_connection if held is not None else None
    transaction = adapted._transaction if adapted is not None else None
    if transaction is None:
        return
    cached = db.info.get(_DRIVER)
    if isinstance(cached, Driver):
        cached.log("COMMIT" if commit else "ROLLBACK")
    end = transaction.commit if commit else transaction.rollback
    try:
        await adapted._call_and_discard(end)
    except Exception as error:
        raise _translate(adapted, error, "COMMIT" if commit else "ROLLBACK", ()) from error


_DRIVER = "dars_driver"


async def driver(db: AsyncSession) -> Driver:
    """The asyncpg connection under `db`, its transaction begun (SQLAlchemy sends BEGIN lazily, with the
    first statement; a statement sent around it would run, and release its locks, on its own)."""
    sync_session = db.sync_session
    if not sync_session._is_clean():  # db.new, .dirty and .deleted each build a set to say the same
        await db.flush()  # what autoflush does before a query: the statements see the session's own changes
    if isinstance(sync_session, OneConnectionSession):
        return await _held_driver(db, sync_session)
    transaction = sync_session.get_transaction()
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


async def _held_driver(db: AsyncSession, sync_session: OneConnectionSession) -> Driver:
    held = sync_session.held
    if sync_session.orm_transaction_off_connection():
        # The Driver's statements become part of the ORM's transaction, so that whatever ends it ends them.
        await db.run_sync(_connection_of)
        held = sync_session.held
    if held is None:
        held = await db.run_sync(_checkout)
    adapted: Any = held.dbapi_connection
    if adapted is None:
        raise sa_exc.InvalidRequestError("the session's connection is invalidated")
    cached: Driver | None = db.info.get(_DRIVER)
    if cached is None or cached._adapted is not adapted:
        assert isinstance(sync_session.bind, Engine)
        cached = db.info[_DRIVER] = Driver(adapted, sync_session.bind.logger)
    if adapted._transaction is None and adapted.isolation_level != "autocommit":
        cached.log("BEGIN")  # what SQLAlchemy's echo shows as "BEGIN (implicit)"
        await adapted._start_transaction()  # the ORM, if it joins later, begins on the same transaction
    return cached


def _checkout(session: Session) -> PoolProxiedConnection:
    assert isinstance(session, OneConnectionSession)
    return session.checkout()


def _connection_of(session: Session) -> Connection:
    return session.connection()  # checks a connection out of the pool, as the session's first statement would


E = TypeVar("E")


def select_list(entity: type[Any], alias: str, prefix: str = "") -> str:
    """`alias.column, ...` for every column of an ORM entity: the select list `adopt_row` reads. With a
    `prefix`, each column is named `prefix` + its name (two rows of one table side by side): read it back
    through `prefixed(row, prefix)`."""
    columns = inspect(entity).columns
    if prefix:
        return ", ".join(f"{alias}.{column.name} AS {prefix}{column.name}" for column in columns)
    return ", ".join(f"{alias}.{column.name}" for column in columns)


class _Prefixed:
    __slots__ = ("_prefix", "_row")

    def __init__(self, row: Row, prefix: str) -> None:
        self._row = row
        self._prefix = prefix

    def __getitem__(self, key: str | int, /) -> Any:
        if not isinstance(key, str):
            raise TypeError("a prefixed row is read by column name")
        return self._row[self._prefix + key]


def prefixed(row: Row, prefix: str) -> Row:
    """The columns of `row` selected with `select_list(..., prefix)`, by their own names."""
    return _Prefixed(row, prefix)


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
