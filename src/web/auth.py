"""Web sign-in: session cookies, their rows, and CSRF tokens.

- The cookie holds 32 random bytes; `web_sessions` keeps only their SHA-256 (a leaked table signs no one in).
  HttpOnly, SameSite=Lax, Secure except in development and tests (plain http on 127.0.0.1 there).
  Operators' cookie is scoped to /admin, teachers' to /teach.
- Every form carries a CSRF token. Signed in: the session's own random token (synchronizer token). Before
  signing in (the login forms): a random `dars_csrf` cookie that the form must repeat (double submit). A
  request whose Origin header names another site is refused as well.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import parse_qs, urlsplit

from fastapi import Request, Response
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from src.classes.service import sha256_hex
from src.config import Environment, get_settings
from src.models import WebSession

Role = Literal["operator", "teacher"]

COOKIES: dict[Role, tuple[str, str]] = {
    "operator": ("dars_admin", "/admin"),
    "teacher": ("dars_teach", "/teach"),
}
LIFETIMES: dict[Role, timedelta] = {"operator": timedelta(hours=12), "teacher": timedelta(days=7)}
PRE_LOGIN_CSRF_COOKIE = "dars_csrf"
LANGUAGE_COOKIE = "dars_lang"
FORM_MAX_FIELDS = 20


class CsrfRefused(Exception):
    """A form without its CSRF token (or with another's), or posted from another site."""


@dataclass(frozen=True)
class SignedIn:
    role: Role
    teacher_id: int | None
    csrf_token: str
    token_sha256: str


def secure_cookies() -> bool:
    return get_settings().dars_env is Environment.PRODUCTION


async def start_session(
    db: AsyncSession, response: Response, role: Role, now: datetime, teacher_id: int | None = None
) -> None:
    """Create a session row and set its cookie on `response`."""
    token = secrets.token_urlsafe(32)
    db.add(
        WebSession(
            token_sha256=sha256_hex(token),
            role=role,
            teacher_id=teacher_id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + LIFETIMES[role],
        )
    )
    # Sessions past their time are forgotten as new ones begin: no job needed for a small table.
    await db.execute(delete(WebSession).where(WebSession.expires_at <= now))
    await db.flush()
    name, path = COOKIES[role]
    response.set_cookie(
        name,
        token,
        max_age=int(LIFETIMES[role].total_seconds()),
        path=path,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(),
    )


async def current_session(db: AsyncSession, request: Request, role: Role, now: datetime) -> SignedIn | None:
    name, _ = COOKIES[role]
    token = request.cookies.get(name)
    if not token or len(token) > 200:
        return None
    row = (
        await db.execute(
            select(WebSession).where(
                WebSession.token_sha256 == sha256_hex(token),
                WebSession.role == role,
                WebSession.expires_at > now,
            )
        )
    ).scalar_one_or_none()
    if row is None:
        return None
    return SignedIn(row.role, row.teacher_id, row.csrf_token, row.token_sha256)  # type: ignore[arg-type]


async def end_session(db: AsyncSession, response: Response, signed_in: SignedIn) -> None:
    await db.execute(delete(WebSession).where(WebSession.token_sha256 == signed_in.token_sha256))
    name, path = COOKIES[signed_in.role]
    response.delete_cookie(name, path=path, httponly=True, samesite="lax", secure=secure_cookies())


def pre_login_csrf(request: Request) -> str:
    """The browser's double-submit token (a new one when it has none; `remember_pre_login_csrf` sets it)."""
    given = request.cookies.get(PRE_LOGIN_CSRF_COOKIE, "")
    return given if 20 <= len(given) <= 100 else secrets.token_urlsafe(32)


def remember_pre_login_csrf(response: Response, token: str) -> None:
    response.set_cookie(
        PRE_LOGIN_CSRF_COOKIE, token, path="/", httponly=True, samesite="lax", secure=secure_cookies()
    )


async def read_form(request: Request) -> dict[str, str]:
    """An application/x-www-form-urlencoded body as a dict (the last value of a repeated field wins).
    The body is at most 64 KiB (BodyLimit); forms here are a few fields."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        return {}
    body = (await request.body()).decode("utf-8", errors="replace")
    parsed = parse_qs(body, keep_blank_values=True, max_num_fields=FORM_MAX_FIELDS)
    return {key: values[-1] for key, values in parsed.items()}


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        # No Origin (older browsers, some privacy settings): the token alone decides. "null" comes from
        # sandboxed or cross-origin-redirected documents: refused.
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


def check_csrf(request: Request, form: dict[str, str], expected: str) -> None:
    """Refuse the form unless it carries `expected` and, if the browser says where it came from, came from
    this site."""
    given = form.get("csrf_token", "")
    if not expected or not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise CsrfRefused("missing or wrong CSRF token")
    if not _same_origin(request):
        raise CsrfRefused("form posted from another site")


def check_pre_login_csrf(request: Request, form: dict[str, str]) -> None:
    check_csrf(request, form, request.cookies.get(PRE_LOGIN_CSRF_COOKIE, ""))
