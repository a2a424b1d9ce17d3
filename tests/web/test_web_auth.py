"""Operators' sign-in: the token for a cookie, logout, CSRF on every form (over httpx, no browser)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from src.database import get_session
from src.models import WebSession
from tests.web.conftest import ADMIN_TOKEN, Web, csrf_of

PAGES = [
    "/admin/",
    "/admin/dashboard/costs",
    "/admin/dashboard/learning",
    "/admin/dashboard/health",
    "/admin/dashboard/teachers",
]


async def sessions_stored() -> int:
    async with get_session() as db:
        return int((await db.execute(select(func.count()).select_from(WebSession))).scalar_one())


@pytest.mark.parametrize("path", PAGES)
async def test_a_page_without_a_session_sends_the_browser_to_the_login(web: Web, path: str) -> None:
    response = await web.client.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login"


async def test_the_token_is_exchanged_for_an_http_only_same_site_cookie(web: Web) -> None:
    response = await web.sign_in()
    assert response.status_code == 303 and response.headers["location"] == "/admin/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("dars_admin=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/admin" in cookie
    assert "Secure" not in cookie  # tests run on plain http; production sets it (below)
    assert ADMIN_TOKEN not in cookie  # the cookie is a session, not the token
    assert await sessions_stored() == 1
    page = await web.client.get("/admin/")
    assert page.status_code == 200 and "<h1>" in page.text


async def test_a_wrong_token_is_refused_and_no_session_is_made(web: Web) -> None:
    response = await web.sign_in("not-the-token")
    assert response.status_code == 401
    assert "That token is not valid." in response.text or "টোকেনটি সঠিক নয়।" in response.text
    assert "set-cookie" not in response.headers or "dars_admin" not in response.headers["set-cookie"]
    assert await sessions_stored() == 0
    assert (await web.client.get("/admin/")).status_code == 303


async def test_the_login_form_without_its_csrf_token_is_refused(web: Web) -> None:
    await web.client.get("/admin/login")  # the browser has its dars_csrf cookie
    response = await web.client.post("/admin/login", data={"token": ADMIN_TOKEN})
    assert response.status_code == 403
    assert await sessions_stored() == 0


async def test_the_login_form_posted_from_another_site_is_refused(web: Web) -> None:
    form = await web.client.get("/admin/login")
    response = await web.client.post(
        "/admin/login",
        data={"token": ADMIN_TOKEN, "csrf_token": csrf_of(form.text)},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert await sessions_stored() == 0


async def test_logout_needs_its_csrf_token_then_ends_the_session(web: Web) -> None:
    await web.sign_in()
    page = await web.client.get("/admin/")
    refused = await web.client.post("/admin/logout", data={"csrf_token": "forged"})
    assert refused.status_code == 403
    assert (await web.client.get("/admin/")).status_code == 200  # still signed in
    out = await web.client.post("/admin/logout", data={"csrf_token": csrf_of(page.text)})
    assert out.status_code == 303 and out.headers["location"] == "/admin/login?out=1"
    assert await sessions_stored() == 0
    assert (await web.client.get("/admin/")).status_code == 303


async def test_a_stolen_cookie_stops_working_at_logout(web: Web) -> None:
    await web.sign_in()
    cookie = web.client.cookies.get("dars_admin")
    page = await web.client.get("/admin/")
    await web.client.post("/admin/logout", data={"csrf_token": csrf_of(page.text)})
    web.client.cookies.set("dars_admin", cookie or "", path="/admin")
    assert (await web.client.get("/admin/")).status_code == 303


async def test_sessions_expire_after_twelve_hours(web: Web) -> None:
    await web.sign_in()
    web.clock.advance(hours=12, seconds=1)
    assert (await web.client.get("/admin/")).status_code == 303


async def test_without_admin_token_the_login_says_operator_access_is_off(web: Web) -> None:
    from src.api.dependencies import settings
    from tests.web.conftest import web_settings

    web.app.dependency_overrides[settings] = lambda: web_settings(admin_token=None)
    response = await web.sign_in()
    assert response.status_code == 503
    assert "ADMIN_TOKEN" in response.text


async def test_the_cookie_is_secure_in_production(web: Web) -> None:
    from src.config import Environment, get_settings

    settings = get_settings()
    original = settings.dars_env
    object.__setattr__(settings, "dars_env", Environment.PRODUCTION)
    try:
        response = await web.sign_in()
    finally:
        object.__setattr__(settings, "dars_env", original)
    assert "Secure" in response.headers["set-cookie"]


async def test_the_json_admin_routes_keep_their_bearer_token(web: Web) -> None:
    await web.sign_in()
    # The cookie is for the pages: the API still wants Authorization: Bearer.
    assert (await web.client.get("/admin/costs", params={"month": "2026-04"})).status_code == 401
