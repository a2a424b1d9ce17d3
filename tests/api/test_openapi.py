"""The OpenAPI document loads, lists every route, and documents summaries, bodies and errors."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api

EXPECTED = {
    ("GET", "/health"),
    ("POST", "/students"),
    ("GET", "/students/me"),
    ("PATCH", "/students/me"),
    ("GET", "/students/me/streak"),
    ("GET", "/students/me/progress"),
    ("POST", "/sessions/today"),
    ("GET", "/sessions/{session_id}"),
    ("POST", "/sessions/{session_id}/answers"),
    ("POST", "/sessions/{session_id}/hints"),
    ("POST", "/sessions/{session_id}/skip"),
    ("GET", "/admin/students/{student_id}"),
    ("GET", "/admin/students/{student_id}/progress"),
    ("GET", "/admin/students/{student_id}/sessions/{session_id}"),
    ("POST", "/admin/sessions/expire"),
    ("GET", "/admin/costs"),
}


async def test_openapi_lists_every_route(api: Api) -> None:
    response = await api.client().get("/openapi.json")
    assert response.status_code == 200
    schema: dict[str, Any] = response.json()
    listed = {(method.upper(), path) for path, item in schema["paths"].items() for method in item}
    assert listed == EXPECTED


async def test_every_listed_route_is_served(api: Api) -> None:
    client = api.client()
    for method, path in EXPECTED - {("GET", "/health")}:
        response = await client.request(method, path.format(session_id=1, student_id=1))
        assert response.status_code == 401, (method, path, response.text)  # routed, then refused


async def test_every_operation_is_documented(api: Api) -> None:
    schema: dict[str, Any] = (await api.client().get("/openapi.json")).json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            where = f"{method.upper()} {path}"
            assert operation.get("summary"), where
            success = [code for code in operation["responses"] if code.startswith("2")]
            assert success, where
            if path == "/health":
                continue
            assert "content" in operation["responses"][success[0]], where
            errors = {code for code in operation["responses"] if code[0] in "45"}
            assert {"401", "403"} <= errors, where
            for code in errors:
                ref = operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorResponse"), (where, code)
            assert operation.get("security"), where


async def test_schemas_carry_examples(api: Api) -> None:
    components = (await api.client().get("/openapi.json")).json()["components"]["schemas"]
    for name in ("ErrorResponse", "SessionOut", "AnswerOut", "HintResponse", "StudentOut", "RegisterStudent"):
        assert components[name].get("examples"), name
    assert set(components["RegisterStudent"]["properties"]["grade"]["enum"]) == {6, 7, 8}
    schemes = (await api.client().get("/openapi.json")).json()["components"]["securitySchemes"]
    assert set(schemes) == {"TelegramInitData", "AdminToken"}
