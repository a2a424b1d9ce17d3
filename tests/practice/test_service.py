"""Practice services on the real database, with a controlled clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from src.database import DarsSession
from src.models import Response, SessionStatus, Streak
from src.models import Session as PracticeSession
from src.practice import service
from src.practice.errors import (
    NoHintsLeft,
    ProblemNotCurrent,
    SessionClosed,
    SessionExpired,
    SessionNotFound,
)
from src.streaks import service as streaks
from tests.factories import make_problem, make_student

T0 = datetime(2026, 3, 1, 4, 0, tzinfo=UTC)  # 10:00 in Dhaka


async def _library(db: DarsSession, grade: int = 7, count: int = 12) -> dict[int, str]:
    answers = {}
    for i in range(count):
        problem = await make_problem(
            db, grade=grade, topic=f"Topic {i % 4}", difficulty=1 + i % 3, answer=str(20 + i)
        )
        answers[problem.problem_id] = problem.answer
    await make_problem(db, grade=8, answer="999")  # another grade: never chosen
    return answers


async def test_start_creates_five_problems_of_the_grade(db: DarsSession) -> None:
    answers = await _library(db)
    student = await make_student(db, grade=7)
    view = await service.start_daily_session(db, student.student_id, now=T0)
    session = view.session
    assert session.status == SessionStatus.IN_PROGRESS
    assert len(session.problem_ids) == 5 and len(set(session.problem_ids)) == 5
    assert set(session.problem_ids) <= set(answers)
    assert session.expires_at - session.date == timedelta(minutes=30)
    assert view.current is not None and view.current.position == 1 and not view.resumed


async def test_start_resumes_then_replaces_expired(db: DarsSession) -> None:
    await _library(db)
    student = await make_student(db)
    first = await service.start_daily_session(db, student.student_id, now=T0)
    again = await service.start_daily_session(db, student.student_id, now=T0 + timedelta(minutes=29))
    assert again.session.session_id == first.session.session_id and again.resumed
    later = await service.start_daily_session(db, student.student_id, now=T0 + timedelta(minutes=31))
    assert later.session.session_id != first.session.session_id
    await db.refresh(first.session)
    assert first.session.status == SessionStatus.ABANDONED


async def _finish(
    db: DarsSession, student_id: int, view: service.SessionView, answers: dict[int, str], now: datetime
) -> service.AnswerOutcome:
    outcome = None
    for pid in view.session.problem_ids:
        outcome = await service.submit_answer(
            db, student_id, view.session.session_id, answers[pid], problem_id=pid, now=now
        )
    assert outcome is not None
    return outcome


async def test_full_session_completes_once_with_streak(db: DarsSession) -> None:
    answers = await _library(db)
    student = await make_student(db)
    view = await service.start_daily_session(db, student.student_id, now=T0)
    sid = view.session.session_id
    first, second, *rest = view.session.problem_ids
    wrong = await service.submit_answer(db, student.student_id, sid, "1", now=T0 + timedelta(minutes=1))
    assert wrong.recorded and not wrong.is_correct and wrong.progress.attempts_left == 2
    right = await service.submit_answer(
        db, student.student_id, sid, f"the answer is {answers[first]}", now=T0 + timedelta(minutes=2)
    )
    assert right.is_correct and right.progress.finished
    skipped = await service.skip_problem(
        db, student.student_id, sid, problem_id=second, now=T0 + timedelta(minutes=3)
    )
    assert skipped.progress.skipped and skipped.progress.finished and not skipped.session_completed
    for pid in rest[:-1]:
        for _ in range(3):
            await service.submit_answer(
                db, student.student_id, sid, "0", problem_id=pid, now=T0 + timedelta(minutes=4)
            )
    last = await service.submit_answer(
        db, student.student_id, sid, answers[rest[-1]], now=T0 + timedelta(minutes=10)
    )
    assert last.session_completed
    session = last.view.session
    assert session.problems_correct == 2
    assert session.completed_at == T0 + timedelta(minutes=10)
    assert session.total_time_seconds == 600
    assert last.streak is not None and last.streak.current == 1
    rows = (
        (await db.execute(select(Response).where(Response.session_id == sid).order_by(Response.response_id)))
        .scalars()
        .all()
    )
    assert len(rows) == 1 + 1 + 1 + 2 * 3 + 1
    assert rows[0].time_spent_seconds == 60 and rows[1].time_spent_seconds == 60
    assert rows[2].student_answer == "" and rows[2].is_correct is False
    with pytest.raises(SessionClosed):
        await service.submit_answer(db, student.student_id, sid, "1", now=T0 + timedelta(minutes=11))


async def test_non_answers_are_not_recorded(db: DarsSession) -> None:
    await _library(db)
    student = await make_student(db)
    view = await service.start_daily_session(db, student.student_id, now=T0)
    for text in ("hint", "জানি না", "", "hello"):
        outcome = await service.submit_answer(db, student.student_id, view.session.session_id, text, now=T0)
        assert not outcome.recorded and outcome.check.verdict == "not_an_answer"
    count = (await db.execute(select(func.count()).select_from(Response))).scalar_one()
    assert count == 0


async def test_expired_session_refuses_answers_naming_expiry(db: DarsSession) -> None:
    answers = await _library(db)
    student = await make_student(db)
    view = await service.start_daily_session(db, student.student_id, now=T0)
    pid = view.session.problem_ids[0]
    with pytest.raises(SessionExpired) as caught:
        await service.submit_answer(
            db, student.student_id, view.session.session_id, answers[pid], now=T0 + timedelta(minutes=30)
        )
    assert caught.value.expires_at == T0 + timedelta(minutes=30)
    assert "2026-03-01T04:30:00+00:00" in caught.value.message


async def test_other_students_session_is_not_found(db: DarsSession) -> None:
    await _library(db)
    owner = await make_student(db)
    other = await make_student(db)
    view = await service.start_daily_session(db, owner.student_id, now=T0)
    with pytest.raises(SessionNotFound):
        await service.submit_answer(db, other.student_id, view.session.session_id, "20", now=T0)
    with pytest.raises(SessionNotFound):
        await service.get_session_view(db, other.student_id, view.session.session_id)


async def test_answer_to_wrong_problem_is_refused(db: DarsSession) -> None:
    await _library(db)
    student = await make_student(db)
    view = await service.start_daily_session(db, student.student_id, now=T0)
    with pytest.raises(ProblemNotCurrent):
        await service.submit_answer(
            db,
            student.student_id,
            view.session.session_id,
            "20",
            problem_id=view.session.problem_ids[1],
            now=T0,
        )


async def test_hint_ladder_recorded_on_the_response(db: DarsSession) -> None:
    answers = await _library(db)
    student = await make_student(db)
    view = await service.start_daily_session(db, student.student_id, now=T0)
    sid, pid = view.session.session_id, view.session.problem_ids[0]
    numbers = [
        (await service.next_hint(db, student.student_id, sid, now=T0)).hint.hint_number for _ in range(3)
    ]
    assert numbers == [1, 2, 3]
    with pytest.raises(NoHintsLeft):
        await service.next_hint(db, student.student_id, sid, now=T0)
    await service.submit_answer(db, student.student_id, sid, answers[pid], now=T0 + timedelta(minutes=1))
    response = (await db.execute(select(Response).where(Response.session_id == sid))).scalar_one()
    assert response.hints_used == 3
    assert response.hints_viewed == [{"hint_number": n, "is_ai_generated": False} for n in (1, 2, 3)]
    second_hint = await service.next_hint(db, student.student_id, sid, now=T0 + timedelta(minutes=2))
    assert second_hint.hint.problem_id == view.session.problem_ids[1] and second_hint.hint.hint_number == 1


async def test_completed_today_is_returned_and_next_dhaka_day_is_new(db: DarsSession) -> None:
    answers = await _library(db)
    student = await make_student(db)
    view = await service.start_daily_session(db, student.student_id, now=T0)
    await _finish(db, student.student_id, view, answers, T0 + timedelta(minutes=5))
    same_day = await service.start_daily_session(
        db, student.student_id, now=T0 + timedelta(hours=13, minutes=59)
    )
    assert same_day.session.session_id == view.session.session_id
    assert same_day.session.status == SessionStatus.COMPLETED
    next_day = await service.start_daily_session(
        db, student.student_id, now=T0 + timedelta(hours=14)
    )  # 18:00 UTC
    assert next_day.session.session_id != view.session.session_id


async def test_of_two_sessions_made_in_one_transaction_the_later_is_the_latest(db: DarsSession) -> None:
    # Both rows get the transaction's created_at: the later session (the higher id) is the latest.
    answers = await _library(db)
    student = await make_student(db)
    first = await service.start_daily_session(db, student.student_id, now=T0)
    await _finish(db, student.student_id, first, answers, T0 + timedelta(minutes=5))
    second = await service.start_daily_session(db, student.student_id, now=T0 + timedelta(days=1))
    await _finish(db, student.student_id, second, answers, T0 + timedelta(days=1, minutes=5))
    for _ in range(20):  # the order of equal created_at values is the plan's to choose: ask more than once
        again = await service.start_daily_session(
            db, student.student_id, now=T0 + timedelta(days=1, hours=13, minutes=59)
        )
        assert again.session.session_id == second.session.session_id


async def test_the_next_day_avoids_the_problems_just_solved(db: DarsSession) -> None:
    answers = await _library(db, count=12)
    student = await make_student(db)
    first = await service.start_daily_session(db, student.student_id, now=T0)
    await _finish(db, student.student_id, first, answers, T0 + timedelta(minutes=5))
    solved = {item.problem.problem_id for item in first.problems}
    next_day = await service.start_daily_session(db, student.student_id, now=T0 + timedelta(days=1))
    chosen = {item.problem.problem_id for item in next_day.problems}
    assert len(chosen) == 5 and not chosen & solved  # 12 problems: 7 unsolved ones to choose from


async def _streak_until_28_february(db: DarsSession, student_id: int, days: int) -> None:
    """A streak of `days` days whose last practice was on 28 February (the day before T0)."""
    db.add(
        Streak(
            student_id=student_id,
            current_streak=days,
            longest_streak=days,
            last_practice_date=datetime(2026, 2, 28).date(),
        )
    )
    await db.flush()


async def test_streak_across_dhaka_midnight_and_milestone(db: DarsSession) -> None:
    answers = await _library(db, count=40)
    student = await make_student(db)
    await _streak_until_28_february(db, student.student_id, 5)
    # 23:50 Dhaka on 1 March, then 00:10 Dhaka on 2 March: consecutive local days 20 minutes apart.
    late = datetime(2026, 3, 1, 17, 50, tzinfo=UTC)
    view = await service.start_daily_session(db, student.student_id, now=late)
    outcome = await _finish(db, student.student_id, view, answers, late + timedelta(minutes=5))
    assert outcome.streak is not None and outcome.streak.current == 6
    early = datetime(2026, 3, 1, 18, 10, tzinfo=UTC)
    view2 = await service.start_daily_session(db, student.student_id, now=early)
    outcome2 = await _finish(db, student.student_id, view2, answers, early + timedelta(minutes=5))
    assert outcome2.streak is not None
    assert (outcome2.streak.current, outcome2.streak.new_milestones) == (7, (7,))
    streak = await db.get(Streak, student.student_id)
    assert streak.milestones_achieved == [7] and streak.longest_streak == 7


async def test_yesterdays_open_session_keeps_the_streak_shown_after_midnight(db: DarsSession) -> None:
    """At 00:05 on 2 March, mid-way through a session begun at 23:55 on 1 March, the streak up to 28
    February still stands (finishing will extend it); once that session has expired, it reads as broken."""
    await _library(db, count=40)
    student = await make_student(db)
    await _streak_until_28_february(db, student.student_id, 3)
    late = datetime(2026, 3, 1, 17, 55, tzinfo=UTC)  # 23:55 in Dhaka
    await service.start_daily_session(db, student.student_id, now=late)

    during = await streaks.get_streak(db, student.student_id, late + timedelta(minutes=10))
    expired = await streaks.get_streak(db, student.student_id, late + timedelta(minutes=30))

    assert (during.current, during.practised_today) == (3, False)
    assert expired.current == 0 and expired.longest == 3


async def test_a_session_finished_after_midnight_counts_for_the_day_it_began(db: DarsSession) -> None:
    """Begun at 23:55 in Dhaka on 1 March, finished at 00:05 on 2 March: it is 1 March's session. The
    streak goes on from 28 February (not broken by a 1 March with nothing), and 2 March's session is still
    to come."""
    answers = await _library(db, count=40)
    student = await make_student(db)
    await _streak_until_28_february(db, student.student_id, 3)
    late = datetime(2026, 3, 1, 17, 55, tzinfo=UTC)  # 23:55 in Dhaka
    view = await service.start_daily_session(db, student.student_id, now=late)
    outcome = await _finish(db, student.student_id, view, answers, late + timedelta(minutes=10))
    assert outcome.streak is not None and outcome.streak.current == 4
    streak = await db.get(Streak, student.student_id)
    assert streak is not None and streak.last_practice_date == datetime(2026, 3, 1).date()

    morning = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 08:00 on 2 March
    today = await service.start_daily_session(db, student.student_id, now=morning)
    assert today.session.session_id != view.session.session_id
    assert today.session.status == SessionStatus.IN_PROGRESS
    outcome = await _finish(db, student.student_id, today, answers, morning + timedelta(minutes=5))
    assert outcome.streak is not None and outcome.streak.current == 5


async def test_expire_sessions(db: DarsSession) -> None:
    await _library(db)
    a = await make_student(db)
    b = await make_student(db)
    old = await service.start_daily_session(db, a.student_id, now=T0)
    fresh = await service.start_daily_session(db, b.student_id, now=T0 + timedelta(minutes=20))
    assert await service.expire_sessions(db, now=T0 + timedelta(minutes=31)) == 1
    statuses = dict((await db.execute(select(PracticeSession.session_id, PracticeSession.status))).all())
    assert statuses[old.session.session_id] == SessionStatus.ABANDONED
    assert statuses[fresh.session.session_id] == SessionStatus.IN_PROGRESS


async def test_grade_without_problems_is_a_clear_error(db: DarsSession) -> None:
    from src.practice.errors import NoProblemsAvailable

    await _library(db, grade=7)
    student = await make_student(db, grade=6)
    with pytest.raises(NoProblemsAvailable, match="grade 6"):
        await service.start_daily_session(db, student.student_id, now=T0)
    assert (await db.execute(select(func.count()).select_from(PracticeSession))).scalar_one() == 0


async def test_expired_is_reported_the_same_before_and_after_the_expiry_job(db: DarsSession) -> None:
    await _library(db)
    student = await make_student(db)
    view = await service.start_daily_session(db, student.student_id, now=T0)
    late = T0 + timedelta(minutes=45)
    with pytest.raises(SessionExpired):
        await service.submit_answer(db, student.student_id, view.session.session_id, "1", now=late)
    assert await service.expire_sessions(db, now=late) == 1
    with pytest.raises(SessionExpired):
        await service.submit_answer(db, student.student_id, view.session.session_id, "1", now=late)
    with pytest.raises(SessionExpired):
        await service.next_hint(db, student.student_id, view.session.session_id, now=late)
