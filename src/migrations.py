"""Run Alembic programmatically (for `dars db …`, `dars serve` and the tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def alembic_config(url: str | None = None) -> Config:
    """The project's Alembic config; `url` overrides DATABASE_URL / the embedded server."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    # The process running us (`dars`, the tests) owns logging: alembic.ini's [logger_root] would otherwise
    # raise the root level to WARNING and silence the app's own start-up lines. Plain `alembic` still uses it.
    config.attributes["configure_logging"] = False
    if url is not None:
        # ConfigParser treats % as interpolation; URLs may contain it (escaped passwords).
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "-1") -> None:
    command.downgrade(alembic_config(url), revision)
