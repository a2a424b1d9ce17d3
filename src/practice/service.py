"""Practice use cases. Each takes the AsyncSession first and flushes; the caller commits.

Concurrency: every write to a session first locks its row (SELECT ... FOR UPDATE), and starting a session
locks the student's row (FOR NO KEY UPDATE), so concurrent requests for one student or one session run one
after another.
A partial unique index (one in-progress session per student) backs this up in the database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from src.answers.check import CheckResult, Confidence, Verdict, check_answer
from src.config import get_settings
from src.content.marking import feedback, marking_for
from src.driver import Driver, Row, adopt_row, driver, mark_saved, prefixed, select_list, snapshot
from src.models import HintView, SessionStatus, Student
from src.models import Session as PracticeSession
from src.practice import learning
from src.practice.errors import (
    NoHintsLeft,
    NoProblemsAvailable,
    ProblemNotCurrent,
    SessionClosed,
    SessionExpired,
    SessionNotFound,
    StudentNotFound,
)
from src.practice.ports import AnswerJudge, HintRequest, HintSource, HintText
from src.practice.selection import Pick
from src.practice.views import (
    MAX_ATTEMPTS,
    SKIPPED,
    ProblemProgress,
    SessionView,
    find_view,
    load_view,
    view_columns,
    view_from_row,
)
from src.streaks import service as streaks
from src.streaks.days import StreakUpdate, local_day, local_day_start

SESSION_LENGTH = timedelta(minutes=30)
# How far back a start reads the student's answers: mastery is traced over these (at most ~600 first
# answers at five a day; bench/README.md measures what the start costs). A skill last practised before it
# starts again from the prior, as the forgetting model would have it close to by then.
HISTORY_WINDOW = timedelta(days=120)
MAX_HINTS = 3

# The practice loop's statements, sent on the session's asyncpg connection (src/driver.py): through the
# ORM each cost several times the statement itself (bench/README.md).
# NO KEY UPDATE, not UPDATE: it serialises starts (and profile changes) just as well, but leaves alone the
# share lock that a foreign key to the student takes (a new streak or cost record). A start holding FOR UPDATE
# while an answer, holding the session it waits for, creates the first streak would deadlock the two.
_LOCK_STUDENT = (
    f"SELECT {select_list(Student, 's')} FROM students AS s WHERE s.student_id = $1 FOR NO KEY UPDATE"
)
# The student's latest completed session: read beside the session in progress, and again after a wait.
# Sessions made in one transaction share created_at: the later one (the higher id) is the latest.
_LATEST_COMPLETED = (
    "SELECT * FROM sessions WHERE student_id = $1 AND status = 'completed' "
    "ORDER BY created_at DESC, session_id DESC LIMIT 1"
)
_LAST_COMPLETED = f"SELECT {select_list(PracticeSession, 's')} FROM ({_LATEST_COMPLETED}) AS s"


def _choice_inputs(grade: str, student_id: str, since: str) -> str:
    """What the choice of a new session's problems reads, in one statement: the grade's problems (not
    retired ones), the student's first answers since `since` (one row per problem of a session:
    src/practice/learning.py reads them) and the fitted skill parameters (parameters, as SQL)."""
    return f"""
