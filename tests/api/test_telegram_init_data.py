"""Mini App initData validation, without HTTP: the algorithm, tampering, age, and the user payload."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from src.auth.errors import InitDataExpired, InvalidInitData
from src.auth.telegram import sign_init_data, validate_init_data

TOKEN = "123456:ABC-test"
NOW = datetime(2026, 5, 1, 4, 0, tzinfo=UTC)
DAY = timedelta(days=1)
USER = json.dumps({"id": 279058397, "first_name": "Rahim", "last_name": "Uddin", "username": "rahim"})


def fields(**overrides: str) -> dict[str, str]:
    return {"query_id": "AAHdF6IQ", "user": USER, "auth_date": str(int(NOW.timestamp()))} | overrides


def test_valid_init_data_gives_the_user() -> None:
    verified = validate_init_data(sign_init_data(fields(), TOKEN), TOKEN, now=NOW, max_age=DAY)
    assert verified.user.id == 279058397
    assert verified.user.first_name == "Rahim"
    assert verified.user.username == "rahim"
    assert verified.auth_date == NOW


def test_matches_the_documented_algorithm_computed_independently() -> None:
    data = fields(signature="c2lnbmF0dXJl")  # a `signature` field stays in the data-check string
    check_string = "\n".join(f"{k}={v}" for k, v in sorted(data.items()))
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret, check_string.encode(), hashlib.sha256).hexdigest()
    raw = "&".join(f"{k}={quote(v, safe='')}" for k, v in data.items()) + f"&hash={digest}"
    assert validate_init_data(raw, TOKEN, now=NOW, max_age=DAY).fields["signature"] == "c2lnbmF0dXJl"


def test_dropping_signature_breaks_the_hash() -> None:
    signed = dict(parse_qsl(sign_init_data(fields(signature="c2ln"), TOKEN)))
    del signed["signature"]
    with pytest.raises(InvalidInitData):
        validate_init_data(urlencode(signed), TOKEN, now=NOW, max_age=DAY)


def test_wrong_bot_token_is_rejected() -> None:
    with pytest.raises(InvalidInitData, match="signature"):
        validate_init_data(sign_init_data(fields(), "999:other"), TOKEN, now=NOW, max_age=DAY)


@given(key=st.sampled_from(["query_id", "user", "auth_date"]), suffix=st.text(min_size=1, max_size=5))
def test_any_tampered_field_is_rejected(key: str, suffix: str) -> None:
    signed = dict(parse_qsl(sign_init_data(fields(), TOKEN)))
    signed[key] += suffix
    with pytest.raises(InvalidInitData):
        validate_init_data(urlencode(signed), TOKEN, now=NOW, max_age=DAY)


@pytest.mark.parametrize(
    "raw",
    ["", "hash", "user=%7B%7D", "a=1&a=2&hash=00", "auth_date=1&hash=" + "0" * 64, "%%%", "x" * 20_000],
)
def test_malformed_or_unsigned_input_is_rejected(raw: str) -> None:
    with pytest.raises(InvalidInitData):
        validate_init_data(raw, TOKEN, now=NOW, max_age=DAY)


def test_expired_init_data_is_rejected_with_its_age() -> None:
    raw = sign_init_data(fields(auth_date=str(int((NOW - DAY - timedelta(seconds=1)).timestamp()))), TOKEN)
    with pytest.raises(InitDataExpired) as caught:
        validate_init_data(raw, TOKEN, now=NOW, max_age=DAY)
    assert caught.value.details["max_age_seconds"] == 86400


def test_init_data_just_within_max_age_is_accepted() -> None:
    raw = sign_init_data(fields(auth_date=str(int((NOW - DAY).timestamp()))), TOKEN)
    assert validate_init_data(raw, TOKEN, now=NOW, max_age=DAY).user.id == 279058397


def test_auth_date_far_in_the_future_is_rejected() -> None:
    raw = sign_init_data(fields(auth_date=str(int((NOW + timedelta(hours=1)).timestamp()))), TOKEN)
    with pytest.raises(InvalidInitData, match="future"):
        validate_init_data(raw, TOKEN, now=NOW, max_age=DAY)


@pytest.mark.parametrize(
    "user",
    [
        None,
        "not json",
        "[1, 2]",
        json.dumps({"first_name": "No id"}),
        json.dumps({"id": "12", "first_name": "String id"}),
        json.dumps({"id": True, "first_name": "Bool id"}),
        json.dumps({"id": 12}),
        json.dumps({"id": 2**63, "first_name": "Past BIGINT"}),
        json.dumps({"id": 0, "first_name": "Zero"}),
        '{"id": 12, "first_name": "Deep", "x": '
        + "[" * 2000
        + "]" * 2000
        + "}",  # past json's stack, under 16 KiB
    ],
)
def test_signed_but_unusable_user_is_rejected(user: str | None) -> None:
    data = fields() if user is not None else {k: v for k, v in fields().items() if k != "user"}
    if user is not None:
        data["user"] = user
    with pytest.raises(InvalidInitData, match="user"):
        validate_init_data(sign_init_data(data, TOKEN), TOKEN, now=NOW, max_age=DAY)


@pytest.mark.parametrize("auth_date", ["²", "17000000²", "999999999999", "253402300800", "-1", ""])
def test_signed_but_unreadable_auth_date_is_rejected(auth_date: str) -> None:
    raw = sign_init_data(fields(auth_date=auth_date), TOKEN)
    with pytest.raises(InvalidInitData, match="auth_date"):
        validate_init_data(raw, TOKEN, now=NOW, max_age=DAY)


def test_broken_surrogates_in_names_are_dropped() -> None:
    user = '{"id": 12, "first_name": "\\ud83dRahim", "last_name": "Uddin\\udc00"}'  # halves of an emoji
    verified = validate_init_data(sign_init_data(fields(user=user), TOKEN), TOKEN, now=NOW, max_age=DAY)
    assert (verified.user.first_name, verified.user.last_name) == ("Rahim", "Uddin")


def test_a_remembered_string_is_still_checked_for_age_and_token() -> None:
    raw = sign_init_data(fields(query_id="remembered"), TOKEN)
    first = validate_init_data(raw, TOKEN, now=NOW, max_age=DAY)
    assert validate_init_data(raw, TOKEN, now=NOW + DAY, max_age=DAY) is first  # verified once, remembered
    with pytest.raises(InitDataExpired):
        validate_init_data(raw, TOKEN, now=NOW + DAY + timedelta(seconds=1), max_age=DAY)
    with pytest.raises(InvalidInitData, match="future"):
        validate_init_data(raw, TOKEN, now=NOW - timedelta(minutes=6), max_age=DAY)
    with pytest.raises(InvalidInitData, match="signature"):
        validate_init_data(raw, "654321:other-token", now=NOW, max_age=DAY)
    assert validate_init_data(raw, TOKEN, now=NOW, max_age=DAY) is first  # a refusal forgot nothing


def test_refused_strings_are_not_remembered() -> None:
    raw = sign_init_data(fields(query_id="tampered"), TOKEN).replace("tampered", "tampere2")
    for _ in range(2):
        with pytest.raises(InvalidInitData, match="signature"):
            validate_init_data(raw, TOKEN, now=NOW, max_age=DAY)
    expired = sign_init_data(fields(query_id="old", auth_date=str(int((NOW - 2 * DAY).timestamp()))), TOKEN)
    for _ in range(2):
        with pytest.raises(InitDataExpired):
            validate_init_data(expired, TOKEN, now=NOW, max_age=DAY)
    assert validate_init_data(expired, TOKEN, now=NOW - DAY, max_age=DAY).user.id == 279058397
