"""Day arithmetic for streaks (pure): a student's day is a calendar day in the configured zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from src.models.streak import MILESTONES


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    """The calendar day `moment` falls on in `zone` (Asia/Dhaka by default). `moment` must be aware."""
    if moment.tzinfo is None:
        raise ValueError("local_day needs an aware datetime (store and pass UTC)")
    return moment.astimezone(zone).date()


def local_day_start(day: date, zone: ZoneInfo) -> datetime:
    """The moment `day` begins in `zone` (its first instant, as an aware datetime)."""
    return datetime.combine(day, time.min, tzinfo=zone)


@dataclass(frozen=True)
class StreakUpdate:
    current: int
    longest: int
    last_practice_date: date
    new_milestones: tuple[int, ...]


def advance(
    current: int, longest: int, last_practice: date | None, achieved: tuple[int, ...], today: date
) -> StreakUpdate:
    """The streak after practising on `today`: same day unchanged, next day +1, a gap back to 1."""
    if last_practice is not None and today <= last_practice:
        # Same day (or a clock that went backwards): practising again changes nothing.
        return StreakUpdate(current, longest, last_practice, ())
    gap = None if last_practice is None else (today - last_practice).days
    new_current = current + 1 if gap == 1 and current > 0 else 1
    new_longest = max(longest, new_current)
    reached = tuple(m for m in MILESTONES if m <= new_current and m not in achieved)
    return StreakUpdate(new_current, new_longest, today, reached)