SELECT
  (SELECT coalesce(jsonb_agg(jsonb_build_array(problem_id, topic, difficulty)), '[]'::jsonb)
   FROM problems
   WHERE grade = {grade}
     AND NOT EXISTS (SELECT 1 FROM retired_problems AS rp WHERE rp.problem_id = problems.problem_id)
  ) AS candidates,
  (SELECT coalesce(jsonb_agg(jsonb_build_array(p.problem_id, p.topic, p.difficulty, f.first_correct,
                                               extract(epoch FROM f.first_at), f.hints_used, f.skipped,
                                               f.solved, f.answers, extract(epoch FROM f.last_at))
                             ORDER BY f.first_at, f.session_id),
                   '[]'::jsonb)
   FROM (SELECT DISTINCT ON (r.session_id, r.problem_id) r.session_id, r.problem_id,
                r.evaluated_at AS first_at, r.is_correct AS first_correct, r.hints_used,
                r.student_answer = '' AS skipped, bool_or(r.is_correct) OVER w AS solved,
                count(*) OVER w AS answers, max(r.evaluated_at) OVER w AS last_at
         FROM responses AS r
         JOIN sessions AS s ON s.session_id = r.session_id
         WHERE s.student_id = {student_id} AND r.evaluated_at >= {since}
         WINDOW w AS (PARTITION BY r.session_id, r.problem_id)
         ORDER BY r.session_id, r.problem_id, r.evaluated_at, r.response_id) AS f
   JOIN problems AS p ON p.problem_id = f.problem_id) AS recent,
  (SELECT coalesce(jsonb_agg(jsonb_build_array(skill, p_init, p_learn, p_guess, p_slip, p_forget)),
                   '[]'::jsonb)
   FROM skill_parameters) AS params"""


CHOICE_INPUTS = _choice_inputs("$1", "$2", "$3")
# All a start decides on, in one statement, sent after the student's lock (so its snapshot holds every
# session of the student: they are made under that lock): the session in progress, locked; the latest
# completed one; and, only when neither is today's session ($2 now, $3 the start of today), the choice's
# inputs. One round trip instead of three for a new day's session.
# If the lock had to wait for a transaction that completed (or abandoned) the session, the locked read
# finds it no longer in progress, and the latest completed session, read in the statement's older
# snapshot, may miss it: `seen_in_progress` (the same read without the lock) tells, and the start then
# reads the completed session again (tests/practice/test_concurrency.py). Public: the benchmark's asyncpg
# ceiling sends it too (bench/practice_raw.py).
TODAYS_SESSIONS = f"""
SELECT {select_list(PracticeSession, "a", prefix="active_")},
       {select_list(PracticeSession, "d", prefix="done_")},
       (SELECT count(*) FROM sessions WHERE student_id = $1 AND status = 'in_progress') AS seen_in_progress,
       c.candidates, c.recent, c.params
FROM (SELECT 1) AS one
LEFT JOIN (SELECT * FROM sessions WHERE student_id = $1 AND status = 'in_progress' FOR UPDATE) AS a ON true
LEFT JOIN LATERAL ({_LATEST_COMPLETED}) AS d ON true
LEFT JOIN LATERAL ({_choice_inputs("$4", "$1", "$5")}
  WHERE (a.session_id IS NULL OR a.expires_at <= $2)
    AND (d.session_id IS NULL OR d.date < $3)
) AS c ON true"""
# A new session and its view in one statement (one round trip less on every new day's start): its
# responses and hint views are necessarily empty, its problems' versions are read with it.
_INSERT_SESSION = f"""
WITH s AS (
  INSERT INTO sessions (student_id, date, status, problem_ids, expires_at)
  VALUES ($1, $2, 'in_progress', $3::jsonb, $4) RETURNING *)
