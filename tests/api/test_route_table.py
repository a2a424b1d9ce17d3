"""RouteTable: the leading router's routes found by table, with the scope and the answers FastAPI's own
router gives; anything the table cannot be sure of is the router's."""

# No `from __future__ import annotations`: FastAPI reads the endpoints' annotations at module scope.

from typing import Any

import fastapi.routing
import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request

from src.api.app import DarsAPI
from src.api.planned import PlannedRoute
from src.api.route_table import RouteTable, dispatch_by_table
from tests.api.conftest import Api, Register

Seen = dict[str, Any]


def _seen(request: Request) -> Seen:
    """What a route can read of its scope: the routing keys, by identity for objects."""
    scope = request.scope
    fastapi_scope = scope.get("fastapi", {})
    return {
        "route": id(scope.get("route")),
        "endpoint": id(scope.get("endpoint")),
        "router": id(scope.get("router")),
        "path_params": dict(scope.get("path_params", {})),
        "fastapi": {key: id(value) for key, value in fastapi_scope.items()},
        "keys": sorted(key for key in scope if not key.startswith("fastapi_")),
    }


def make_app(app_class: type[FastAPI], first: list[Any] | None = None) -> FastAPI:
    app = app_class()
    for route in first or []:
        app.router.routes.append(route)
    things = APIRouter(prefix="/things", route_class=PlannedRoute)

    @things.get("/{thing_id}")
    async def read(thing_id: int, request: Request) -> Seen:
        return {"read": thing_id, **_seen(request)}

    @things.post("/{thing_id}")
    async def write(thing_id: int, request: Request) -> Seen:
        return {"write": thing_id, **_seen(request)}

    @things.post("/{thing_id}/parts/{part}")
    async def part(thing_id: int, part: str, request: Request) -> Seen:
        return {"part": part, **_seen(request)}

    @things.get("/special")  # declared after /{thing_id}: the router picks /{thing_id} first, so must we
    async def special(request: Request) -> Seen:
        return {"special": True, **_seen(request)}

    nested = APIRouter(prefix="/nested")

    @nested.get("/{x}")
    async def inner(x: int, request: Request) -> Seen:
        return {"inner": x, **_seen(request)}

    things.include_router(nested)

    @things.get("/{a}/{b}")  # after the nested router: /things/nested/1 is the nested route's
    async def pair(a: str, b: str, request: Request) -> Seen:
        return {"pair": [a, b], **_seen(request)}

    others = APIRouter(prefix="/others")

    @others.get("/{name}")
    async def other(name: str, request: Request) -> Seen:
        return {"other": name, **_seen(request)}

    app.include_router(things)
    app.include_router(others)
    return app


REQUESTS = [
    ("GET", "/things/7"),
    ("POST", "/things/7"),
    ("POST", "/things/7/parts/wheel"),
    ("GET", "/things/special"),  # 422: /{thing_id} wins, as in FastAPI
    ("DELETE", "/things/7"),  # 405
    ("GET", "/things/7/parts/wheel"),  # 405
    ("GET", "/things/"),  # 404
    ("GET", "/things/7/"),  # redirect without the slash
    ("GET", "/things/nested/1"),
    ("GET", "/things/1/2"),
    ("GET", "/others/x"),
    ("GET", "/nowhere"),
]


async def _answers(app: FastAPI) -> list[tuple[int, Any]]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answers = []
        for method, path in REQUESTS:
            response = await client.request(method, path, follow_redirects=False)
            body = response.json() if response.headers.get("content-type") == "application/json" else None
            if isinstance(body, dict) and "route" in body:
                body = _portable(body, app)
            answers.append((response.status_code, body, response.headers.get("allow")))
        return answers


def _portable(body: dict[str, Any], app: FastAPI) -> dict[str, Any]:
    """Object identities in terms of the app's own objects, so that two apps compare."""
    names: dict[int, str] = {id(app.router): "app.router"}
    for route in app.router.routes:
        names[id(route)] = f"route {getattr(route, 'path', type(route).__name__)}"
        if isinstance(route, fastapi.routing._IncludedRouter):
            for context in route.effective_route_contexts():
                names[id(context)] = f"context {context.path_format}"
                names[id(context.original_route)] = f"route {context.path_format}"
                names[id(context.original_route.endpoint)] = f"endpoint {context.path_format}"
    translated = dict(body)
    for key in ("route", "endpoint", "router"):
        translated[key] = names.get(body[key], "unknown")
    translated["fastapi"] = {key: names.get(value, "unknown") for key, value in body["fastapi"].items()}
    return translated


