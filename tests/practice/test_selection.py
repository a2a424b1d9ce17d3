"""Problem choice: adaptive, never repeating, deterministic for a seed, graceful on a thin pool (pure)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from src.practice.selection import Candidate, Outcome, choose_problems, difficulty_plan

TOPICS = ["Fractions", "Decimals", "Ratio", "Percentage", "Integers"]
POOL = [Candidate(6000 + i, TOPICS[i % 5], 1 + (i // 5) % 3) for i in range(60)]


def test_five_distinct_problems() -> None:
    picks = choose_problems(POOL, [], frozenset(), seed=1)
    assert len(picks) == 5
    assert len({p.problem_id for p in picks}) == 5


def test_deterministic_for_a_seed() -> None:
    assert choose_problems(POOL, [], frozenset(), seed=7) == choose_problems(POOL, [], frozenset(), seed=7)
    runs = {tuple(p.problem_id for p in choose_problems(POOL, [], frozenset(), seed=s)) for s in range(20)}
    assert len(runs) > 1


def test_weak_topics_are_favoured() -> None:
    history = [Outcome("Fractions", False)] * 10 + [Outcome(t, True) for t in TOPICS[1:] for _ in range(10)]
    counts: Counter[str] = Counter()
    for seed in range(200):
        counts.update(p.topic for p in choose_problems(POOL, history, frozenset(), seed=seed))
    assert counts["Fractions"] > 1.5 * max(counts[t] for t in TOPICS[1:])
    reasons = [p.reason for seed in range(20) for p in choose_problems(POOL, history, frozenset(), seed=seed)]
    assert any(r.startswith("Fractions: recent accuracy 0%; difficulty target") for r in reasons)


def test_recently_correct_avoided() -> None:
    solved = frozenset(c.problem_id for c in POOL[:50])
    for seed in range(30):
        picks = choose_problems(POOL, [], solved, seed=seed)
        assert not {p.problem_id for p in picks} & solved


def test_thin_pool_degrades_gracefully() -> None:
    solved = frozenset(c.problem_id for c in POOL[:58])  # only 2 fresh problems left
    fresh = {c.problem_id for c in POOL[58:]}
    for seed in range(30):
        picks = choose_problems(POOL, [], solved, seed=seed)
        assert len(picks) == 5 and len({p.problem_id for p in picks}) == 5
        assert fresh <= {p.problem_id for p in picks}  # every fresh problem first, then solved ones
    tiny = POOL[:3]
    assert sorted(p.problem_id for p in choose_problems(tiny, [], frozenset(), seed=1)) == [6000, 6001, 6002]
    assert choose_problems([], [], frozenset(), seed=1) == []


def test_difficulty_follows_results() -> None:
    assert difficulty_plan([Outcome("x", False)] * 5) == [1, 1, 1, 2, 2]
    assert difficulty_plan([Outcome("x", True)] * 5) == [2, 2, 3, 3, 3]
    strong = [Outcome(t, True) for t in TOPICS for _ in range(5)]
    picks = choose_problems(POOL, strong, frozenset(), seed=5)
    assert sum(p.difficulty for p in picks) >= 12


def test_at_most_two_per_topic_while_others_remain() -> None:
    history = [Outcome("Fractions", False)] * 50
    for seed in range(50):
        counts = Counter(p.topic for p in choose_problems(POOL, history, frozenset(), seed=seed))
        assert max(counts.values()) <= 2


@given(
    size=st.integers(min_value=0, max_value=40),
    solved=st.sets(st.integers(min_value=6000, max_value=6059)),
    seed=st.integers(),
)
def test_never_repeats_and_never_short_without_cause(size: int, solved: set[int], seed: int) -> None:
    pool = POOL[:size]
    picks = choose_problems(pool, [], frozenset(solved), seed=seed)
    ids = [p.problem_id for p in picks]
    assert len(ids) == len(set(ids)) == min(5, size)
    assert set(ids) <= {c.problem_id for c in pool}
