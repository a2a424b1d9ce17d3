"""All configuration, read once from the environment (and an optional `.env` file)."""

from __future__ import annotations

import re
from datetime import time
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, TypeAdapter, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from src.costs.pricing import DEFAULT_PRICES, ModelPrice
from src.pg_url import asyncpg_url


class Environment(StrEnum):
    PRODUCTION = "production"
    DEVELOPMENT = "development"
    TEST = "test"


class ConfigError(Exception):
    """A setting has a value we cannot use; the message names the environment variable."""


class Settings(BaseSettings):
    """Every setting Dars reads. Each field is the upper-cased environment variable of the same name."""

    # No inf or nan: every float here is a duration, a rate or money, and "inf" would pass a lower bound.
    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", case_sensitive=False, allow_inf_nan=False
    )

    # The spec's database variables.
    database_url: str | None = Field(
        default=None,
        description="postgresql://, postgres:// or postgresql+asyncpg://user:pass@host:port/dbname "
        "(?sslmode=… carried to asyncpg); unset = embedded server.",
    )
    database_echo: bool = False
    database_pool_size: int = Field(default=5, ge=1, le=100)
    database_max_overflow: int = Field(default=10, ge=0, le=200)
    # PgBouncer in transaction mode hands each transaction any server connection: prepared statements
    # named on one are unknown (or taken) on the next, so none may outlive a statement.
    database_pgbouncer: bool = Field(
        default=False, description="DATABASE_URL is PgBouncer in transaction mode: no statement caches."
    )

    dars_env: Environment = Environment.PRODUCTION
    dars_data_dir: Path = Path(".dars")
    dars_timezone: str = "Asia/Dhaka"
    # The business target: what one student may cost per month, AI calls included.
    dars_monthly_budget_usd: float = Field(default=0.10, ge=0)
    # Model prices, USD per million tokens: JSON {"model": {"input":…, "output":…, "cache_write":…,
    # "cache_read":…}} merged over the built-in table (src/costs/pricing.py).
    dars_pricing_json: str | None = None

    dars_host: str = "127.0.0.1"
    # Platforms (Railway, Render, Heroku, Cloud Run) say the port in PORT; DARS_PORT wins when both are set.
    dars_port: int = Field(default=8000, ge=1, le=65535, validation_alias=AliasChoices("dars_port", "port"))
    # uvicorn worker processes of `dars serve`; migrations and the library load run once, before they start.
    dars_workers: int = Field(default=1, ge=1, le=64)
    # On SIGTERM, requests in flight get this long to finish before their connections are closed: under the
    # platform's grace period (docker stop: 10 s, then SIGKILL).
    dars_shutdown_timeout_seconds: int = Field(default=8, ge=1, le=3600)
    # Slow and idle clients (README, "Faults"): connections a worker holds before it answers 503 to new
    # requests (idle ones count, so this is well above what a worker serves), seconds an idle keep-alive
    # connection is kept, and seconds a request body may take to arrive (408 after).
    dars_limit_concurrency: int = Field(default=2000, ge=10, le=100_000)
    dars_timeout_keep_alive_seconds: int = Field(default=5, ge=1, le=300)
    dars_body_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    # Where browsers reach this server: the teachers' sign-in links the bot sends start with it.
    dars_public_url: str | None = Field(
        default=None, description="https://dars.example.org; unset = http://DARS_HOST:DARS_PORT."
    )

    # HTTP API authentication: students sign in through the Telegram Mini App, operators with a token.
    admin_token: SecretStr | None = Field(default=None, description="Bearer token of the /admin routes.")
    telegram_bot_token: SecretStr | None = Field(
        default=None, description="The bot's token; the key that Mini App initData is signed with."
    )
    # At most a year: a larger age no longer protects anything, and timedelta() cannot hold ~10^14 seconds.
    # One hour: a practice session lasts at most 30 minutes, and a replayed string (README, "Faults") acts
    # as its student for this long.
    telegram_init_data_max_age_seconds: int = Field(default=3600, ge=1, le=365 * 86400)
    session_expiry_interval_seconds: float = Field(
        default=60.0,
        ge=0,
        le=86400,
        description="How often the API marks expired sessions abandoned; 0 = never.",
    )

    # The AI tutor (src/tutor). Without a key every hint is the curated one and no answer is judged by AI.
    anthropic_api_key: SecretStr | None = Field(
        default=None, description="Claude API key; unset = curated hints only, no AI answer judging."
    )
    anthropic_base_url: str | None = Field(
        default=None, description="Override of the Messages API address (a proxy or a local fake)."
    )
    dars_claude_model: str = Field(default="claude-haiku-4-5", min_length=1)
    # A chat bot cannot wait minutes: each attempt gets this long, and the SDK retries this many times.
    dars_claude_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    dars_claude_max_retries: int = Field(default=2, ge=0, le=5)

    # The Telegram bot (src/bot): webhook when TELEGRAM_WEBHOOK_URL is set, else long polling when only the
    # token is set, else off.
    telegram_webhook_url: str | None = Field(
        default=None, description="Public https URL Telegram posts updates to (…/telegram/webhook)."
    )
    telegram_webhook_secret: SecretStr | None = Field(
        default=None, description="X-Telegram-Bot-Api-Secret-Token; unset = derived from the bot token."
    )
    telegram_api_base_url: str | None = Field(
        default=None, description="Bot API base URL (a local Bot API server or a fake); unset = Telegram's."
    )
    dars_reminder_time: str = Field(default="18:00", description="Daily reminder, HH:MM in DARS_TIMEZONE.")
    dars_telegram_bulk_rate: float = Field(
        default=25.0,
        gt=0,
        le=1000,
        description="Proactive messages (reminders) per second, across all chats.",
    )
    dars_telegram_reply_cap: float = Field(
        default=0.0,
        ge=0,
        le=100_000,
        description="Bot-wide cap on replies per second; 0 = none (paced per chat).",
    )

    dars_cors_origins: str = Field(
        default="",
        description="Web origins (scheme://host[:port]) a browser may call the API from, comma-separated.",
    )

    @field_validator("dars_cors_origins")
    @classmethod
    def _valid_cors_origins(cls, value: str) -> str:
        origins = [origin.strip() for origin in value.split(",") if origin.strip()]
        for origin in origins:
            # An origin is exactly what a browser sends in `Origin`: no path, no trailing slash, no wildcard
            # (a Mini App's page has one origin; "*" would let any site call with a student's initData).
            if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?", origin):
                raise ValueError(f"{origin!r} is not an origin like https://app.example.org")
        return ",".join(origins)

    @property
    def cors_origins(self) -> list[str]:
        return [origin for origin in self.dars_cors_origins.split(",") if origin]

    @field_validator("database_url")
    @classmethod
    def _asyncpg_url(cls, value: str | None) -> str | None:
        # As platforms give it (postgres://, postgresql://, ?sslmode=…), in the asyncpg dialect's form.
        if value is None or value.strip() == "":
            return None
        return asyncpg_url(value)

    @field_validator("admin_token", "telegram_bot_token", mode="before")
    @classmethod
    def _blank_secret_is_unset(cls, value: object) -> object:
        # An empty variable must not become a valid (empty) token.
        return None if isinstance(value, str) and value.strip() == "" else value

    @field_validator("telegram_webhook_url", "telegram_api_base_url", "dars_public_url")
    @classmethod
    def _blank_url_is_unset(cls, value: str | None) -> str | None:
        if value is None or value.strip() == "":
            return None
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL")
        return value.strip()

    @field_validator("telegram_webhook_secret", mode="before")
    @classmethod
    def _valid_webhook_secret(cls, value: object) -> object:
        # Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and -; blank means unset.
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            return None
        if not isinstance(raw, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", raw):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return raw

    @field_validator("dars_reminder_time")
    @classmethod
    def _valid_reminder_time(cls, value: str) -> str:
        match = re.fullmatch(r"([01]?[0-9]|2[0-3]):([0-5][0-9])", value.strip())
        if match is None:
            raise ValueError("must be HH:MM (24-hour clock), e.g. 18:00")
        hours, minutes = int(match.group(1)), match.group(2)
        # Reminders go out over the three hours that follow, within the day they are for: a later time
        # would leave them less (at 23:59, one minute) and children would be messaged late at night.
        if (hours, int(minutes)) > (21, 0):
            raise ValueError("must be 21:00 at the latest (reminders go out over the 3 hours after it)")
        return f"{hours:02d}:{minutes}"

    @field_validator("anthropic_api_key", "anthropic_base_url", mode="before")
    @classmethod
    def _blank_tutor_setting_is_unset(cls, value: object) -> object:
        # An empty ANTHROPIC_API_KEY= line means "no key", not a key that fails on every call.
        return None if isinstance(value, str) and value.strip() == "" else value

    @field_validator("dars_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("dars_pricing_json")
    @classmethod
    def _valid_pricing(cls, value: str | None) -> str | None:
        if value:
            _parse_pricing(value)
        return value

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.dars_timezone)

    @property
    def public_url(self) -> str:
        """DARS_PUBLIC_URL without its trailing slash, or this server's own address."""
        if self.dars_public_url:
            return self.dars_public_url.rstrip("/")
        return f"http://{self.dars_host}:{self.dars_port}"

    @property
    def reminder_time(self) -> time:
        hours, minutes = self.dars_reminder_time.split(":")
        return time(int(hours), int(minutes))

    @property
    def pricing(self) -> dict[str, ModelPrice]:
        prices = dict(DEFAULT_PRICES)
        if self.dars_pricing_json:
            prices.update(_parse_pricing(self.dars_pricing_json))
        return prices


def _parse_pricing(raw: str) -> dict[str, ModelPrice]:
    return TypeAdapter(dict[str, ModelPrice]).validate_json(raw)


# Start-up errors go to the terminal and to logs: never echo a secret, nor the password inside a URL.
_SECRET_VARIABLES = frozenset(
    {"ADMIN_TOKEN", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "ANTHROPIC_API_KEY"}
)
_URL_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")


def _shown(variable: str, value: object) -> str:
    if variable in _SECRET_VARIABLES:
        return "a hidden value"
    if isinstance(value, str):
        return repr(_URL_PASSWORD.sub(r"\1***@", value))
    return repr(value)


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        variable = "_".join(str(part) for part in item["loc"]).upper() or "settings"
        lines.append(f"{variable}: {item['msg']} (got {_shown(variable, item.get('input'))})")
    return "; ".join(lines)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; a bad value raises ConfigError naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigError(f"invalid configuration: {_describe(exc)}") from None