def _table(app: FastAPI) -> RouteTable | None:
    layer: Any = app.build_middleware_stack()
    while layer is not None and not isinstance(layer, RouteTable):
        layer = getattr(layer, "app", None)
    return layer


async def test_answers_and_scopes_are_the_routers() -> None:
    table = _table(make_app(DarsAPI))
    assert table is not None and table.prefix == "/things/" and len(table.entries) == 4
    by_table = await _answers(make_app(DarsAPI))
    by_router = await _answers(make_app(FastAPI))
    assert by_table == by_router
    statuses = [status for status, _, _ in by_table]
    assert statuses == [200, 200, 200, 422, 405, 405, 404, 307, 200, 200, 200, 404]
    assert by_table[8][1]["inner"] == 1 and by_table[9][1]["pair"] == ["1", "2"]
    assert by_table[0][1]["route"] == "route /things/{thing_id}"  # the real route, not a lookalike
    assert by_table[0][1]["fastapi"] == {
        "included_router": "route _IncludedRouter",
        "effective_route_context": "context /things/{thing_id}",
    }


async def test_a_route_before_the_router_that_may_match_leaves_everything_to_the_router() -> None:
    async def anything(request: Request) -> Any:
        raise AssertionError("not called")

    catch_all = fastapi.routing.APIRoute("/{anything:path}", anything, methods=["PUT"])
    unrelated = fastapi.routing.APIRoute("/status", anything, methods=["GET"])
    table = _table(make_app(DarsAPI, [catch_all]))
    assert table is not None and table.entries == []
    table = _table(make_app(DarsAPI, [unrelated]))
    assert table is not None and len(table.entries) == 4
    assert await _answers(make_app(DarsAPI, [catch_all])) == await _answers(make_app(FastAPI, [catch_all]))


async def test_a_router_with_middleware_of_its_own_keeps_its_walk() -> None:
    app = make_app(DarsAPI)

    async def middleware(scope: Any, receive: Any, send: Any) -> None:  # what Router(middleware=...) builds
        await app.router.app(scope, receive, send)

    app.router.middleware_stack = middleware
    table = _table(app)
    assert table is not None and table.entries == []
    assert await _answers(app) == await _answers(make_app(FastAPI))


def test_the_table_is_put_where_the_router_is() -> None:
    app = make_app(DarsAPI)
    stack = dispatch_by_table(app, app.build_middleware_stack())
    layer: Any = stack
    names = []
    while layer is not None:
        names.append(type(layer).__name__)
        layer = getattr(layer, "app", None) if not isinstance(layer, RouteTable) else None
    assert names[-1] == "RouteTable" and names[0] == "ServerErrorMiddleware"
    assert "ExceptionMiddleware" in names  # error handlers still wrap the table


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths of requests that went through FastAPI's walk of an included router."""
    seen: list[str] = []
    handle = fastapi.routing._IncludedRouter._handle_selected

    async def counting(self: Any, scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["path"])
        await handle(self, scope, receive, send)

    monkeypatch.setattr(fastapi.routing._IncludedRouter, "_handle_selected", counting)
    return seen


async def test_the_practice_loop_is_found_by_table(
    api: Api, answers: dict[int, str], register: Register, walks: list[str]
) -> None:
    await register(9002)
    assert walks == ["/students"]  # registration is the router's
    client, headers = api.client(), api.student(9002)
    session = (await client.post("/sessions/today", headers=headers)).json()
    problem = session["problems"][0]
    ref = {"problem_id": problem["problem_id"]}
    hint = await client.post(f"/sessions/{session['session_id']}/hints", json=ref, headers=headers)
    body = {**ref, "answer": answers[problem["problem_id"]]}
    outcome = await client.post(f"/sessions/{session['session_id']}/answers", json=body, headers=headers)
    assert hint.status_code == 200 and outcome.status_code == 200 and outcome.json()["correct"]
    assert walks == ["/students"]
    wrong_method = await client.delete(f"/sessions/{session['session_id']}/hints", headers=headers)
    assert wrong_method.status_code == 405 and walks[-1] == f"/sessions/{session['session_id']}/hints"
