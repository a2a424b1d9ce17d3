"""src/practice/progress.py: weeks are DARS_TIMEZONE (Asia/Dhaka) weeks; skips are not answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from src.database import DarsSession
from src.models import Response, SessionStatus
from src.practice.progress import progress
from tests.factories import make_problem, make_session, make_student

NOW = datetime(2026, 5, 4, 4, 0, tzinfo=UTC)  # Monday 10:00 in Dhaka


async def test_weeks_follow_the_local_calendar(db: DarsSession) -> None:
    student = await make_student(db)
    for completed_at in (
        datetime(2026, 5, 3, 17, 30, tzinfo=UTC),  # Sunday 23:30 in Dhaka: last week
        datetime(2026, 5, 3, 18, 30, tzinfo=UTC),  # Monday 00:30 in Dhaka: this week
        NOW - timedelta(weeks=9),  # too old to show
    ):
        await make_session(
            db,
            student,
            date=completed_at - timedelta(minutes=10),
            expires_at=completed_at + timedelta(minutes=20),
            status=SessionStatus.COMPLETED,
            completed_at=completed_at,
        )
    await make_session(db, student, date=NOW, expires_at=NOW, status=SessionStatus.ABANDONED)
    weeks = (await progress(db, student.student_id, NOW)).weeks
    assert [w.week_start for w in weeks][-2:] == [date(2026, 4, 27), date(2026, 5, 4)]
    assert len(weeks) == 8 and weeks[0].week_start == date(2026, 3, 16)
    assert [w.sessions_completed for w in weeks] == [0, 0, 0, 0, 0, 0, 1, 1]


async def test_a_topic_counts_problems_not_tries(db: DarsSession) -> None:
    student = await make_student(db)
    other = await make_student(db)
    ratio = await make_problem(db, topic="Ratio")
    sets = await make_problem(db, topic="Sets")
    mine = await make_session(db, student, problem_ids=[ratio.problem_id, sets.problem_id])
    theirs = await make_session(db, other, problem_ids=[ratio.problem_id])
    for session, problem, answer, correct in (
        (mine, ratio, "3", False),
        (mine, ratio, "4", True),
        (mine, sets, "", False),  # a skip
        (theirs, ratio, "4", True),  # another student's: not counted
    ):
        db.add(
            Response(
                session_id=session.session_id,
                problem_id=problem.problem_id,
                student_answer=answer,
                is_correct=correct,
            )
        )
    await db.flush()
    result = await progress(db, student.student_id, NOW)
    by_topic = {t.topic: t for t in result.topics}
    # One ratio problem, solved at the second try: 1 of 1, not "1/2 (50%)".
    ratio_line = by_topic["Ratio"]
    assert (ratio_line.problems, ratio_line.solved, ratio_line.solved_share, ratio_line.attempts) == (
        1,
        1,
        1.0,
        2,
    )
    # A skipped topic is there too: met, not solved.
    sets_line = by_topic["Sets"]
    assert (sets_line.problems, sets_line.solved, sets_line.skipped, sets_line.solved_share) == (1, 0, 1, 0.0)
    assert (result.problems, result.solved, result.attempts) == (2, 1, 2)
