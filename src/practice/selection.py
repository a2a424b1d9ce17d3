"""Choosing a session's problems (pure): adaptive, explainable, deterministic for a seed.

Rules, in order of strength:
1. never the same problem twice in a session;
2. avoid problems answered correctly in the last 14 days (relaxed only when the pool runs thin);
3. favour topics where recent accuracy is low (weight 1 + 2 x error rate; unseen topics 1.5, to explore);
   at most two problems of one topic while other topics remain;
4. difficulty follows recent results: mostly easy below 50% accuracy, mostly hard from 80%.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

SESSION_SIZE = 5
UNSEEN_TOPIC_WEIGHT = 1.5
MAX_PER_TOPIC = 2


@dataclass(frozen=True)
class Candidate:
    problem_id: int
    topic: str
    difficulty: int


@dataclass(frozen=True)
class Outcome:
    """One recent answer: which topic, and whether it was right."""

    topic: str
    is_correct: bool


@dataclass(frozen=True)
class Pick:
    problem_id: int
    topic: str
    difficulty: int
    reason: str


def topic_accuracy(history: Sequence[Outcome]) -> dict[str, float]:
    totals: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    for outcome in history:
        totals[outcome.topic] += 1
        correct[outcome.topic] += outcome.is_correct
    return {topic: correct[topic] / totals[topic] for topic in totals}


def difficulty_plan(history: Sequence[Outcome]) -> list[int]:
    """Target difficulties for the five slots, from overall recent accuracy."""
    if not history:
        return [1, 1, 2, 2, 3]
    accuracy = sum(o.is_correct for o in history) / len(history)
    if accuracy < 0.5:
        return [1, 1, 1, 2, 2]
    if accuracy >= 0.8:
        return [2, 2, 3, 3, 3]
    return [1, 2, 2, 2, 3]


def choose_problems(
    candidates: Sequence[Candidate],
    history: Sequence[Outcome],
    recently_correct: frozenset[int],
    seed: int,
    size: int = SESSION_SIZE,
) -> list[Pick]:
    """Up to `size` distinct problems; fewer only when the grade has fewer problems than that."""
    rng = random.Random(seed)
    accuracy = topic_accuracy(history)
    plan = difficulty_plan(history)[:size]
    fresh = [c for c in candidates if c.problem_id not in recently_correct]
    picks = _pick(fresh, plan, accuracy, rng, Counter())
    if len(picks) < len(plan):
        # Thin pool: every fresh problem is taken; fill up with recently solved ones, not a short session.
        solved = [c for c in candidates if c.problem_id in recently_correct]
        picks += _pick(solved, plan[len(picks) :], accuracy, rng, Counter(p.topic for p in picks))
    return picks


def _pick(
    pool: Sequence[Candidate],
    plan: Sequence[int],
    accuracy: dict[str, float],
    rng: random.Random,
    per_topic: Counter[str],
) -> list[Pick]:
    """One problem per difficulty target of `plan`, from `pool`, while it lasts."""
    by_topic: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in sorted(pool, key=lambda c: c.problem_id):
        by_topic[candidate.topic].append(candidate)

    picks: list[Pick] = []
    used: set[int] = set()
    for target in plan:
        topics = [t for t in sorted(by_topic) if any(c.problem_id not in used for c in by_topic[t])]
        if not topics:
            break
        open_topics = [t for t in topics if per_topic[t] < MAX_PER_TOPIC] or topics
        weights = [_topic_weight(accuracy.get(t)) for t in open_topics]
        topic = rng.choices(open_topics, weights=weights, k=1)[0]
        remaining = [c for c in by_topic[topic] if c.problem_id not in used]
        nearest = min(abs(c.difficulty - target) for c in remaining)
        choice = rng.choice([c for c in remaining if abs(c.difficulty - target) == nearest])
        used.add(choice.problem_id)
        per_topic[topic] += 1
        picks.append(
            Pick(choice.problem_id, topic, choice.difficulty, _reason(topic, accuracy.get(topic), target))
        )
    return picks


def _topic_weight(accuracy: float | None) -> float:
    return UNSEEN_TOPIC_WEIGHT if accuracy is None else 1.0 + 2.0 * (1.0 - accuracy)


def _reason(topic: str, accuracy: float | None, target: int) -> str:
    seen = "new topic" if accuracy is None else f"recent accuracy {accuracy:.0%}"
    return f"{topic}: {seen}; difficulty target {target}"
