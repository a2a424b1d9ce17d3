"""Student routes: registration, profile, streak, progress. Always the caller's own record."""

from __future__ import annotations

from fastapi import APIRouter, status

from src.api.dependencies import CurrentStudent, CurrentUser, Db, Now
from src.api.errors import error_responses
from src.api.schemas import ProgressOut, RegisterStudent, StreakOut, StudentOut, UpdateStudent
from src.practice import progress as practice_progress
from src.practice import students
from src.streaks import service as streaks

router = APIRouter(prefix="/students", tags=["students"], responses=error_responses(401, 403, 500, 503))


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Register the Telegram user as a student",
    description="Creates the student for the Telegram account that signed the initData. "
    "`name` defaults to the Telegram first name.",
    responses=error_responses(400, 409, 422),
)
async def register(body: RegisterStudent, user: CurrentUser, db: Db) -> StudentOut:
    name = body.name or " ".join(user.first_name.split())[:100] or "Student"
    student = await students.register_student(db, user.id, name, body.grade, body.language)
    return StudentOut.of(student)


@router.get(
    "/me",
    summary="The caller's profile",
    responses=error_responses(404),
)
async def get_me(student: CurrentStudent) -> StudentOut:
    return StudentOut.of(student)


@router.patch(
    "/me",
    summary="Change name, grade or language",
    description="Only the fields sent change. A new grade applies from the next session.",
    responses=error_responses(400, 404, 422),
)
async def update_me(body: UpdateStudent, student: CurrentStudent, db: Db) -> StudentOut:
    updated = await students.update_profile(
        db, student.student_id, name=body.name, grade=body.grade, language=body.language
    )
    return StudentOut.of(updated)


@router.get(
    "/me/streak",
    summary="The caller's practice streak",
    description="A streak reads 0 once a whole local day (DARS_TIMEZONE) passed without practice.",
    responses=error_responses(404),
)
async def get_my_streak(student: CurrentStudent, db: Db, now: Now) -> StreakOut:
    return StreakOut.of(await streaks.get_streak(db, student.student_id, now))


@router.get(
    "/me/progress",
    summary="The caller's accuracy per topic and sessions per week",
    responses=error_responses(404),
)
async def get_my_progress(student: CurrentStudent, db: Db, now: Now) -> ProgressOut:
    return ProgressOut.of(await practice_progress.progress(db, student.student_id, now))
