"""Telegram Mini App `initData`: check its signature and age, and read the user from it.

The algorithm (core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app): parse the raw
query string, drop `hash`, sort the remaining `key=value` pairs, join them with newlines; the secret key is
HMAC_SHA256(key="WebAppData", msg=bot_token); the data is genuine when
hex(HMAC_SHA256(key=secret, msg=data_check_string)) equals `hash`. `signature` (the third-party
Ed25519 signature) stays in the data-check string like any other field.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from urllib.parse import parse_qsl, urlencode

from src.auth.errors import InitDataExpired, InvalidInitData
from src.models.base import BIGINT
from src.text import without_surrogates

# auth_date a little in the future is clock skew between Telegram and us, not an attack.
ALLOWED_CLOCK_SKEW = timedelta(minutes=5)
_MAX_INIT_DATA_LENGTH = 16_384


@dataclass(frozen=True)
class TelegramUser:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None


@dataclass(frozen=True)
class InitData:
    user: TelegramUser
    auth_date: datetime
    fields: Mapping[str, str]


@functools.lru_cache(maxsize=8)
def _secret_key(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def _data_check_string(fields: Mapping[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def _signature(fields: Mapping[str, str], bot_token: str) -> str:
    data = _data_check_string(fields).encode()
    return hmac.new(_secret_key(bot_token), data, hashlib.sha256).hexdigest()


def sign_init_data(fields: Mapping[str, str], bot_token: str) -> str:
    """A query string Telegram would send for these fields (for tests and local tools)."""
    return urlencode({**fields, "hash": _signature(fields, bot_token)})


def _parse(raw: str) -> dict[str, str]:
    if not raw or len(raw) > _MAX_INIT_DATA_LENGTH:
        raise InvalidInitData("initData is empty or too long")
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=True, errors="strict")
    except (ValueError, UnicodeDecodeError):
        raise InvalidInitData("initData is not a query string") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InvalidInitData("initData repeats a field")
    return fields


# A Mini App sends the same initData with every request until it is reopened: a string already verified
# with a token is remembered (at most _VERIFIED_LIMIT of them, least recently used forgotten first), and
# only its age is checked again. Parsing and two HMACs were a twentieth of a practice request's CPU.
_VERIFIED_LIMIT = 10_000
_verified: OrderedDict[tuple[str, str], InitData] = OrderedDict()


def validate_init_data(raw: str, bot_token: str, *, now: datetime, max_age: timedelta) -> InitData:
    """The verified initData, or InvalidInitData / InitDataExpired (both 401)."""
    key = (bot_token, raw)
    known = _verified.get(key)
    if known is None:
        known = _validate(raw, bot_token, now=now, max_age=max_age)
        _verified[key] = known
        if len(_verified) > _VERIFIED_LIMIT:
            _verified.popitem(last=False)
        return known
    _verified.move_to_end(key)
    _check_age(known.auth_date, now, max_age)
    return known


def _check_age(auth_date: datetime, now: datetime, max_age: timedelta) -> None:
    if auth_date > now + ALLOWED_CLOCK_SKEW:
        raise InvalidInitData("initData auth_date is in the future")
    if now - auth_date > max_age:
        raise InitDataExpired(
            "initData is too old; reopen the Mini App",
            auth_date=auth_date.isoformat(),
            max_age_seconds=int(max_age.total_seconds()),
        )


def _validate(raw: str, bot_token: str, *, now: datetime, max_age: timedelta) -> InitData:
    fields = _parse(raw)
    given = fields.get("hash")
    if given is None:
        raise InvalidInitData("initData has no hash")
    if not hmac.compare_digest(_signature(fields, bot_token).encode(), given.encode()):
        raise InvalidInitData("initData signature does not match")
    # Only signed data is looked at from here on.
    auth_date = _auth_date(fields.get("auth_date"))
    _check_age(auth_date, now, max_age)
    return InitData(user=_user(fields.get("user")), auth_date=auth_date, fields=MappingProxyType(fields))


def _auth_date(value: str | None) -> datetime:
    # isdigit() alone takes "²" and other digits int() refuses; 12 digits still reach past the year 9999.
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > 12:
        raise InvalidInitData("initData has no valid auth_date")
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (ValueError, OverflowError, OSError):
        raise InvalidInitData("initData has no valid auth_date") from None


def _user(value: str | None) -> TelegramUser:
    if value is None:
        raise InvalidInitData("initData has no user")
    try:
        data = json.loads(value)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser's stack
        raise InvalidInitData("initData user is not JSON") from None
    if not isinstance(data, dict):
        raise InvalidInitData("initData user is not an object")
    user_id = data.get("id")
    first_name = data.get("first_name")
    # students.telegram_id is a BIGINT
    if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0 or user_id not in BIGINT:
        raise InvalidInitData("initData user has no valid id")
    if not isinstance(first_name, str):
        raise InvalidInitData("initData user has no first_name")
    return TelegramUser(
        id=user_id,
        first_name=without_surrogates(first_name),
        last_name=_optional_str(data.get("last_name")),
        username=_optional_str(data.get("username")),
        language_code=_optional_str(data.get("language_code")),
    )


def _optional_str(value: object) -> str | None:
    return without_surrogates(value) if isinstance(value, str) else None
