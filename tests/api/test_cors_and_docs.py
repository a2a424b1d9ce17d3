"""A Mini App on its own origin can call the API (CORS, from a setting); /docs needs no other site."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from src.api.app import create_app
from src.config import ConfigError, get_settings

ALLOWED = "https://miniapp.dars.example"


@pytest.fixture
def cors_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DARS_CORS_ORIGINS", f"{ALLOWED}, http://localhost:5173")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


async def _client(app: object) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


def _preflight(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }


@pytest.mark.usefixtures("cors_env")
async def test_a_preflight_from_an_allowed_origin_succeeds_and_another_is_refused() -> None:
    async for client in _client(create_app(expiry_interval_seconds=0)):
        allowed = await client.options("/sessions/today", headers=_preflight(ALLOWED))
        assert allowed.status_code == 200, allowed.text
        assert allowed.headers["access-control-allow-origin"] == ALLOWED
        assert "POST" in allowed.headers["access-control-allow-methods"]
        assert "authorization" in allowed.headers["access-control-allow-headers"].lower()

        other = await client.options("/sessions/today", headers=_preflight("https://evil.example"))
        assert other.status_code == 400
        assert "access-control-allow-origin" not in other.headers

        # The real call from the allowed origin carries the header the browser needs to read the answer.
        call = await client.get("/sessions/today", headers={"Origin": ALLOWED})
        assert call.status_code == 401  # no initData: refused, but readable by the Mini App
        assert call.headers["access-control-allow-origin"] == ALLOWED
        assert call.json()["error"]["code"]


async def test_no_origin_is_allowed_by_default() -> None:
    get_settings.cache_clear()
    assert get_settings().cors_origins == []
    async for client in _client(create_app(expiry_interval_seconds=0)):
        refused = await client.options("/sessions/today", headers=_preflight(ALLOWED))
        assert refused.status_code == 405
        assert "access-control-allow-origin" not in refused.headers


@pytest.mark.parametrize("value", ["*", "https://app.example.org/", "app.example.org", "https://a.org/path"])
def test_a_bad_origin_names_the_variable(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("DARS_CORS_ORIGINS", value)
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError, match="DARS_CORS_ORIGINS"):
            get_settings()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


async def test_docs_load_every_asset_from_this_server() -> None:
    async for client in _client(create_app(expiry_interval_seconds=0)):
        for page in ("/docs", "/redoc"):
            response = await client.get(page)
            assert response.status_code == 200
            html = response.text
            assert "cdn." not in html and "fonts.googleapis" not in html
            urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
            urls += re.findall(r"""url:\s*['"]([^'"]+)['"]""", html)  # Swagger UI's openapi url
            urls += re.findall(r"""spec-url=["']([^"']+)["']""", html)  # ReDoc's
            assert urls, page
            for url in urls:
                assert url.startswith("/"), f"{page} loads {url} from another site"
                asset = await client.get(url)
                assert asset.status_code == 200 and asset.content, url


async def test_large_answers_are_gzipped_for_clients_that_accept_it() -> None:
    async for client in _client(create_app(expiry_interval_seconds=0)):
        spec = await client.get("/openapi.json", headers={"Accept-Encoding": "gzip"})
        assert spec.headers["content-encoding"] == "gzip" and spec.json()["openapi"]
        plain = await client.get("/openapi.json", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers
        small = await client.get("/health", headers={"Accept-Encoding": "gzip"})
        assert "content-encoding" not in small.headers  # under 500 bytes: not worth a header
