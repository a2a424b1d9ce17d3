"""The operators' dashboard: /admin/ (overview), /admin/login, /admin/logout and /admin/dashboard/* pages.

Signed in with ADMIN_TOKEN once, through the login form; the session cookie does the rest. The JSON routes
under /admin keep their Bearer token.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response
from telegram.error import TelegramError

from src.answers.normalize import to_ascii_digits
from src.api.dependencies import AppSettings, Db, Now
from src.bot.runtime import BotRuntime
from src.classes import service as classes
from src.classes.errors import BadClassInput, TeacherExists
from src.costs.report import BadMonth, month_bounds
from src.database import check_connection
from src.models.base import INTEGER_MAX
from src.web import charts, repository
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
from src.web.i18n import Translator
from src.web.rendering import redirect, render, translator

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/admin", include_in_schema=False)

NAV = (
    ("/admin/", "nav_overview"),
    ("/admin/dashboard/costs", "nav_costs"),
    ("/admin/dashboard/learning", "nav_learning"),
    ("/admin/dashboard/health", "nav_health"),
    ("/admin/dashboard/teachers", "nav_teachers"),
)
ProblemId = Annotated[int, Path(ge=1, le=INTEGER_MAX)]


class OperatorSignInNeeded(Exception):
    """Raised by a page when the browser has no operator session: answered with a redirect to the login."""


async def _operator(db: Db, request: Request, now: datetime) -> SignedIn:
    signed_in = await current_session(db, request, "operator", now)
    if signed_in is None:
        raise OperatorSignInNeeded
    return signed_in


def _page(request: Request, template: str, signed_in: SignedIn, active: str, **context: Any) -> HTMLResponse:
    return render(
        request,
        template,
        nav=NAV,
        active=active,
        csrf_token=signed_in.csrf_token,
        logout_action="/admin/logout",
        area="operators",
        **context,
    )


def _login_page(request: Request, status_code: int = 200, error: str | None = None) -> HTMLResponse:
    token = pre_login_csrf(request)
    response = render(
        request, "admin_login.html", status_code, csrf_token=token, error=error, area="operators", nav=()
    )
    remember_pre_login_csrf(response, token)
    return response


@router.get("/login")
async def login_form(request: Request, db: Db, now: Now) -> Response:
    if await current_session(db, request, "operator", now) is not None:
        return redirect("/admin/")
    return _login_page(request)


@router.post("/login")
async def login(request: Request, db: Db, now: Now, config: AppSettings) -> Response:
    form = await read_form(request)
    try:
        check_pre_login_csrf(request, form)
    except CsrfRefused:
        return _login_page(request, 403, "csrf_failed")
    if config.admin_token is None:
        return _login_page(request, 503, "admin_off")
    given = form.get("token", "").strip()
    if not given or not hmac.compare_digest(given.encode(), config.admin_token.get_secret_value().encode()):
        logger.warning("operator sign-in refused: wrong token")
        return _login_page(request, 401, "wrong_token")
    response = redirect("/admin/")
    await start_session(db, response, "operator", now)
    return response


@router.post("/logout")
async def logout(request: Request, db: Db, now: Now) -> Response:
    signed_in = await _operator(db, request, now)
    form = await read_form(request)
    try:
        check_csrf(request, form, signed_in.csrf_token)
    except CsrfRefused:
        return render(request, "message.html", 403, message="csrf_failed", area="operators", nav=())
    response = redirect("/admin/login?out=1")
    await end_session(db, response, signed_in)
    return response


@router.get("/")
async def overview_page(request: Request, db: Db, now: Now) -> Response:
    signed_in = await _operator(db, request, now)
    t = translator(request)
    data = await repository.overview(db, now)
    per_day = charts.bar_chart(
        "chart-sessions",
        t("sessions_per_day"),
        [t.day(d) for d in data.days],
        [float(v) for v in data.completed_per_day],
        columns=(t("day"), t("sessions")),
        shown=lambda v: t.n(v),
        label_every=7,
    )
    streaks = charts.bar_chart(
        "chart-streaks",
        t("streaks_title"),
        [_bucket(t, low, high) for low, high, _ in data.streak_buckets],
        [float(n) for _, _, n in data.streak_buckets],
        columns=(t("streak_days"), t("students")),
        shown=lambda v: t.n(v),
    )
    return _page(
        request, "overview.html", signed_in, "nav_overview", t=t, data=data, charts=[per_day, streaks]
    )


def _bucket(t: Translator, low: int, high: int | None) -> str:
    if high is None:
        return t.digits(f"{low}+")
    return t.n(low) if low == high else t.digits(f"{low}–{high}")


def _default_month(now: datetime, config: AppSettings) -> str:
    return now.astimezone(config.timezone).strftime("%Y-%m")


@router.get("/dashboard/costs")
async def costs_page(
    request: Request, db: Db, now: Now, config: AppSettings, month: str | None = None
) -> Response:
    signed_in = await _operator(db, request, now)
    t = translator(request)
    error = None
    chosen = month or _default_month(now, config)
    try:
        month_bounds(chosen)
    except BadMonth:
        error, chosen = "bad_month", _default_month(now, config)
    data = await repository.costs_page(db, chosen)
    report = data.report
    edges = charts.histogram_edges(report.target_usd, max(data.spender_costs, default=0.0))
    counts = [0] * (len(edges) - 1)
    counts[0] += data.zero_cost_students
    for cost in data.spender_costs:
        index = next((i for i in range(len(edges) - 1) if cost < edges[i + 1]), len(edges) - 2)
        counts[index] += 1
    decimals = max(3, 1 - math.floor(math.log10(edges[1] - edges[0])))
    edge_text = [t.digits(f"{edge:.{decimals}f}") for edge in edges]
    histogram = charts.bar_chart(
        "chart-cost-per-student",
        t("per_student_title"),
        [f"{edge_text[i]}–{edge_text[i + 1]}" for i in range(len(counts))],
        [float(c) for c in counts],
        columns=(t("cost_range") + " ($)", t("students")),
        shown=lambda v: t.n(v),
        label_every=max(1, len(edges) // 6),
        highlight=[edges[i] >= report.target_usd for i in range(len(counts))],
        marker=charts.marker_at(
            report.target_usd, edges, f"{t('budget_line')} {t.usd(report.target_usd, 2)}"
        ),
        edge_labels=edge_text,
    )
    trend = charts.bar_chart(
        "chart-cost-trend",
        t("trend_title"),
        [t.day(d) for d in data.days],
        data.cost_per_day,
        columns=(t("day"), t("cost")),
        shown=lambda v: t.usd(v),
        label_every=7,
    )
    return _page(
        request,
        "costs.html",
        signed_in,
        "nav_costs",
        t=t,
        data=data,
        report=report,
        month=chosen,
        error=error,
        charts=[histogram, trend],
    )


@router.get("/dashboard/learning")
async def learning_page(request: Request, db: Db, now: Now) -> Response:
    signed_in = await _operator(db, request, now)
    t = translator(request)
    data = await repository.learning(db)
    hints = charts.bar_chart(
        "chart-hints",
        t("hints_title"),
        [t.n(h) for h, _ in data.hints_spread],
        [float(n) for _, n in data.hints_spread],
        columns=(t("hints"), t("problems_seen")),
        shown=lambda v: t.n(v),
    )
    return _page(
        request,
        "learning.html",
        signed_in,
        "nav_learning",
        t=t,
        data=data,
        charts=[hints],
        min_seen=repository.TODO_MIN_SEEN,
    )


@router.get("/dashboard/problems/{problem_id}")
async def problem_page(request: Request, problem_id: ProblemId, db: Db, now: Now) -> Response:
    signed_in = await _operator(db, request, now)
    found = await repository.problem(db, problem_id)
    if found is None:
        return render(request, "message.html", 404, message="not_found", area="operators", nav=NAV)
    return _page(request, "problem.html", signed_in, "nav_learning", problem=found)


@dataclass(frozen=True)
class BotHealth:
    state: str  # "webhook", "polling", "off", "waiting"
    running: bool
    pending: int | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    asked: bool = False  # Telegram answered getWebhookInfo


async def _bot_health(request: Request, config: AppSettings) -> BotHealth:
    runtime: BotRuntime | None = getattr(request.app.state, "telegram", None)
    if runtime is None:
        return BotHealth("off" if config.telegram_bot_token is None else "waiting", running=False)
    running = runtime.application.running
    if runtime.mode != "webhook":
        return BotHealth(runtime.mode, running)
    with contextlib.suppress(TelegramError, TimeoutError):
        async with asyncio.timeout(3):
            info = await runtime.application.bot.get_webhook_info()
        return BotHealth(
            "webhook", running, info.pending_update_count, info.last_error_message, info.last_error_date, True
        )
    return BotHealth("webhook", running)


@router.get("/dashboard/health")
async def health_page(request: Request, db: Db, now: Now, config: AppSettings) -> Response:
    signed_in = await _operator(db, request, now)
    database_ok = await check_connection(timeout_seconds=3.0)
    runs = await repository.job_runs(db) if database_ok else {}
    bot = await _bot_health(request, config)
    return _page(request, "health.html", signed_in, "nav_health", database_ok=database_ok, bot=bot, runs=runs)


async def _teachers_page(
    request: Request, db: Db, signed_in: SignedIn, status_code: int = 200, **context: Any
) -> HTMLResponse:
    teachers = await classes.list_teachers(db)
    response = _page(request, "teachers.html", signed_in, "nav_teachers", teachers=teachers, **context)
    response.status_code = status_code
    return response


@router.get("/dashboard/teachers")
async def teachers_page(request: Request, db: Db, now: Now) -> Response:
    signed_in = await _operator(db, request, now)
    return await _teachers_page(request, db, signed_in, added=request.query_params.get("added"))


@router.post("/dashboard/teachers")
async def add_teacher(request: Request, db: Db, now: Now) -> Response:
    signed_in = await _operator(db, request, now)
    form = await read_form(request)
    try:
        check_csrf(request, form, signed_in.csrf_token)
    except CsrfRefused:
        return await _teachers_page(request, db, signed_in, 403, error="csrf_failed")
    raw_id = to_ascii_digits(form.get("telegram_id", "").strip())
    if not raw_id.isascii() or not raw_id.isdigit() or len(raw_id) > 19:
        return await _teachers_page(request, db, signed_in, 422, error="bad_telegram_id", form=form)
    try:
        teacher = await classes.add_teacher(
            db,
            telegram_id=int(raw_id),
            name=form.get("name", ""),
            language="en" if form.get("language") == "en" else "bn",
        )
    except TeacherExists:
        return await _teachers_page(request, db, signed_in, 409, error="teacher_exists", form=form)
    except BadClassInput as exc:
        error = "bad_telegram_id" if "Telegram" in exc.message else "name_needed"
        return await _teachers_page(request, db, signed_in, 422, error=error, form=form)
    return redirect(f"/admin/dashboard/teachers?added={teacher.teacher_id}")
