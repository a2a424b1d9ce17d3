"""Streak updates on session completion, and reading a student's streak."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from src.config import get_settings
from src.models import Streak
from src.streaks.days import StreakUpdate, advance, local_day


@dataclass(frozen=True)
class StreakState:
    current: int
    longest: int
    last_practice_date: date | None
    milestones: tuple[int, ...]
    practised_today: bool


async def _locked_streak(db: AsyncSession, student_id: int) -> Streak:
    # Create the row if missing without racing a concurrent creator, then lock it for the update.
    await db.execute(insert(Streak).values(student_id=student_id).on_conflict_do_nothing())
    streak = (
        await db.execute(
            select(Streak)
            .where(Streak.student_id == student_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one()
    return streak


async def record_practice(db: AsyncSession, student_id: int, when: datetime) -> StreakUpdate:
    """Move the streak for a session completed at `when`; returns the update with new milestones."""
    streak = await _locked_streak(db, student_id)
    today = local_day(when, get_settings().timezone)
    update = advance(
        streak.current_streak,
        streak.longest_streak,
        streak.last_practice_date,
        tuple(streak.milestones_achieved),
        today,
    )
    streak.current_streak = update.current
    streak.longest_streak = update.longest
    streak.last_practice_date = update.last_practice_date
    for milestone in update.new_milestones:
        streak.add_milestone(milestone)
    await db.flush()
    return update


async def get_streak(db: AsyncSession, student_id: int, now: datetime) -> StreakState:
    """The streak as a student should see it: broken streaks read as 0 once a whole day was missed."""
    streak = await db.get(Streak, student_id)
    if streak is None:
        return StreakState(0, 0, None, (), False)
    today = local_day(now, get_settings().timezone)
    last = streak.last_practice_date
    alive = last is not None and (today - last).days <= 1
    return StreakState(
        current=streak.current_streak if alive else 0,
        longest=streak.longest_streak,
        last_practice_date=last,
        milestones=tuple(streak.milestones_achieved),
        practised_today=last == today,
    )
