"""Declarative base: one naming convention for constraints, and the timestamp columns every table shares."""

from datetime import datetime

from sqlalchemy import DateTime, FetchedValue, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# The values PostgreSQL's integer columns hold: an id outside them is refused where it arrives, as bad input,
# never sent to fail in a query.
INTEGER_MAX = 2**31 - 1
BIGINT = range(-(2**63), 2**63)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # Fetch server-generated values (defaults, trigger-maintained updated_at) with RETURNING,
    # so an async caller never triggers an implicit refresh.
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012 - SQLAlchemy reads it as a plain class attribute


def created_at_column() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())


def updated_at_column() -> Mapped[datetime]:
    # A database trigger (see the initial migration) sets updated_at on every UPDATE, whoever issues it;
    # FetchedValue tells the ORM to read the new value back instead of trusting its stale copy.
    return mapped_column(
        DateTime(timezone=True),
        nullable=False,
        server_default=func.now(),
        server_onupdate=FetchedValue(),
    )
