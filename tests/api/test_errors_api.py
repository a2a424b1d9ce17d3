"""Every failure has one shape and the right status; bugs are 500s in that shape; errors roll back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter
from starlette.types import Message, Receive, Scope, Send

from src.api.app import create_app
from src.api.body_limit import MAX_BODY_BYTES, BodyLimit
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


async def test_json_nested_deeper_than_the_parser_goes_is_a_400_on_a_practice_route(
    api: Api, register: Register
) -> None:
    """A practice route parses its body itself (a planned route): nesting past the parser's recursion limit
    must be the malformed body FastAPI reports elsewhere, not a 500."""
    await register(803)
    body = b"[" * 30_000 + b"]" * 30_000  # under the body ceiling, far deeper than json can recurse
    response = await api.client().post(
        "/sessions/1/answers", content=body, headers=api.student(803) | {"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert_error(response, 400, response.json()["error"]["code"])


async def test_a_body_over_the_ceiling_is_refused_before_it_is_read_or_anyone_is_asked(api: Api) -> None:
    body = b'{"problem_id": 1, "answer": "' + b"1" * (MAX_BODY_BYTES + 1) + b'"}'
    response = await api.client().post(
        "/sessions/1/answers", content=body, headers={"content-type": "application/json"}
    )  # no Authorization: the ceiling comes first, so an anonymous caller cannot make us parse it
    details = assert_error(response, 413, "payload_too_large")
    assert details == {"method": "POST", "path": "/sessions/1/answers", "limit_bytes": MAX_BODY_BYTES}


async def test_a_body_sent_without_a_length_is_cut_off_at_the_ceiling(api: Api, register: Register) -> None:
    await register(804)
    chunks_sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal chunks_sent
        yield b'{"problem_id": 1, "answer": "'
        for _ in range(1_000):  # 1 MB if it were all read
            chunks_sent += 1
            yield b"1" * 1_024
        yield b'"}'

    response = await api.client().post(
        "/sessions/1/answers",
        content=chunks(),
        headers=api.student(804) | {"content-type": "application/json"},
    )
    assert_error(response, 413, "payload_too_large")
    assert chunks_sent < 100  # read up to the ceiling, not to the end


async def test_a_body_under_the_ceiling_without_a_length_is_served(api: Api, register: Register) -> None:
    await register(805)

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"name": "Karim",'
        yield b' "grade": 8}'

    response = await api.client().patch(
        "/students/me", content=chunks(), headers=api.student(805) | {"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["grade"] == 8


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
async def test_a_body_that_arrives_too_slowly_is_a_408_and_the_connection_closes(
    api: Api, register: Register, declared: bool
) -> None:
    """A client sending its body a byte at a time holds a request open: DARS_BODY_TIMEOUT_SECONDS cut it."""
    await register(805)
    body = b'{"problem_id": 1, "answer": "12"}'

    async def trickle() -> AsyncIterator[bytes]:
        for byte in body:
            await asyncio.sleep(0.05)
            yield bytes([byte])

    app = create_app(expiry_interval_seconds=0)
    app.dependency_overrides = api.app.dependency_overrides
    app.user_middleware = [m for m in app.user_middleware if m.cls is not BodyLimit]
    app.add_middleware(BodyLimit, timeout=0.3)  # 34 bytes at 20 a second: not in 0.3 s
    headers = api.student(805) | {"content-type": "application/json"}
    if declared:
        headers["content-length"] = str(len(body))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        response = await client.post("/sessions/1/answers", content=trickle(), headers=headers)
    details = assert_error(response, 408, "request_timeout")
    assert details == {"method": "POST", "path": "/sessions/1/answers"}
    assert response.headers["connection"] == "close"
