"""What a route needs: the request's database session, the time, and who is calling.

Every dependency is `async def`: FastAPI runs a plain `def` one in a worker thread, a thread hop per
dependency per request for functions that never block.

The database session is a `scope="function"` dependency: FastAPI closes it (commit, or rollback on any
exception) when the route function returns, before the response is sent. So a client never sees a
success whose transaction then failed to commit, and a domain error raised after a flush rolls back.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from src.auth.admin import check_admin_token
from src.auth.errors import AdminNotAuthenticated, AuthNotConfigured, Forbidden, NotAuthenticated
from src.auth.telegram import TelegramUser, validate_init_data
from src.config import Settings, get_settings
from src.database import session_scope
from src.models import Student
from src.practice import students
from src.practice.ports import AnswerJudge, HintSource
from src.tutor import model_tutor


async def clock() -> datetime:
    """The current time (UTC). Tests override this dependency to move time."""
    return datetime.now(UTC)


async def settings() -> Settings:
    return get_settings()


# One session per request, committed once at the end, rolled back on any error: the generator behind
# `get_session()` itself, not a generator wrapping it (a layer of context managers less per request).
database = session_scope


async def hint_source() -> HintSource | None:
    """The AI tutor's hints; without a key None: the curated ladder."""
    return model_tutor()


async def answer_judge() -> AnswerJudge | None:
    """The AI tutor judges what the checker cannot; without a key there is no judge (None)."""
    return model_tutor()


Now = Annotated[datetime, Depends(clock)]
Hints = Annotated[HintSource | None, Depends(hint_source)]
Judge = Annotated[AnswerJudge | None, Depends(answer_judge)]
AppSettings = Annotated[Settings, Depends(settings)]
Db = Annotated[AsyncSession, Depends(database, scope="function")]

telegram_scheme = APIKeyHeader(
    name="Authorization",
    scheme_name="TelegramInitData",
    description="`tma <initData>`: the raw `Telegram.WebApp.initData` string of the Mini App.",
    auto_error=False,
)
admin_scheme = HTTPBearer(
    scheme_name="AdminToken",
    description="`Bearer <ADMIN_TOKEN>`: operators only.",
    auto_error=False,
)


def _verify_telegram(authorization: str | None, config: Settings, now: datetime) -> TelegramUser:
    scheme, _, credentials = (authorization or "").strip().partition(" ")
    if not scheme:
        raise NotAuthenticated("send the Mini App's initData as `Authorization: tma <initData>`")
    if scheme.lower() == "bearer":
        raise Forbidden("an operator token cannot act as a student; use the /admin routes")
    if scheme.lower() != "tma" or not credentials.strip():
        raise NotAuthenticated("the Authorization header must be `tma <initData>`")
    if config.telegram_bot_token is None:
        raise AuthNotConfigured("student sign-in is disabled: TELEGRAM_BOT_TOKEN is not set")
    verified = validate_init_data(
        credentials.strip(),
        config.telegram_bot_token.get_secret_value(),
        now=now,
        max_age=timedelta(seconds=config.telegram_init_data_max_age_seconds),
    )
    return verified.user


async def telegram_user(
    authorization: Annotated[str | None, Security(telegram_scheme)], config: AppSettings, now: Now
) -> TelegramUser:
    """The Telegram user whose signed initData came with the request (401 otherwise)."""
    return _verify_telegram(authorization, config, now)


CurrentUser = Annotated[TelegramUser, Depends(telegram_user)]


async def current_student(user: CurrentUser, db: Db) -> Student:
    """The registered student behind the request's initData (404 `not_registered` before POST /students)."""
    return await students.student_for_telegram(db, user.id)


CurrentStudent = Annotated[Student, Depends(current_student)]


async def current_student_id(user: CurrentUser, db: Db) -> int:
    """The id of the registered student behind the request's initData (404 `not_registered` before
    POST /students): the practice routes need no more, and every one of them starts here."""
    return await students.student_id_for_telegram(db, user.id)


CurrentStudentId = Annotated[int, Depends(current_student_id)]


async def require_admin(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(admin_scheme)],
    config: AppSettings,
    now: Now,
) -> None:
    """Pass operators holding ADMIN_TOKEN; a genuine student gets 403, anyone else 401."""
    if credentials is None:
        raw = request.headers.get("Authorization", "")
        if raw.strip().partition(" ")[0].lower() == "tma":
            _verify_telegram(raw, config, now)  # a forged student credential is still a 401
            raise Forbidden("students cannot use the operator routes")
        raise AdminNotAuthenticated("send `Authorization: Bearer <ADMIN_TOKEN>`")
    expected = config.admin_token.get_secret_value() if config.admin_token is not None else None
    check_admin_token(credentials.credentials, expected)
