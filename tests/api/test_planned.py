"""PlannedRoute: the same answers as FastAPI's own handler, without its per-request dependency solver."""

# No `from __future__ import annotations`: the test app declares its dependencies inside make_app, and
# FastAPI reads string annotations in module scope, where those names do not exist.

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

import fastapi.routing
import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Path, Request, Response, Security
from fastapi.security import APIKeyHeader
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field

from src.api.errors import install_error_handlers
from src.api.planned import PlannedRoute
from src.errors import NotFound
from tests.api.conftest import Api, Register

scheme = APIKeyHeader(name="Authorization", auto_error=False)


class Body(BaseModel):
    problem_id: int = Field(ge=1)
    answer: str = Field(min_length=1, max_length=20)


class Out(BaseModel):
    item: int
    caller: str
    answer: str | None
    calls: int


class Events:
    def __init__(self) -> None:
        self.log: list[str] = []
        self.calls = 0


def make_app(route_class: type[fastapi.routing.APIRoute], events: Events) -> FastAPI:
    """A small app using every dependency form the plan serves, with route_class for its routes."""

    async def counted() -> int:
        events.calls += 1  # a dependency used twice runs once per request
        return events.calls

    async def caller(
        authorization: Annotated[str | None, Security(scheme)], n: Annotated[int, Depends(counted)]
    ) -> str:
        if authorization is None:
            raise NotFound("no caller")  # the app's own error shape, through its handlers
        return authorization

    async def resource() -> AsyncIterator[str]:
        events.log.append("open")
        try:
            yield "resource"
        except NotFound:
            events.log.append("rolled back")
            raise
        events.log.append("closed")

    def plain_setting() -> str:  # a plain function: FastAPI runs it in its thread pool
        return "setting"

    async def audit() -> AsyncIterator[str]:  # request scope: closed after the response is sent
        events.log.append("audit open")
        yield "audit"
        events.log.append("audit closed")

    async def gate(request: Request) -> None:  # a router's own dependency: run, its value passed to no one
        events.log.append(f"gate {request.url.path}")

    app = FastAPI()
    install_error_handlers(app)
    router = APIRouter(prefix="/items", route_class=route_class, dependencies=[Depends(gate)])

    @router.post("/{item}", status_code=201)
    async def act(
        item: Annotated[int, Path(ge=1, le=1000)],
        who: Annotated[str, Depends(caller)],
        thing: Annotated[str, Depends(resource, scope="function")],
        setting: Annotated[str, Depends(plain_setting)],
        n: Annotated[int, Depends(counted)],
        trail: Annotated[str, Depends(audit)],
        response: Response,
        request: Request,
        body: Body | None = None,
    ) -> Out:
        events.log.append(f"endpoint {thing} {setting} {trail} {request.method}")
        if body is not None and body.answer == "missing":
            raise NotFound("no such answer")
        if body is not None and body.answer == "accepted":
            response.status_code = 202
            response.headers["X-Note"] = "accepted"
        return Out(item=item, caller=who, answer=body.answer if body else None, calls=n)

    app.include_router(router)
    app.state.caller = caller
    return app


async def call(app: FastAPI, path: str, content: bytes | None, headers: dict[str, str]) -> tuple[Any, ...]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post(path, content=content, headers=headers)
    kept = {name: value for name, value in response.headers.items() if name != "date"}
    return response.status_code, kept, response.content


@pytest.fixture
def solver_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths FastAPI's own dependency solver ran for."""
    calls: list[str] = []
    solve = fastapi.routing.solve_dependencies

    async def counting(**kwargs: Any) -> Any:
        calls.append(kwargs["request"].url.path)
        return await solve(**kwargs)

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", counting)
    return calls


GOOD = json.dumps({"problem_id": 3, "answer": "1/2"}).encode()
JSON = {"content-type": "application/json", "Authorization": "tma someone"}