SELECT {select_list(PracticeSession, "s")}, {view_columns("s.session_id", "$5::int[]")} FROM s"""
_COMPLETE = """
UPDATE sessions SET status = 'completed', completed_at = $2, total_time_seconds = $3, problems_correct = $4
WHERE session_id = $1 RETURNING updated_at"""

_INSERT_RESPONSE = """
INSERT INTO responses (session_id, problem_id, student_answer, is_correct, time_spent_seconds, hints_used,
                       hints_viewed, evaluated_at, confidence_level)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9::confidence_level)"""
# The same, with the common wrong answer it was ($10) kept beside it: one round trip still.
_INSERT_RESPONSE_WITH_MISCONCEPTION = f"""
WITH r AS ({_INSERT_RESPONSE.strip()} RETURNING response_id, problem_id)
INSERT INTO response_misconceptions (response_id, problem_id, misconception, created_at)
SELECT response_id, problem_id, $10, $8 FROM r"""
_INSERT_HINT_VIEW = """
INSERT INTO hint_views (session_id, problem_id, hint_number, is_ai_generated, text_en, text_bn, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)"""


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class AnswerOutcome:
    """What happened to a submitted answer (or skip)."""

    check: CheckResult
    recorded: bool  # False for non-answers and undecided text: nothing was stored
    is_correct: bool
    progress: ProblemProgress  # the problem answered, after this answer
    view: SessionView
    streak: StreakUpdate | None = None  # set when this answer completed the session
    # (English, Bengali) beyond right/wrong: the form wanted (WRONG_FORM), or the common mistake's nudge
    feedback: tuple[str, str] | None = None

    @property
    def session_completed(self) -> bool:
        return self.view.session.status == SessionStatus.COMPLETED


@dataclass(frozen=True)
class HintOutcome:
    hint: HintView
    hints_left: int
    progress: ProblemProgress


# --- students ---------------------------------------------------------------------------------------


async def get_student(db: AsyncSession, student_id: int, *, lock: bool = False) -> Student:
    """The student; `lock` takes their row lock (and refreshes a copy already loaded). Without it a student
    already loaded in this transaction (as the API's authentication does) is served from the identity
    map, without a query."""
    if lock:
        row = await (await driver(db)).fetchrow(_LOCK_STUDENT, student_id)
        student = None if row is None else adopt_row(db, Student, row)
    else:
        student = await db.get(Student, student_id)
    if student is None:
        raise StudentNotFound(f"no student {student_id}")
    return student


# --- sessions ---------------------------------------------------------------------------------------


async def start_daily_session(
    db: AsyncSession, student_id: int, *, now: datetime | None = None, seed: int | None = None
) -> SessionView:
    """Today's session: resume the one in progress, else today's completed one, else a new one."""
    now = now or utcnow()
    zone = get_settings().timezone
    today = local_day(now, zone)
    student = await get_student(db, student_id, lock=True)  # serialises concurrent starts
    connection = await driver(db)
    found = await connection.fetchrow(
        TODAYS_SESSIONS, student_id, now, local_day_start(today, zone), student.grade, now - HISTORY_WINDOW
    )
    assert found is not None  # a SELECT over one row, outer-joined
    inputs = found if found["candidates"] is not None else None
    done_row = prefixed(found, "done_") if found["done_session_id"] is not None else None
    if found["active_session_id"] is not None:
        active = adopt_row(db, PracticeSession, prefixed(found, "active_"))
        if now < active.expires_at:
            return await load_view(db, active, resumed=True)
        active.status = SessionStatus.ABANDONED
        await db.flush()
    elif found["seen_in_progress"]:
        # Completed or abandoned while this start waited for its lock: read what was committed since.
        done_row = await connection.fetchrow(_LAST_COMPLETED, student_id)
        inputs = None

    done = None if done_row is None else adopt_row(db, PracticeSession, done_row)
    # A session belongs to the day it began, as its streak does: one begun at 23:50 and finished after
    # midnight is yesterday's, and today's session is still to come.
    if done is not None and local_day(done.date, zone) == today:
        return await load_view(db, done, resumed=True)

    seed = seed if seed is not None else daily_seed(student_id, today)
    picks = await _choose_for(connection, student, now, seed, inputs)
    if not picks:
        raise NoProblemsAvailable(
            f"no problems are loaded for grade {student.grade} yet", grade=student.grade
        )
    ids = [pick.problem_id for pick in picks]
    created = await connection.fetchrow(
        _INSERT_SESSION, student_id, now, json.dumps(ids), now + SESSION_LENGTH, ids
    )
    assert created is not None
    return await view_from_row(connection, adopt_row(db, PracticeSession, created), created)


def daily_seed(student_id: int, today: date) -> int:
    """The seed of a student's choice on a local day: same student, same day, same choice (a retried start
    picks the same problems). Public: the benchmark's asyncpg ceiling seeds its choice with it too."""
    return student_id * 1_000_003 + today.toordinal()


async def _choose_for(
    connection: Driver, student: Student, now: datetime, seed: int, inputs: Row | None
) -> list[Pick]:
    """The new session's problems, from the choice's `inputs` when the start has them already."""
    if inputs is None:
        inputs = await connection.fetchrow(
            CHOICE_INPUTS, student.grade, student.student_id, now - HISTORY_WINDOW
        )
        assert inputs is not None  # a SELECT without FROM returns one row
    return choose_from(inputs, now, seed)


