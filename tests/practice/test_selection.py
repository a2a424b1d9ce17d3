"""Problem choice: adaptive, never repeating, deterministic for a seed, graceful on a thin pool (pure)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from src.practice.mastery import SkillMastery
from src.practice.selection import (
    Candidate,
    Outcome,
    Pick,
    choose_by_mastery,
    choose_problems,
    difficulty_plan,
    tomorrow_skills,
)

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


# --- the mastery policy ----------------------------------------------------------------------------------

SYLLABUS = ["Natural Numbers", "Fractions", "Decimals", "Ratio", "Percentage", "Integers"]  # syllabus order
GRADE = [Candidate(7000 + i, SYLLABUS[i % 6], 1 + (i // 6) % 3) for i in range(72)]
TODAY = date(2026, 3, 10)


def known(
    skill: str,
    p: float,
    *,
    mastered: bool = False,
    days_ago: int = 1,
    practice_days: int = 1,
    first_days_ago: int = 10,
) -> SkillMastery:
    return SkillMastery(
        skill=skill,
        p_known=p,
        attempts=6,
        mastered=mastered,
        reviews=0,
        last_day=TODAY - timedelta(days=days_ago),
        first_day=TODAY - timedelta(days=first_days_ago),
        practice_days=practice_days,
    )


def mastery_picks(mastery: dict[str, SkillMastery], seed: int = 1, **sets: frozenset[int]) -> list[Pick]:
    return choose_by_mastery(
        GRADE,
        mastery,
        TODAY,
        recently_failed=sets.get("failed", frozenset()),
        recently_correct=sets.get("correct", frozenset()),
        seen=sets.get("seen", frozenset()),
        seed=seed,
    )


def test_a_new_student_starts_at_the_beginning_of_the_syllabus_with_easy_problems() -> None:
    picks = mastery_picks({})
    assert [p.topic for p in picks] == SYLLABUS[:5]  # a placement sweep: one problem of each
    assert all(p.difficulty == 1 for p in picks)
    assert picks[0].reason == "Natural Numbers: new topic, next in the syllabus; difficulty target 1"
    assert len({p.problem_id for p in picks}) == 5


def test_mastered_skills_are_left_and_difficulty_follows_each_skills_own_mastery() -> None:
    mastery = {
        "Natural Numbers": known("Natural Numbers", 0.98, mastered=True),
        "Fractions": known("Fractions", 0.2),
        "Decimals": known("Decimals", 0.8),
    }
    picks = mastery_picks(mastery)
    topics = Counter(p.topic for p in picks)
    assert "Natural Numbers" not in topics  # mastered and not due for review
    # Unseen topics first, then the one being learnt, then the nearly mastered: one problem each.
    assert [p.topic for p in picks] == ["Ratio", "Percentage", "Integers", "Fractions", "Decimals"]
    assert {p.difficulty for p in picks if p.topic == "Fractions"} == {1}
    assert {p.difficulty for p in picks if p.topic == "Decimals"} == {3}
    assert any(p.reason == "Fractions: mastery 20%, next in the syllabus; difficulty target 1" for p in picks)


def test_a_mastered_skill_is_reviewed_once_when_its_estimate_has_decayed() -> None:
    mastery = {
        "Natural Numbers": known("Natural Numbers", 0.8, mastered=True, days_ago=9),
        "Fractions": known("Fractions", 0.97, mastered=True, days_ago=1),
    }
    picks = mastery_picks(mastery)
    reviews = [p for p in picks if "review" in p.reason]
    assert [p.topic for p in reviews] == ["Natural Numbers"] and picks[-1] is reviews[0]
    assert reviews[0].reason == (
        "Natural Numbers: review, mastered, last practised 9 days ago (now 80%); difficulty target 3"
    )
    assert "Fractions" not in {p.topic for p in picks}
    assert [p.topic for p in picks[:-1]] == ["Decimals", "Ratio", "Percentage", "Integers"]


def test_everything_mastered_reviews_the_weakest() -> None:
    mastery = {s: known(s, 0.99 - 0.01 * i, mastered=True) for i, s in enumerate(SYLLABUS)}
    picks = mastery_picks(mastery)
    assert [p.topic for p in picks] == ["Integers", "Percentage", "Ratio", "Decimals", "Fractions"]


def test_never_a_problem_failed_in_the_last_days_even_when_its_skill_is_planned() -> None:
    failed = frozenset(c.problem_id for c in GRADE if c.topic == "Natural Numbers")
    for seed in range(20):
        picks = mastery_picks({}, seed=seed, failed=failed)
        assert len(picks) == 5 and not {p.problem_id for p in picks} & failed


def test_unseen_problems_first_then_ones_not_solved_lately() -> None:
    fractions = [c.problem_id for c in GRADE if c.topic == "Natural Numbers" and c.difficulty == 1]
    seen = frozenset(fractions[:-1])
    for seed in range(10):
        picks = [p for p in mastery_picks({}, seed=seed, seen=seen) if p.topic == "Natural Numbers"]
        assert fractions[-1] in {p.problem_id for p in picks}


def test_a_new_topic_every_day_while_the_grade_has_one_left() -> None:
    stuck = {
        "Natural Numbers": known("Natural Numbers", 0.3, practice_days=3, first_days_ago=5),
        "Fractions": known("Fractions", 0.25, practice_days=3, first_days_ago=4),
        "Decimals": known("Decimals", 0.2, practice_days=2, first_days_ago=2),
    }
    picks = mastery_picks(stuck)
    assert [p.topic for p in picks[:3]] == ["Ratio", "Percentage", "Integers"]  # unseen, in syllabus order
    assert picks[0].reason == "Ratio: new topic, next in the syllabus; difficulty target 1"
    assert [p.topic for p in picks[3:]] == ["Natural Numbers", "Fractions"]  # then the syllabus's first


def test_tomorrow_names_the_planned_skills_once_each_in_session_order() -> None:
    mastery = {"Natural Numbers": known("Natural Numbers", 0.98, mastered=True)}
    assert tomorrow_skills(SYLLABUS[::-1], mastery, TODAY) == SYLLABUS[1:]


@given(
    st.dictionaries(
        st.sampled_from(SYLLABUS),
        st.tuples(st.floats(0.0, 1.0), st.booleans(), st.integers(0, 40)),
    ),
    st.frozensets(st.sampled_from([c.problem_id for c in GRADE])),
    st.integers(0, 10_000),
)
def test_mastery_choice_is_always_five_distinct_never_failed(
    raw: dict[str, tuple[float, bool, int]], failed: frozenset[int], seed: int
) -> None:
    mastery = {s: known(s, p, mastered=m, days_ago=d) for s, (p, m, d) in raw.items()}
    picks = mastery_picks(mastery, seed=seed, failed=failed)
    assert len(picks) == 5 and len({p.problem_id for p in picks}) == 5
    assert not {p.problem_id for p in picks} & failed
    assert all(p.reason.endswith(f"difficulty target {p.reason[-1]}") for p in picks)
    assert picks == mastery_picks(mastery, seed=seed, failed=failed)
