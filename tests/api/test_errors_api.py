"""Every failure has one shape and the right status; bugs are 500s in that shape; errors roll back."""

from __future__ import annotations

import httpx
from fastapi import APIRouter
from starlette.types import Message, Receive, Scope, Send

from src.api.dependencies import Db
from src.database import get_session
from src.errors import Conflict
from src.practice import students
from tests.api.conftest import Api, Register, assert_error


async def test_unknown_route_is_404(api: Api) -> None:
    details = assert_error(await api.client().get("/nowhere"), 404, "not_found")
    assert details == {"method": "GET", "path": "/nowhere"}


async def test_wrong_method_is_405_with_allow(api: Api) -> None:
    response = await api.client().delete("/students/me")
    assert_error(response, 405, "method_not_allowed")
    # Starlette names the methods of the first route matching the path only (GET /students/me).
    assert "GET" in response.headers["allow"]


async def test_malformed_json_is_400(api: Api) -> None:
    response = await api.client().post(
        "/students", content=b'{"grade": 7', headers=api.student(801) | {"content-type": "application/json"}
    )
    assert_error(response, 400, "malformed_json")


async def test_non_json_body_is_422(api: Api) -> None:
    response = await api.client().post(
        "/students", content=b"grade=7", headers=api.student(801) | {"content-type": "text/plain"}
    )
    assert_error(response, 422, "validation_error")


async def test_bad_path_ids_are_422_not_database_errors(api: Api, register: Register) -> None:
    await register(802)
    client = api.client()
    for sid in ("abc", "0", "-1", str(2**31), "1e3"):
        assert_error(await client.get(f"/sessions/{sid}", headers=api.student(802)), 422, "validation_error")
    huge_problem = {"answer": "7", "problem_id": 2**40}
    response = await client.post("/sessions/1/answers", json=huge_problem, headers=api.student(802))
    assert_error(response, 422, "validation_error")
    response = await client.get(f"/admin/students/{2**40}", headers=api.admin())
    assert_error(response, 422, "validation_error")


async def test_unknown_student_for_admin_is_404(api: Api) -> None:
    response = await api.client().get("/admin/students/424242/progress", headers=api.admin())
    assert_error(response, 404, "student_not_found")


async def test_a_bug_is_a_500_in_the_error_shape(api: Api) -> None:
    router = APIRouter()

    @router.get("/boom")
    async def boom() -> None:
        raise RuntimeError("a bug")

    api.app.include_router(router)
    response = await api.client(raise_app_exceptions=False).get("/boom")
    assert_error(response, 500, "internal_error")
    assert "a bug" not in response.text


async def test_a_domain_error_after_a_flush_rolls_back(api: Api) -> None:
    router = APIRouter()

    @router.post("/register-then-fail")
    async def register_then_fail(db: Db) -> None:
        await students.register_student(db, 803, "Karim", 7, "bn")  # flushed: the row exists in this tx
        raise Conflict("changed my mind", step="after flush")

    api.app.include_router(router)
    response = await api.client().post("/register-then-fail")
    assert assert_error(response, 409, "conflict") == {"step": "after flush"}
    async with get_session() as db:
        assert await students.find_by_telegram_id(db, 803) is None


async def test_success_is_committed_before_the_response_starts(api: Api) -> None:
    seen_at_response_start: list[bool] = []

    async def probe(scope: Scope, receive: Receive, send: Send) -> None:
        async def watching_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Another connection: sees the row only if the request's transaction has committed.
                async with get_session() as db:
                    seen_at_response_start.append(await students.find_by_telegram_id(db, 804) is not None)
            await send(message)

        await api.app(scope, receive, watching_send)

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=probe), base_url="http://t") as client:
        response = await client.post("/students", json={"grade": 7}, headers=api.student(804))
    assert response.status_code == 201
    assert seen_at_response_start == [True]
