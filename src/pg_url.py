"""DATABASE_URL as platforms give it, turned into what SQLAlchemy's asyncpg dialect takes.

Railway, Render, Heroku, Neon and Supabase hand out libpq URLs: `postgres://` or `postgresql://`, often with
`?sslmode=require`. The engine needs `postgresql+asyncpg://`, and asyncpg takes no libpq query parameters:
SQLAlchemy would pass `sslmode` on to `asyncpg.connect()`, which has no such argument. So `sslmode` (and
`sslrootcert`) become asyncpg's own `ssl` argument, with libpq's meaning. Every engine Dars builds from a URL
(the app, Alembic, the tests) goes through `engine_arguments`; pure, no I/O but reading a root certificate.
"""

from __future__ import annotations

import inspect
import ssl
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

ASYNCPG_SCHEME = "postgresql+asyncpg"
_SCHEMES = {"postgres": ASYNCPG_SCHEME, "postgresql": ASYNCPG_SCHEME, ASYNCPG_SCHEME: ASYNCPG_SCHEME}
# libpq's sslmode values, weakest first; asyncpg's `ssl` argument takes the same strings, same meaning.
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
_VERIFYING = ("require", "verify-ca", "verify-full")
# What may stay in the query: SQLAlchemy's dialect passes it on to asyncpg.connect() as keyword arguments
# (`host` is how a Unix socket is named), and any other name would fail every connection.
_PASSED_ON = (
    set(inspect.signature(asyncpg.connect).parameters) - {"dsn", "loop", "connection_class", "record_class"}
) | {"prepared_statement_cache_size"}
_LIBPQ_ONLY_HINTS = {
    "channel_binding": "asyncpg has no channel binding; sslmode=verify-full and sslrootcert check the server",
}


class DatabaseUrlError(ValueError):
    """The URL is not one Dars can connect with; the message says why (never the password)."""


def asyncpg_url(raw: str) -> str:
    """`raw` in the scheme SQLAlchemy's asyncpg dialect needs, its parameters checked; else as given."""
    scheme, separator, rest = raw.strip().partition("://")
    if not separator or scheme.lower() not in _SCHEMES:
        raise DatabaseUrlError(
            "must be a PostgreSQL URL: postgresql://, postgres:// or postgresql+asyncpg://"
        )
    url = f"{ASYNCPG_SCHEME}://{rest}"
    engine_arguments(url)  # refuse a bad sslmode or a missing certificate at start-up, not at first connect
    return url


def engine_arguments(url: str | URL) -> tuple[URL, dict[str, Any]]:
    """The URL SQLAlchemy gets (libpq's SSL parameters taken out) and the `connect_args` that carry them."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except ArgumentError as exc:
        raise DatabaseUrlError("is not a URL SQLAlchemy can read") from exc
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername=ASYNCPG_SCHEME)
    if parsed.drivername != ASYNCPG_SCHEME:
        raise DatabaseUrlError(
            "must be a PostgreSQL URL: postgresql://, postgres:// or postgresql+asyncpg://"
        )
    query = dict(parsed.query)
    mode = _single(query.pop("sslmode", None), "sslmode")
    root = _single(query.pop("sslrootcert", None), "sslrootcert")
    connect_args: dict[str, Any] = {}
    if mode is not None:
        if mode not in SSL_MODES:
            raise DatabaseUrlError(f"sslmode must be one of {', '.join(SSL_MODES)} (got {mode!r})")
        connect_args["ssl"] = _context(mode, root) if root and mode in _VERIFYING else mode
    elif root:
        # libpq's default mode is prefer, which never checks the certificate: a root certificate given
        # without a mode means the operator wants it checked (libpq does so only with verify-ca/-full).
        raise DatabaseUrlError("sslrootcert needs sslmode=verify-ca or sslmode=verify-full")
    for name in sorted(set(query) - _PASSED_ON):
        hint = _LIBPQ_ONLY_HINTS.get(name, "not a connection setting asyncpg takes")
        raise DatabaseUrlError(f"remove the query parameter {name} ({hint})")
    return parsed.set(query=query), connect_args


def _single(value: str | tuple[str, ...] | None, name: str) -> str | None:
    if isinstance(value, tuple):
        raise DatabaseUrlError(f"{name} is given more than once")
    return value


def _context(mode: str, root: str) -> ssl.SSLContext:
    """libpq's rules with a root certificate: `require` then verifies the chain as `verify-ca` does;
    `verify-full` also checks that the server's name is the host's."""
    path = Path(root).expanduser()
    try:
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(path))
    except (OSError, ssl.SSLError) as exc:
        raise DatabaseUrlError(f"sslrootcert {root!r} cannot be read as a certificate file: {exc}") from exc
    context.check_hostname = mode == "verify-full"
    context.verify_mode = ssl.CERT_REQUIRED
    return context
