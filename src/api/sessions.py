"""Practice session routes. The session must belong to the caller; another's is reported as not found."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from src.api.dependencies import CurrentStudentId, Db, Hints, Judge, Now
from src.api.errors import error_responses
from src.api.planned import PlannedRoute
from src.api.schemas import (
    MAX_ID,
    AnswerOut,
    HintResponse,
    ProblemRef,
    SessionOut,
    SessionStartOut,
    SubmitAnswer,
)
from src.practice import service

router = APIRouter(
    prefix="/sessions",
    tags=["sessions"],
    responses=error_responses(401, 403, 500, 503),
    route_class=PlannedRoute,
)

SessionId = Annotated[int, Path(ge=1, le=MAX_ID, description="The session's id.")]


@router.post(
    "/today",
    summary="Start or resume today's session",
    description="Resumes the session in progress; after today's session is completed, returns it again "
    "(one session a local day). Otherwise starts a new one of five problems, expiring in 30 minutes. "
    "201 when a new session was started, 200 when an existing one is returned. The current problem comes "
    "in full, the others by their state (`GET /sessions/{id}` shows every problem in full).",
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": SessionStartOut, "description": "An existing session (resumed, or completed today)"},
        **error_responses(404),
    },
)
async def start_today(student_id: CurrentStudentId, db: Db, now: Now, response: Response) -> SessionStartOut:
    view = await service.start_daily_session(db, student_id, now=now)
    if view.resumed:
        response.status_code = status.HTTP_200_OK
    return SessionStartOut.of(view)


@router.get(
    "/{session_id}",
    summary="A session of the caller",
    responses=error_responses(404, 422),
)
async def get_session(session_id: SessionId, student_id: CurrentStudentId, db: Db) -> SessionOut:
    return SessionOut.of(await service.get_session_view(db, student_id, session_id))


@router.post(
    "/{session_id}/answers",
    summary="Answer the current problem",
    description="Checks the answer. Text that is not an answer (`hint`, `জানি না`) returns 200 with "
    "verdict `not_an_answer` and uses no attempt. Three wrong answers finish a problem unsolved; the answer "
    "and the last hint are then revealed. The last problem finished completes the session and moves the "
    "streak.",
    responses=error_responses(400, 404, 409, 422),
)
async def submit_answer(
    session_id: SessionId, body: SubmitAnswer, student_id: CurrentStudentId, db: Db, now: Now, judge: Judge
) -> AnswerOut:
    outcome = await service.submit_answer(
        db, student_id, session_id, body.answer, problem_id=body.problem_id, now=now, judge=judge
    )
    return AnswerOut.of(outcome)


@router.post(
    "/{session_id}/hints",
    summary="Show the next hint of the current problem",
    description="Hints come in a ladder of three; a fourth request is 409 `no_hints_left`.",
    responses=error_responses(400, 404, 409, 422),
)
async def next_hint(
    session_id: SessionId,
    student_id: CurrentStudentId,
    db: Db,
    now: Now,
    source: Hints,
    body: ProblemRef | None = None,
) -> HintResponse:
    problem_id = body.problem_id if body is not None else None
    outcome = await service.next_hint(
        db, student_id, session_id, problem_id=problem_id, now=now, source=source
    )
    return HintResponse.of(outcome)


@router.post(
    "/{session_id}/skip",
    summary="Skip the current problem",
    description="The problem is finished unsolved; its answer and last hint are revealed.",
    responses=error_responses(400, 404, 409, 422),
)
async def skip(
    session_id: SessionId, student_id: CurrentStudentId, db: Db, now: Now, body: ProblemRef | None = None
) -> AnswerOut:
    problem_id = body.problem_id if body is not None else None
    outcome = await service.skip_problem(db, student_id, session_id, problem_id=problem_id, now=now)
    return AnswerOut.of(outcome, skipped=True)
