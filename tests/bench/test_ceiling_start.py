"""The asyncpg ceiling's processes start measuring together; one that fails is reported, not waited for."""

from __future__ import annotations

from threading import BrokenBarrierError

import pytest

from bench.practice_bench import first_cause, raw_ceiling


def test_the_failing_process_is_reported_before_those_left_at_the_barrier() -> None:
    cause = LookupError("no student")
    assert first_cause([BrokenBarrierError(), cause, BrokenBarrierError()]) is cause
    only_waiting = BrokenBarrierError()
    assert first_cause([only_waiting]) is only_waiting


def test_a_process_failing_its_warm_up_stops_the_others_waiting(database_url: str) -> None:
    # Two processes for one student in flight: the second gets a pool of no connections, which asyncpg
    # refuses; the first, warm at once (nothing to warm up), waits at the start barrier until the second
    # gives up on it, and the second's error is the one raised.
    with pytest.raises(ValueError, match="max_size"):
        raw_ceiling(database_url, [], [], {}, concurrency=1, processes=2)
