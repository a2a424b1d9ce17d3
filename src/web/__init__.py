"""The web pages: the operators' dashboard (/admin/) and the teachers' class view (/teach/).

Server-rendered HTML (Jinja2 templates), charts as inline SVG, one small stylesheet; no script and nothing
from another site, so a page with its assets stays far under 100 KB and works offline.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from src.web import admin_pages, teacher_pages
from src.web.rendering import HERE, redirect, remember_language


async def _to_admin_login(request: Request, exc: Exception) -> RedirectResponse:
    response = redirect("/admin/login")
    remember_language(request, response)
    return response


async def _to_teacher_login(request: Request, exc: Exception) -> RedirectResponse:
    response = redirect("/teach/login")
    remember_language(request, response)
    return response


def install(app: FastAPI) -> None:
    """Mount the pages, their stylesheet, and the redirects to sign-in on `app`."""
    app.include_router(admin_pages.router)
    app.include_router(teacher_pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_exception_handler(admin_pages.OperatorSignInNeeded, _to_admin_login)
    app.add_exception_handler(teacher_pages.TeacherSignInNeeded, _to_teacher_login)