def choose_from(inputs: Row, now: datetime, seed: int) -> list[Pick]:
    """The new session's problems from the choice's inputs (`candidates`, `recent` and `params`, as jsonb,
    read by `CHOICE_INPUTS` or `TODAYS_SESSIONS`), planned by mastery (src/practice/learning.py). Public:
    the benchmark's asyncpg ceiling and the learning simulation choose with it too."""
    return learning.choose(inputs, now, seed, get_settings().timezone)


async def get_session_view(
    db: AsyncSession, student_id: int, session_id: int, *, lock: bool = False
) -> SessionView:
    """A session of this student (another student's session is reported as not found)."""
    view = await find_view(db, student_id, session_id, lock=lock)
    if view is None:
        raise SessionNotFound(f"no session {session_id} for this student")
    return view


async def _open_problem(
    db: AsyncSession, student_id: int, session_id: int, now: datetime, problem_id: int | None
) -> tuple[SessionView, ProblemProgress]:
    """Lock the session and return it with its current problem, refusing closed or expired sessions."""
    view = await get_session_view(db, student_id, session_id, lock=True)
    session = view.session
    # Expiry first: whether the periodic job has already marked it abandoned must not change the answer.
    if session.status != SessionStatus.COMPLETED and now >= session.expires_at:
        raise SessionExpired(session.expires_at)
    if session.status != SessionStatus.IN_PROGRESS:
        raise SessionClosed(f"session {session_id} is {session.status.value}", status=session.status.value)
    current = view.current
    if current is None:  # every problem finished but not completed: cannot happen, but never crash on it
        raise SessionClosed(f"session {session_id} has no open problem")
    if problem_id is not None and problem_id != current.problem.problem_id:
        raise ProblemNotCurrent(
            f"problem {problem_id} is not the current problem of this session",
            current_problem_id=current.problem.problem_id,
        )
    return view, current


async def submit_answer(
    db: AsyncSession,
    student_id: int,
    session_id: int,
    text: str,
    *,
    problem_id: int | None = None,
    now: datetime | None = None,
    judge: AnswerJudge | None = None,
) -> AnswerOutcome:
    """Check and record an answer to the current problem; completes the session after the last one."""
    now = now or utcnow()
    view, current = await _open_problem(db, student_id, session_id, now, problem_id)
    marking = marking_for(current.problem.problem_id, current.problem.answer)
    check = check_answer(
        text, current.problem.answer, form=marking.form, mistakes=marking.values, unit=marking.unit
    )
    if check.verdict is Verdict.UNDECIDED and judge is not None:
        judgement = await judge.judge(db, student_id, session_id, current.problem, text)
        if judgement is not None:
            check = CheckResult(
                verdict=Verdict.CORRECT if judgement.is_correct else Verdict.WRONG,
                confidence=Confidence(judgement.confidence),
                parsed=None,
                non_answer=None,
                mistake=None,
            )
    # The right value in another form is not an attempt either: the student is told the form and tries again.
    said = feedback(check, marking)
    if check.verdict in (Verdict.NOT_AN_ANSWER, Verdict.UNDECIDED, Verdict.WRONG_FORM):
        return AnswerOutcome(check, False, False, current, view, feedback=said)
    is_correct = check.verdict is Verdict.CORRECT
    outcome = await _record(db, view, current, text.strip(), is_correct, check, now)
    return replace(outcome, feedback=said) if said is not None else outcome


async def skip_problem(
    db: AsyncSession,
    student_id: int,
    session_id: int,
    *,
    problem_id: int | None = None,
    now: datetime | None = None,
) -> AnswerOutcome:
    """Give up the current problem: it is finished, unsolved."""
    now = now or utcnow()
    view, current = await _open_problem(db, student_id, session_id, now, problem_id)
    check = CheckResult(
        verdict=Verdict.WRONG, confidence=Confidence.HIGH, parsed=None, non_answer=None, mistake=None
    )
    return await _record(db, view, current, SKIPPED, False, check, now)