paths = st.one_of(
    st.sampled_from(["/items/1", "/items/1000", "/items/0", "/items/1001", "/items/-5", "/items/007"]),
    st.sampled_from(["/items/1.5", "/items/abc", "/items/%201", "/items/1e3", "/items/99999999999999999999"]),
    st.integers(min_value=-10, max_value=2000).map(lambda n: f"/items/{n}"),
)
bodies = st.one_of(
    st.none(),
    st.sampled_from(
        [b"", b"null", b"{", b"[]", b"{}", b'"text"', GOOD, b'{"problem_id": "3", "answer": "x"}']
    ),
    st.sampled_from([b'{"problem_id": 0, "answer": "x"}', b'{"problem_id": 3, "answer": ""}']),
    st.sampled_from([b'{"problem_id": 3, "answer": "missing"}', b'{"problem_id": 3, "answer": "accepted"}']),
    st.builds(
        lambda pid, answer: json.dumps({"problem_id": pid, "answer": answer}).encode(),
        st.integers(min_value=-3, max_value=5),
        st.text(max_size=25),
    ),
)
header_sets = st.sampled_from(
    [
        JSON,
        {"Authorization": "tma someone"},  # no content type
        {"content-type": "text/plain", "Authorization": "tma someone"},
        {"content-type": "application/json; charset=utf-8", "Authorization": "tma someone"},
        {"content-type": "application/vnd.api+json", "Authorization": "tma someone"},
        {"content-type": "application/json"},  # no caller: the dependency raises
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=paths, body=bodies, headers=header_sets)
async def test_answers_as_fastapi_answers(path: str, body: bytes | None, headers: dict[str, str]) -> None:
    planned_events, standard_events = Events(), Events()
    planned = await call(make_app(PlannedRoute, planned_events), path, body, headers)
    standard = await call(make_app(fastapi.routing.APIRoute, standard_events), path, body, headers)
    assert planned == standard
    assert planned_events.log == standard_events.log
    assert planned_events.calls == standard_events.calls


@pytest.mark.parametrize(
    ("path", "body", "headers", "status"),
    [
        ("/items/7", GOOD, JSON, 201),
        ("/items/7", None, JSON, 201),  # the body is optional
        (
            "/items/7",
            b'{"problem_id": 3, "answer": "accepted"}',
            JSON,
            202,
        ),  # status and header set by the route
        ("/items/7", b'{"problem_id": 3, "answer": "missing"}', JSON, 404),  # raised in the endpoint
        ("/items/7", GOOD, {"content-type": "application/json"}, 404),  # raised in a dependency
        ("/items/0", GOOD, JSON, 422),
        ("/items/x", GOOD, JSON, 422),
        ("/items/7", b"{", JSON, 400),  # not JSON: the app reports it as a bad request
        ("/items/7", b'{"problem_id": 0, "answer": "x"}', JSON, 422),
        ("/items/7", GOOD, {"content-type": "text/plain", "Authorization": "tma someone"}, 422),
    ],
)
async def test_each_outcome_as_fastapi_gives_it(
    path: str, body: bytes | None, headers: dict[str, str], status: int
) -> None:
    planned_events, standard_events = Events(), Events()
    planned = await call(make_app(PlannedRoute, planned_events), path, body, headers)
    standard = await call(make_app(fastapi.routing.APIRoute, standard_events), path, body, headers)
    assert planned[0] == status
    assert planned == standard and planned_events.log == standard_events.log


async def test_a_well_formed_request_skips_fastapis_solver(solver_calls: list[str]) -> None:
    events = Events()
    app = make_app(PlannedRoute, events)
    status, _, content = await call(app, "/items/7", GOOD, JSON)
    assert status == 201 and json.loads(content) == {
        "item": 7,
        "caller": "tma someone",
        "answer": "1/2",
        "calls": 1,
    }
    assert solver_calls == []
    # The resource closed after the endpoint returned: before the response went out, as in FastAPI.
    assert events.log == [
        "gate /items/7",
        "open",
        "audit open",
        "endpoint resource setting audit POST",
        "closed",
        "audit closed",
    ]

    status, _, _ = await call(app, "/items/0", GOOD, JSON)  # malformed: FastAPI's handler reports it
    assert status == 422 and solver_calls == ["/items/0"]


async def test_an_error_in_the_endpoint_reaches_the_generator_and_the_error_handlers() -> None:
    events = Events()
    status, _, content = await call(
        make_app(PlannedRoute, events), "/items/7", b'{"problem_id": 3, "answer": "missing"}', JSON
    )
    assert status == 404 and json.loads(content)["error"]["code"] == "not_found"
    assert events.log == [
        "gate /items/7",
        "open",
        "audit open",
        "endpoint resource setting audit POST",
        "rolled back",
    ]  # the request-scoped generator is closed with the error too, so it never logs "audit closed"


async def test_overrides_are_planned_as_fastapi_builds_them(solver_calls: list[str]) -> None:
    events = Events()
    app = make_app(PlannedRoute, events)

    async def as_operator(request: Request) -> str:  # an override with parameters of its own
        return "operator " + request.method

    app.dependency_overrides[app.state.caller] = as_operator
    status, _, content = await call(app, "/items/7", GOOD, {"content-type": "application/json"})
    assert status == 201 and json.loads(content)["caller"] == "operator POST"
    app.dependency_overrides.clear()
    status, _, _ = await call(app, "/items/7", GOOD, {"content-type": "application/json"})
    assert status == 404  # the override is gone: the real caller refuses a request without credentials
    assert solver_calls == []


async def test_the_practice_loop_is_planned(
    api: Api, answers: dict[int, str], register: Register, solver_calls: list[str]
) -> None:
    """Every request of a whole session runs on its route's plan; a bad one is FastAPI's to report."""
    await register(9001)
    solver_calls.clear()  # registration is not a planned route
    client, headers = api.client(), api.student(9001)
    session = (await client.post("/sessions/today", headers=headers)).json()
    for problem in session["problems"]:
        ref = {"problem_id": problem["problem_id"]}
        assert (
            await client.post(f"/sessions/{session['session_id']}/hints", json=ref, headers=headers)
        ).status_code == 200
        body = {**ref, "answer": answers[problem["problem_id"]]}
        outcome = await client.post(f"/sessions/{session['session_id']}/answers", json=body, headers=headers)
        assert outcome.status_code == 200 and outcome.json()["correct"]
    assert (await client.get(f"/sessions/{session['session_id']}", headers=headers)).json()[
        "status"
    ] == "completed"
    assert solver_calls == []
    bad = await client.post(
        f"/sessions/{session['session_id']}/answers", json={"answer": ""}, headers=headers
    )
    assert bad.status_code == 422 and solver_calls == [f"/sessions/{session['session_id']}/answers"]


async def test_routes_the_plan_cannot_serve_are_left_to_fastapi(solver_calls: list[str]) -> None:
    router = APIRouter(route_class=PlannedRoute)

    @router.get("/search")
    async def search(q: str) -> dict[str, str]:  # a query parameter: not planned
        return {"q": q}

    app = FastAPI()
    app.include_router(router)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        response = await client.get("/search", params={"q": "ভগ্নাংশ"})
    assert response.json() == {"q": "ভগ্নাংশ"} and solver_calls == ["/search"]
