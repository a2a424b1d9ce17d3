"""Streak updates on session completion, and reading a student's streak."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from src.config import get_settings
from src.driver import adopt_row, driver, mark_saved, select_list
from src.models import Session as PracticeSession
from src.models import SessionStatus, Streak
from src.streaks.days import StreakUpdate, advance, local_day, local_day_start


@dataclass(frozen=True)
class StreakState:
    current: int
    longest: int
    last_practice_date: date | None
    milestones: tuple[int, ...]
    practised_today: bool


# Create the row if missing without racing a concurrent creator, then lock it for the update. Sent on the
# session's asyncpg connection (src/driver.py): every completed session runs them.
_CREATE = "INSERT INTO streaks (student_id) VALUES ($1) ON CONFLICT DO NOTHING"
_LOCK = f"SELECT {select_list(Streak, 's')} FROM streaks AS s WHERE s.student_id = $1 FOR UPDATE"
_SAVE = """
UPDATE streaks
SET current_streak = $2, longest_streak = $3, last_practice_date = $4, milestones_achieved = $5::jsonb
WHERE student_id = $1 RETURNING updated_at"""


async def _locked_streak(db: AsyncSession, student_id: int) -> Streak:
    connection = await driver(db)
    await connection.execute(_CREATE, student_id)
    row = await connection.fetchrow(_LOCK, student_id)
    assert row is not None  # created above, and a streak is only deleted with its student
    return adopt_row(db, Streak, row)


async def record_practice(db: AsyncSession, student_id: int, started: datetime) -> StreakUpdate:
    """Move the streak for a completed session that began at `started`: it counts on the local day it
    began, even if finished after midnight. Returns the update with new milestones."""
    streak = await _locked_streak(db, student_id)
    today = local_day(started, get_settings().timezone)
    update = advance(
        streak.current_streak,
        streak.longest_streak,
        streak.last_practice_date,
        tuple(streak.milestones_achieved),
        today,
    )
    milestones = sorted({*streak.milestones_achieved, *update.new_milestones})
    updated_at = await (await driver(db)).fetchval(
        _SAVE, student_id, update.current, update.longest, update.last_practice_date, json.dumps(milestones)
    )
    saved = {
        "current_streak": update.current,
        "longest_streak": update.longest,
        "last_practice_date": update.last_practice_date,
        "milestones_achieved": milestones,
        "updated_at": updated_at,
    }
    mark_saved(streak, saved)
    return update


async def _session_open_from(
    db: AsyncSession, student_id: int, day: date, zone: ZoneInfo, now: datetime
) -> bool:
    """Whether the student has a session begun on the local `day` that can still be finished at `now`."""
    found = await db.scalar(
        select(PracticeSession.session_id)
        .where(
            PracticeSession.student_id == student_id,
            PracticeSession.status == SessionStatus.IN_PROGRESS,
            PracticeSession.date >= local_day_start(day, zone),
            PracticeSession.date < local_day_start(day + timedelta(days=1), zone),
            PracticeSession.expires_at > now,
        )
        .limit(1)
    )
    return found is not None


async def get_streak(db: AsyncSession, student_id: int, now: datetime) -> StreakState:
    """The streak as a student should see it: broken streaks read as 0 once a whole day was missed."""
    streak = await db.get(Streak, student_id)
    if streak is None:
        return StreakState(0, 0, None, (), False)
    zone = get_settings().timezone
    today = local_day(now, zone)
    last = streak.last_practice_date
    alive = last is not None and (
        (today - last).days <= 1
        # Just after midnight, yesterday's session may still be open: finishing it keeps the streak going.
        or (
            (today - last).days == 2
            and await _session_open_from(db, student_id, today - timedelta(days=1), zone, now)
        )
    )
    return StreakState(
        current=streak.current_streak if alive else 0,
        longest=streak.longest_streak,
        last_practice_date=last,
        milestones=tuple(streak.milestones_achieved),
        practised_today=last == today,
    )