async def _record(
    db: AsyncSession,
    view: SessionView,
    current: ProblemProgress,
    answer: str,
    is_correct: bool,
    check: CheckResult,
    now: datetime,
) -> AnswerOutcome:
    session = view.session
    last_event = view.last_answer_at or session.date
    hints = current.hints
    misconception = () if check.misconception is None else (check.misconception,)
    await (await driver(db)).execute(
        _INSERT_RESPONSE_WITH_MISCONCEPTION if misconception else _INSERT_RESPONSE,
        session.session_id,
        current.problem.problem_id,
        answer[:500],
        is_correct,
        max(0, min(int((now - last_event).total_seconds()), int(SESSION_LENGTH.total_seconds()))),
        len(hints),
        json.dumps([{"hint_number": h.hint_number, "is_ai_generated": h.is_ai_generated} for h in hints]),
        now,
        check.confidence.value,
        *misconception,
    )
    view.last_answer_at = now
    if answer == SKIPPED:
        current.skipped = True
    else:
        current.attempts += 1
        current.solved = current.solved or is_correct
        current.last_answer = answer
    streak_update = None
    if all(p.finished for p in view.problems):
        completed = {
            "status": SessionStatus.COMPLETED,
            "completed_at": now,
            "total_time_seconds": max(0, int((min(now, session.expires_at) - session.date).total_seconds())),
            "problems_correct": view.solved_count,
        }
        updated_at = await (await driver(db)).fetchval(
            _COMPLETE, session.session_id, now, completed["total_time_seconds"], completed["problems_correct"]
        )
        mark_saved(session, completed | {"updated_at": updated_at})
        streak_update = await streaks.record_practice(db, session.student_id, session.date)
    return AnswerOutcome(check, True, is_correct, current, view, streak_update)


# --- hints --------------------------------------------------------------------------------------------


async def next_hint(
    db: AsyncSession,
    student_id: int,
    session_id: int,
    *,
    problem_id: int | None = None,
    now: datetime | None = None,
    source: HintSource | None = None,
) -> HintOutcome:
    """The next hint of the current problem's ladder (1, 2, 3), from `source` or the curated library."""
    now = now or utcnow()
    _, current = await _open_problem(db, student_id, session_id, now, problem_id)
    number = len(current.hints) + 1
    if number > MAX_HINTS:
        raise NoHintsLeft("all three hints of this problem have been shown")
    text = None
    if source is not None:
        student = await get_student(db, student_id)
        marking = marking_for(current.problem.problem_id, current.problem.answer)
        last_check = (
            check_answer(
                current.last_answer, current.problem.answer, form=marking.form, mistakes=marking.values
            )
            if current.last_answer
            else None
        )
        request = HintRequest(
            student_id=student_id,
            session_id=session_id,
            problem=current.problem,
            hint_number=number,
            language=student.language,
            last_answer=current.last_answer,
            last_check=last_check,
        )
        text = await source.hint(db, request)
    if text is None:
        curated = current.problem.hints[number - 1]
        text = HintText(curated["text_en"], curated["text_bn"], is_ai_generated=False)
    hint = snapshot(
        HintView,
        {
            "session_id": session_id,
            "problem_id": current.problem.problem_id,
            "hint_number": number,
            "is_ai_generated": text.is_ai_generated,
            "text_en": text.text_en,
            "text_bn": text.text_bn,
            "created_at": now,
        },
    )  # a record of what was shown: inserted below, never added to the ORM session
    await (await driver(db)).execute(
        _INSERT_HINT_VIEW,
        session_id,
        hint.problem_id,
        number,
        hint.is_ai_generated,
        hint.text_en,
        hint.text_bn,
        now,
    )
    current.hints.append(hint)
    return HintOutcome(hint=hint, hints_left=MAX_HINTS - number, progress=current)


# --- housekeeping -------------------------------------------------------------------------------------


async def expire_sessions(db: AsyncSession, *, now: datetime | None = None) -> int:
    """Mark every in-progress session past its expiry as abandoned; returns how many."""
    now = now or utcnow()
    result = await db.execute(
        update(PracticeSession)
        .where(PracticeSession.status == SessionStatus.IN_PROGRESS, PracticeSession.expires_at <= now)
        .values(status=SessionStatus.ABANDONED)
        .returning(PracticeSession.session_id)
    )
    return len(result.all())


__all__ = [
    "MAX_ATTEMPTS",
    "AnswerOutcome",
    "HintOutcome",
    "expire_sessions",
    "get_session_view",
    "get_student",
    "next_hint",
    "skip_problem",
    "start_daily_session",
    "submit_answer",
]
