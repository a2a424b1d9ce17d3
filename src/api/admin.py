"""Operator routes (Authorization: Bearer <ADMIN_TOKEN>)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from src.api.dependencies import Db, Now, require_admin
from src.api.errors import error_responses
from src.api.schemas import MAX_ID, AdminStudentOut, ExpireOut, ProgressOut, SessionOut, StreakOut, StudentOut
from src.practice import progress as practice_progress
from src.practice import service
from src.streaks import service as streaks

router = APIRouter(
    prefix="/admin",
    tags=["admin"],
    dependencies=[Depends(require_admin)],
    responses=error_responses(401, 403, 500, 503),
)

StudentId = Annotated[int, Path(ge=1, le=MAX_ID, description="The student's id.")]
SessionId = Annotated[int, Path(ge=1, le=MAX_ID, description="The session's id.")]


@router.get(
    "/students/{student_id}", summary="A student and their streak", responses=error_responses(404, 422)
)
async def get_student(student_id: StudentId, db: Db, now: Now) -> AdminStudentOut:
    student = await service.get_student(db, student_id)
    streak = await streaks.get_streak(db, student_id, now)
    return AdminStudentOut(student=StudentOut.of(student), streak=StreakOut.of(streak))


@router.get(
    "/students/{student_id}/progress",
    summary="A student's accuracy per topic and sessions per week",
    responses=error_responses(404, 422),
)
async def get_student_progress(student_id: StudentId, db: Db, now: Now) -> ProgressOut:
    return ProgressOut.of(await practice_progress.progress(db, student_id, now))


@router.get(
    "/students/{student_id}/sessions/{session_id}",
    summary="A session of a student, as the student sees it",
    responses=error_responses(404, 422),
)
async def get_student_session(student_id: StudentId, session_id: SessionId, db: Db) -> SessionOut:
    return SessionOut.of(await service.get_session_view(db, student_id, session_id))


@router.post(
    "/sessions/expire",
    summary="Mark every expired session abandoned now",
    description="The API also does this in the background every SESSION_EXPIRY_INTERVAL_SECONDS.",
)
async def expire_sessions(db: Db, now: Now) -> ExpireOut:
    return ExpireOut(expired=await service.expire_sessions(db, now=now), at=now)
