"""What every benchmark needs: a fresh database, migrated, with the real problem library."""

from __future__ import annotations

import argparse
import asyncio
import atexit
import logging
import os
import uuid
from pathlib import Path

from sqlalchemy.engine import make_url

from src import database
from src.config import get_settings
from src.content.library import LibraryProblem, read_library
from src.content.loader import load_library


def fresh_database(server_url: str | None, scratch: Path, keep: bool = False) -> str:
    """A new, empty database: on the given server (dropped when the run ends, unless `keep`), else on an
    embedded server under `scratch`."""
    name = f"dars_bench_{uuid.uuid4().hex[:8]}"
    if server_url:
        server = make_url(server_url)
        admin = server.set(drivername="postgresql", query={}).render_as_string(hide_password=False)
        host = server.query.get("host")

        asyncio.run(_on_server(admin, host, f'CREATE DATABASE "{name}"'))
        if not keep:
            atexit.register(_drop_database, admin, host, name)
        return server.set(database=name).render_as_string(hide_password=False)
    from src.embedded_db import start_embedded_server

    return start_embedded_server(scratch, name, delete_on_exit=True)


async def _on_server(admin: str, host: object, statement: str) -> None:
    """Run one statement on the server's admin database (`host`: a Unix socket directory, if any)."""
    import asyncpg  # type: ignore[import-untyped]

    connection = await asyncpg.connect(admin, **({"host": host} if isinstance(host, str) else {}))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def _drop_database(admin: str, host: object, name: str) -> None:
    """Drop a run's database on a shared server (every run makes a new one): WITH (FORCE) closes what the
    run's pools may still hold open."""
    import asyncpg

    try:
        asyncio.run(_on_server(admin, host, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    except (OSError, asyncpg.PostgresError) as error:
        print(f"could not drop the benchmark's database {name}: {error}")


def prepare_database(server_url: str | None, scratch: Path, pool_size: int, keep: bool = False) -> str:
    """A fresh database, migrated, made this process's DATABASE_URL; returns its URL."""
    from src.migrations import upgrade

    url = fresh_database(server_url, scratch, keep)
    os.environ["DATABASE_URL"] = url
    os.environ["DATABASE_POOL_SIZE"] = str(min(100, pool_size))
    get_settings.cache_clear()
    upgrade(url)
    return url


async def load_problems() -> list[LibraryProblem]:
    """Load the real library into the database; return its problems."""
    library = read_library()
    if library.faults:
        raise SystemExit(f"the problem library has {len(library.faults)} fault(s): dars content validate")
    async with database.get_session() as db:
        await load_library(db, library.problems)
    return library.problems


def parse_arguments(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """Adds the options every benchmark has (--seed, --database-url), parses, and sets up logging."""
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--database-url", default=None, help="a PostgreSQL server; a fresh database is made on it"
    )
    parser.add_argument(
        "--keep-database",
        action="store_true",
        help="keep the run's database on the --database-url server (dropped at the end otherwise)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("DARS_ENV", "production")
    return args
