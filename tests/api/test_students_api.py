"""Registration and the caller's profile."""

from __future__ import annotations

import asyncio

from tests.api.conftest import Api, Register, assert_error


async def test_register_uses_the_telegram_name_and_returns_201(api: Api) -> None:
    response = await api.client().post(
        "/students", json={"grade": 6, "language": "en"}, headers=api.student(601, first_name="Ayesha")
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body | {"student_id": 0, "created_at": ""} == {
        "student_id": 0,
        "telegram_id": 601,
        "name": "Ayesha",
        "grade": 6,
        "language": "en",
        "created_at": "",
    }


async def test_register_with_a_chosen_name(api: Api) -> None:
    response = await api.client().post(
        "/students", json={"name": "  রহিম  ", "grade": 8}, headers=api.student(602)
    )
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "রহিম"
    assert response.json()["language"] == "bn"


async def test_register_twice_is_409(api: Api, register: Register) -> None:
    await register(603)
    response = await api.client().post("/students", json={"grade": 7}, headers=api.student(603))
    assert assert_error(response, 409, "already_registered") == {"telegram_id": 603}


async def test_a_refused_duplicate_uses_up_no_student_id(api: Api) -> None:
    first = (await api.client().post("/students", json={"grade": 7}, headers=api.student(611))).json()
    again = await api.client().post("/students", json={"grade": 7}, headers=api.student(611))
    assert again.status_code == 409
    second = (await api.client().post("/students", json={"grade": 7}, headers=api.student(612))).json()
    assert second["student_id"] == first["student_id"] + 1  # ids 3 then 5 before


async def test_concurrent_registrations_make_one_student(api: Api) -> None:
    async def attempt() -> int:
        response = await api.client().post("/students", json={"grade": 7}, headers=api.student(604))
        return response.status_code

    assert sorted(await asyncio.gather(attempt(), attempt())) == [201, 409]


async def test_bad_grade_is_422_in_the_error_shape(api: Api) -> None:
    response = await api.client().post("/students", json={"grade": 9}, headers=api.student(605))
    details = assert_error(response, 422, "validation_error")
    assert details["errors"][0]["loc"] == ["body", "grade"]
    assert "input" not in details["errors"][0]


async def test_bad_bodies_are_422(api: Api) -> None:
    client = api.client()
    headers = api.student(606)
    for body in (
        {},
        {"grade": 7, "language": "fr"},
        {"grade": 7, "name": ""},
        {"grade": 7, "name": "x" * 101},
        {"grade": 7, "name": "bad\u0000name"},
        {"grade": 7, "student_id": 1},
        {"grade": "seven"},
        [7],
    ):
        assert_error(await client.post("/students", json=body, headers=headers), 422, "validation_error")
    # Nothing was registered by any of them.
    assert_error(await client.get("/students/me", headers=headers), 404, "not_registered")


async def test_get_and_patch_me(api: Api, register: Register) -> None:
    await register(607)
    client = api.client()
    me = await client.get("/students/me", headers=api.student(607))
    assert me.status_code == 200 and me.json()["grade"] == 7
    patched = await client.patch(
        "/students/me", json={"grade": 8, "language": "en"}, headers=api.student(607)
    )
    assert patched.status_code == 200, patched.text
    assert (patched.json()["grade"], patched.json()["language"], patched.json()["name"]) == (8, "en", "Rahim")
    again = await client.get("/students/me", headers=api.student(607))
    assert again.json()["grade"] == 8


async def test_patch_validates(api: Api, register: Register) -> None:
    await register(608)
    response = await api.client().patch("/students/me", json={"grade": 5}, headers=api.student(608))
    assert_error(response, 422, "validation_error")


async def test_each_student_sees_only_themselves(api: Api, register: Register) -> None:
    first = await register(609)
    await register(610)
    me = await api.client().get("/students/me", headers=api.student(610))
    assert me.json()["student_id"] != first["student_id"]
    assert me.json()["telegram_id"] == 610
