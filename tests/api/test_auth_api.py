"""Who may call what: Telegram initData for students, the bearer token for operators."""

from __future__ import annotations

from datetime import timedelta

from pydantic import SecretStr

from src.api.dependencies import settings
from tests.api.conftest import BOT_TOKEN, Api, Register, assert_error


async def test_valid_init_data_of_an_unregistered_user_is_not_registered(api: Api) -> None:
    response = await api.client().get("/students/me", headers=api.student(501))
    assert assert_error(response, 404, "not_registered") == {"telegram_id": 501}


async def test_missing_authorization_is_401_with_a_challenge(api: Api) -> None:
    response = await api.client().get("/students/me")
    assert_error(response, 401, "not_authenticated")
    assert response.headers["WWW-Authenticate"] == "tma"


async def test_wrong_scheme_is_401(api: Api) -> None:
    init_data = api.init_data(501)
    response = await api.client().get("/students/me", headers={"Authorization": f"Basic {init_data}"})
    assert_error(response, 401, "not_authenticated")


async def test_bad_hash_is_401(api: Api, register: Register) -> None:
    await register(501)
    forged = api.init_data(501, token="654321:attacker-token")
    response = await api.client().get("/students/me", headers={"Authorization": f"tma {forged}"})
    assert_error(response, 401, "invalid_init_data")


async def test_tampered_user_id_is_401(api: Api, register: Register) -> None:
    await register(501)
    genuine = api.init_data(502)
    tampered = genuine.replace("502", "501")
    response = await api.client().get("/students/me", headers={"Authorization": f"tma {tampered}"})
    assert_error(response, 401, "invalid_init_data")


async def test_expired_init_data_is_401(api: Api, register: Register) -> None:
    await register(501)
    old = api.clock.now - timedelta(seconds=api.config.telegram_init_data_max_age_seconds + 1)
    response = await api.client().get("/students/me", headers=api.student(501, auth_date=old))
    details = assert_error(response, 401, "init_data_expired")
    assert details["max_age_seconds"] == 3600


async def test_a_replayed_init_data_string_works_for_an_hour_only(api: Api, register: Register) -> None:
    """The default max age bounds a replay (README, "Faults"): the same string, sent again and again, is
    accepted for one hour after Telegram signed it (a practice session lasts at most 30 minutes), not 24."""
    await register(503)
    headers = api.student(503)  # one string, signed now
    client = api.client()
    api.clock.advance(minutes=59)
    assert (await client.get("/students/me", headers=headers)).status_code == 200
    api.clock.advance(minutes=2)
    assert_error(await client.get("/students/me", headers=headers), 401, "init_data_expired")


async def test_student_auth_without_a_bot_token_is_503(api: Api) -> None:
    api.app.dependency_overrides[settings] = lambda: api.config.model_copy(
        update={"telegram_bot_token": None}
    )
    response = await api.client().get("/students/me", headers=api.student(501))
    assert_error(response, 503, "auth_not_configured")


async def test_admin_token_opens_admin_routes(api: Api, register: Register) -> None:
    student = await register(501)
    response = await api.client().get(f"/admin/students/{student['student_id']}", headers=api.admin())
    assert response.status_code == 200, response.text
    assert response.json()["student"]["telegram_id"] == 501
    assert response.json()["streak"]["current"] == 0


async def test_wrong_or_missing_admin_token_is_401(api: Api) -> None:
    client = api.client()
    wrong = await client.post("/admin/sessions/expire", headers=api.admin("nope"))
    assert_error(wrong, 401, "invalid_admin_token")
    assert wrong.headers["WWW-Authenticate"] == "Bearer"
    assert_error(await client.post("/admin/sessions/expire"), 401, "not_authenticated")


async def test_admin_routes_refuse_everyone_without_admin_token_configured(api: Api) -> None:
    api.app.dependency_overrides[settings] = lambda: api.config.model_copy(update={"admin_token": None})
    response = await api.client().post("/admin/sessions/expire", headers=api.admin())
    assert_error(response, 503, "auth_not_configured")


async def test_a_student_cannot_use_admin_routes(api: Api, register: Register) -> None:
    student = await register(501)
    client = api.client()
    response = await client.get(f"/admin/students/{student['student_id']}", headers=api.student(501))
    assert_error(response, 403, "forbidden")
    forged = api.init_data(501, token="1:forged")
    response = await client.post("/admin/sessions/expire", headers={"Authorization": f"tma {forged}"})
    assert_error(response, 401, "invalid_init_data")


async def test_admin_token_cannot_act_as_a_student(api: Api) -> None:
    response = await api.client().get("/students/me", headers=api.admin())
    assert_error(response, 403, "forbidden")


async def test_the_configured_token_is_a_secret(api: Api) -> None:
    assert isinstance(api.config.telegram_bot_token, SecretStr)
    assert BOT_TOKEN not in repr(api.config)
