"""Web pages harness: the app with test secrets and a fixed clock, over httpx (ASGI) or a real uvicorn on
127.0.0.1, and Debian's chromium driven by Playwright.

Chromium is the system package (`apt-get install -y chromium fonts-lohit-beng-bengali`): Playwright's own
browser download cannot run here. Without it the browser tests fail, saying how to install it.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr

from src.api.app import create_app
from src.api.dependencies import clock, settings
from src.config import Settings, get_settings
from tests.factories import Clock
from tests.web.data import NOW

ADMIN_TOKEN = "web-test-admin-token-0123456789"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
INSTALL_CHROMIUM = (
    "Chromium is needed for the browser tests and is not installed at /usr/bin/chromium. Install it with:\n"
    "  apt-get update && apt-get install -y chromium fonts-lohit-beng-bengali"
)


def web_settings(**changes: Any) -> Settings:
    return get_settings().model_copy(update={"admin_token": SecretStr(ADMIN_TOKEN), **changes})


def web_app(the_clock: Clock, config: Settings | None = None) -> FastAPI:
    app = create_app(expiry_interval_seconds=0)
    app.dependency_overrides[clock] = lambda: the_clock.now
    chosen = config or web_settings()
    app.dependency_overrides[settings] = lambda: chosen
    return app


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found is not None, html[:500]
    return found.group(1)


@dataclass
class Web:
    app: FastAPI
    clock: Clock
    client: httpx.AsyncClient

    async def sign_in(self, token: str = ADMIN_TOKEN) -> httpx.Response:
        form = await self.client.get("/admin/login")
        return await self.client.post("/admin/login", data={"token": token, "csrf_token": csrf_of(form.text)})


@pytest.fixture
async def web(committed: None) -> AsyncIterator[Web]:
    the_clock = Clock(NOW)
    app = web_app(the_clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            yield Web(app, the_clock, client)


@dataclass
class Server:
    base_url: str
    clock: Clock


@pytest.fixture(scope="module")
async def server(database_url: str) -> AsyncIterator[Server]:
    """The app under a real uvicorn on 127.0.0.1, on a free port, in the tests' event loop."""
    the_clock = Clock(NOW)
    app = web_app(the_clock)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    uvicorn_server = uvicorn.Server(config)
    task = asyncio.create_task(uvicorn_server.serve(sockets=[sock]))
    for _ in range(200):
        if uvicorn_server.started:
            break
        if task.done():
            task.result()
        await asyncio.sleep(0.05)
    assert uvicorn_server.started, "uvicorn did not start"
    try:
        yield Server(f"http://127.0.0.1:{port}", the_clock)
    finally:
        uvicorn_server.should_exit = True
        await task
        sock.close()


@pytest.fixture(scope="module")
async def browser(server: Server) -> AsyncIterator[Any]:
    if shutil.which(CHROMIUM) is None:
        pytest.fail(INSTALL_CHROMIUM, pytrace=False)
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def page(browser: Any, server: Server, committed: None) -> AsyncIterator[Any]:
    """A fresh browser context (no cookies) on a phone-sized or laptop-sized screen, per test."""
    context = await browser.new_context(viewport={"width": 1000, "height": 900}, base_url=server.base_url)
    tab = await context.new_page()
    try:
        yield tab
    finally:
        await context.close()


async def sign_in_teacher(client: httpx.AsyncClient, teacher_id: int, now: Any) -> None:
    """Sign a teacher in as the bot's link would: issue a link, open it, press its button."""
    from src.classes import service as classes
    from src.database import get_session

    async with get_session() as db:
        token = await classes.issue_login_link(db, teacher_id, now)
    page = await client.get(f"/teach/login/{token}")
    assert page.status_code == 200, page.text[:300]
    signed = await client.post("/teach/login", data={"token": token, "csrf_token": csrf_of(page.text)})
    assert signed.status_code == 303, signed.text[:300]
