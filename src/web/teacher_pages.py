"""The teachers' pages under /teach: sign-in through a one-time link from the bot, their classes, and one
class's view. A teacher sees their own classes only: another teacher's class is a 403 with nothing of it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from src.api.dependencies import Db, Now
from src.classes import report as class_reports
from src.classes import service as classes
from src.classes.errors import BadClassInput, ClassNameTaken, ClassNotFound, LoginLinkInvalid, NotYourClass
from src.models.base import INTEGER_MAX
from src.web.auth import (
    CsrfRefused,
    SignedIn,
    check_csrf,
    check_pre_login_csrf,
    current_session,
    end_session,
    pre_login_csrf,
    read_form,
    remember_pre_login_csrf,
    start_session,
)
from src.web.rendering import redirect, render

router = APIRouter(prefix="/teach", include_in_schema=False)

NAV = (("/teach/", "teach_title"),)
ClassId = Annotated[int, Path(ge=1, le=INTEGER_MAX)]


class TeacherSignInNeeded(Exception):
    """No teacher session: answered with a redirect to /teach/login."""


async def _teacher(db: Db, request: Request, now: datetime) -> SignedIn:
    signed_in = await current_session(db, request, "teacher", now)
    if signed_in is None or signed_in.teacher_id is None:
        raise TeacherSignInNeeded
    return signed_in


def _page(
    request: Request, template: str, signed_in: SignedIn, status_code: int = 200, **context: Any
) -> HTMLResponse:
    return render(
        request,
        template,
        status_code,
        nav=NAV,
        active="teach_title",
        csrf_token=signed_in.csrf_token,
        logout_action="/teach/logout",
        area="teachers",
        **context,
    )


@router.get("/login")
async def login_help(request: Request, db: Db, now: Now) -> Response:
    if await current_session(db, request, "teacher", now) is not None:
        return redirect("/teach/")
    return render(request, "teach_login.html", area="teachers", nav=(), token=None)


@router.get("/login/{token}")
async def login_link(request: Request, token: str, db: Db, now: Now) -> Response:
    """The link the bot sent. Opening it signs nobody in (link previews open links too): the page asks
    for a press of its button, which posts the token."""
    if not await classes.login_link_usable(db, token, now):
        return render(request, "teach_login.html", 401, area="teachers", nav=(), token=None, invalid=True)
    csrf = pre_login_csrf(request)
    response = render(request, "teach_login.html", area="teachers", nav=(), token=token, csrf_token=csrf)
    remember_pre_login_csrf(response, csrf)
    return response


@router.post("/login")
async def login(request: Request, db: Db, now: Now) -> Response:
    form = await read_form(request)
    try:
        check_pre_login_csrf(request, form)
    except CsrfRefused:
        return render(request, "message.html", 403, message="csrf_failed", area="teachers", nav=())
    try:
        teacher_id = await classes.redeem_login_link(db, form.get("token", ""), now)
    except LoginLinkInvalid:
        return render(request, "teach_login.html", 401, area="teachers", nav=(), token=None, invalid=True)
    response = redirect("/teach/")
    await start_session(db, response, "teacher", now, teacher_id=teacher_id)
    return response


@router.post("/logout")
async def logout(request: Request, db: Db, now: Now) -> Response:
    signed_in = await _teacher(db, request, now)
    form = await read_form(request)
    try:
        check_csrf(request, form, signed_in.csrf_token)
    except CsrfRefused:
        return render(request, "message.html", 403, message="csrf_failed", area="teachers", nav=())
    response = redirect("/teach/login")
    await end_session(db, response, signed_in)
    return response


async def _classes_page(
    request: Request, db: Db, signed_in: SignedIn, status_code: int = 200, **context: Any
) -> HTMLResponse:
    assert signed_in.teacher_id is not None
    teacher = await classes.get_teacher(db, signed_in.teacher_id)
    summaries = await classes.classes_of(db, signed_in.teacher_id)
    return _page(
        request, "teach_classes.html", signed_in, status_code, teacher=teacher, classes=summaries, **context
    )


@router.get("/")
async def classes_page(request: Request, db: Db, now: Now) -> Response:
    signed_in = await _teacher(db, request, now)
    return await _classes_page(request, db, signed_in)


@router.post("/classes")
async def create_class(request: Request, db: Db, now: Now) -> Response:
    signed_in = await _teacher(db, request, now)
    assert signed_in.teacher_id is not None
    form = await read_form(request)
    try:
        check_csrf(request, form, signed_in.csrf_token)
    except CsrfRefused:
        return await _classes_page(request, db, signed_in, 403, error="csrf_failed")
    raw_grade = form.get("grade", "")
    grade = int(raw_grade) if raw_grade in ("6", "7", "8") else None
    try:
        created = await classes.create_class(db, signed_in.teacher_id, form.get("name", ""), grade)
    except ClassNameTaken:
        return await _classes_page(request, db, signed_in, 409, error="class_name_taken", form=form)
    except BadClassInput:
        return await _classes_page(request, db, signed_in, 422, error="name_needed", form=form)
    return redirect(f"/teach/classes/{created.class_id}?created=1")


@router.get("/classes/{class_id}")
async def class_page(request: Request, class_id: ClassId, db: Db, now: Now) -> Response:
    signed_in = await _teacher(db, request, now)
    assert signed_in.teacher_id is not None
    try:
        school_class = await classes.class_for_teacher(db, signed_in.teacher_id, class_id)
    except NotYourClass:
        return _page(
            request, "message.html", signed_in, 403, message="forbidden_class", title="forbidden_title"
        )
    except ClassNotFound:
        return _page(request, "message.html", signed_in, 404, message="not_found")
    report = await class_reports.class_report(db, school_class, now)
    return _page(
        request,
        "teach_class.html",
        signed_in,
        report=report,
        created=bool(request.query_params.get("created")),
    )
