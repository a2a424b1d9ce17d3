"""Streak day arithmetic across Dhaka midnight, gaps and milestones (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from src.streaks.days import advance, local_day

DHAKA = ZoneInfo("Asia/Dhaka")


def test_dhaka_midnight_is_18_utc() -> None:
    # 17:59 UTC is 23:59 in Dhaka (UTC+6); 18:00 UTC is already the next Dhaka day.
    assert local_day(datetime(2026, 3, 1, 17, 59, tzinfo=UTC), DHAKA) == date(2026, 3, 1)
    assert local_day(datetime(2026, 3, 1, 18, 0, tzinfo=UTC), DHAKA) == date(2026, 3, 2)


def test_naive_datetime_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        local_day(datetime(2026, 3, 1, 12, 0), DHAKA)


def test_first_practice_starts_at_one() -> None:
    update = advance(0, 0, None, (), date(2026, 3, 1))
    assert (update.current, update.longest, update.new_milestones) == (1, 1, ())


def test_same_day_unchanged() -> None:
    update = advance(3, 5, date(2026, 3, 1), (), date(2026, 3, 1))
    assert (update.current, update.longest, update.last_practice_date) == (3, 5, date(2026, 3, 1))


def test_next_day_adds_one_and_gap_resets() -> None:
    assert advance(3, 3, date(2026, 3, 1), (), date(2026, 3, 2)).current == 4
    gap = advance(9, 9, date(2026, 3, 1), (7,), date(2026, 3, 3))
    assert (gap.current, gap.longest) == (1, 9)


def test_milestone_reached_once() -> None:
    update = advance(6, 6, date(2026, 3, 6), (), date(2026, 3, 7))
    assert update.new_milestones == (7,)
    again = advance(7, 7, date(2026, 3, 7), (7,), date(2026, 3, 8))
    assert again.new_milestones == ()


def test_milestone_again_after_reset_is_not_new() -> None:
    # A student who reached 7 before, broke the streak and reached 7 again is not re-awarded.
    update = advance(6, 12, date(2026, 5, 6), (7,), date(2026, 5, 7))
    assert (update.current, update.new_milestones) == (7, ())


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    steps=st.lists(st.integers(min_value=0, max_value=3), max_size=60),
)
def test_invariants_hold_for_any_practice_pattern(start: date, steps: list[int]) -> None:
    current, longest, last, achieved = 0, 0, None, ()
    day = start
    for step in steps:
        day = day + timedelta(days=step)
        update = advance(current, longest, last, achieved, day)
        assert update.longest >= update.current >= 1
        assert set(update.new_milestones).isdisjoint(achieved)
        current, longest, last = update.current, update.longest, update.last_practice_date
        achieved = tuple(sorted((*achieved, *update.new_milestones)))
    assert all(m <= longest for m in achieved)
