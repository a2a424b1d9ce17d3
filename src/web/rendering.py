"""Turning a page into a response: the templates, the reader's language, and the headers every page gets."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from src.web.auth import LANGUAGE_COOKIE, secure_cookies
from src.web.i18n import LANGUAGES, Translator, pick_language

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True

# Nothing from another origin, no script at all, and no framing: the pages are HTML, CSS and inline SVG.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    # A teacher's sign-in link never leaves the site in a Referer. (Not "no-referrer": then browsers send
    # `Origin: null` with this site's own forms, and the CSRF check would refuse them.)
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def translator(request: Request) -> Translator:
    return Translator(pick_language(request.query_params.get("lang"), request.cookies.get(LANGUAGE_COOKIE)))


def switch_href(request: Request, t: Translator) -> str:
    """This page in the other language."""
    other = "en" if t.bn else "bn"
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", other)]
    return f"{request.url.path}?{urlencode(query)}"


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    t: Translator = context.pop("t", None) or translator(request)
    response = templates.TemplateResponse(
        request,
        template,
        {"t": t, "switch_href": switch_href(request, t), **context},
        status_code=status_code,
        headers=SECURITY_HEADERS,
    )
    remember_language(request, response)
    return response


def remember_language(request: Request, response: HTMLResponse | RedirectResponse) -> None:
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, asked, max_age=365 * 86400, path="/", samesite="lax", secure=secure_cookies()
        )


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303, headers={"Cache-Control": "no-store"})
