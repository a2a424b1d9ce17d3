"""Choosing a session's problems (pure): adaptive, explainable, deterministic for a seed.

Two policies live here. `choose_by_mastery` (below, the one sessions use) plans by each skill's mastery
estimate (src/practice/mastery.py). `choose_problems` is the policy Dars used before it, kept as the
learning benchmark's baseline (bench/learning_sim.py). The baseline's rules, in order of strength:
1. never the same problem twice in a session;
2. avoid problems answered correctly in the last 14 days (relaxed only when the pool runs thin);
3. favour topics where recent accuracy is low (weight 1 + 2 x error rate; unseen topics 1.5, to explore);
   at most two problems of one topic while other topics remain;
4. difficulty follows recent results: mostly easy below 50% accuracy, mostly hard from 80%.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from src.practice.mastery import NEARLY, SkillMastery
from src.practice.skills import skill_of, syllabus_key

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


# --- the mastery policy ----------------------------------------------------------------------------------
#
# A session goes, in order of strength:
# 1. never to a problem the student failed in the last few days (the caller's `recently_failed`: they read
#    its hints and its answer then; it would test memory, not skill), never the same problem twice;
# 2. to skills not yet mastered, one problem each: first the grade's skills never practised (a placement
#    sweep: what the student knows already is found in the first days, and a student, stuck or not, meets a
#    new topic every day while the grade has one left), then those being learnt (one star), then the nearly
#    mastered (two); syllabus order within each (src/practice/skills.py), difficulty from each skill's own
#    mastery;
# 3. one problem to review a mastered skill when it is due: when its estimate, decayed by forgetting, falls
#    below REVIEW_DUE (or after MAX_REVIEW_GAP_DAYS). Forgetting slows with every passed review
#    (src/practice/mastery.py), so the intervals expand: with the default parameters a skill mastered at
#    P = 0.97 is due about 6 days later, then 13, 20 and 26 days after each passed review, at most 30
#    (Leitner's and Pimsleur's expanding schedules; Cepeda et al. 2008: the best gap grows with how long
#    it must be kept), before it falls to the review floor where it counts as unmastered again;
# 4. within a skill: a problem never seen before, then one not solved recently, nearest the target
#    difficulty. When every skill of the grade is mastered, the session reviews the weakest ones.

REVIEW_DUE = 0.85
DIFFICULT_FROM = 0.7
MAX_REVIEW_GAP_DAYS = 30
MAX_REVIEWS = 1
PER_SKILL = 1


@dataclass(frozen=True)
class Slot:
    skill: str
    target: int
    why: str  # the reason, without the difficulty


def difficulty_for(mastery: SkillMastery | None) -> int:
    if mastery is None or mastery.attempts == 0 or mastery.p_known < 0.4:
        return 1
    return 2 if mastery.p_known < DIFFICULT_FROM else 3


def _days(later: date, earlier: date | None) -> int:
    return 0 if earlier is None else (later - earlier).days


def _is_due(mastery: SkillMastery, today: date) -> bool:
    return mastery.p_known < REVIEW_DUE or _days(today, mastery.last_day) >= MAX_REVIEW_GAP_DAYS


def plan_slots(
    skills: Sequence[str], mastery: Mapping[str, SkillMastery], today: date, size: int = SESSION_SIZE
) -> list[Slot]:
    """Which skill each of the session's problems practises, and why; `skills` in syllabus order."""
    known = {s: m for s, m in mastery.items() if m.attempts}
    unmastered = [s for s in skills if s not in known or not known[s].mastered]
    mastered = [s for s in skills if s in known and known[s].mastered]
    slots: list[Slot] = []
    if not unmastered:
        # Everything mastered: keep it, weakest first.
        weakest = sorted(mastered, key=lambda s: (known[s].p_known, syllabus_key(s)))
        for skill in (weakest * MAX_PER_TOPIC)[:size]:
            slots.append(Slot(skill, difficulty_for(known[skill]), _review_why(known[skill], today)))
        return slots

    due = sorted((s for s in mastered if _is_due(known[s], today)), key=lambda s: known[s].p_known)
    reviews = [Slot(s, 3, _review_why(known[s], today)) for s in due[:MAX_REVIEWS]]
    learning = size - len(reviews)

    # Unseen skills first (a placement sweep finds what the student knows already), then those being learnt
    # (one star), then the nearly mastered (two): syllabus order within each, as `skills` comes.
    order = sorted(unmastered, key=lambda s: 0 if s not in known else 1 if known[s].p_known < NEARLY else 2)
    for skill in order:
        for _ in range(PER_SKILL):
            if len(slots) < learning:
                rank = unmastered.index(skill)
                slots.append(Slot(skill, difficulty_for(known.get(skill)), _learn_why(skill, known, rank)))
    return slots + reviews


def _learn_why(skill: str, known: Mapping[str, SkillMastery], rank: int) -> str:
    if skill not in known:
        return f"{skill}: new topic, next in the syllabus"
    where = "next in the syllabus" if rank == 0 else "still to master"
    return f"{skill}: mastery {known[skill].p_known:.0%}, {where}"


def _review_why(mastery: SkillMastery, today: date) -> str:
    return (
        f"{mastery.skill}: review, mastered, last practised {_days(today, mastery.last_day)} days ago "
        f"(now {mastery.p_known:.0%})"
    )


def choose_by_mastery(
    candidates: Sequence[Candidate],
    mastery: Mapping[str, SkillMastery],
    today: date,
    *,
    recently_failed: frozenset[int],
    recently_correct: frozenset[int],
    seen: frozenset[int],
    seed: int,
    size: int = SESSION_SIZE,
) -> list[Pick]:
    """Up to `size` distinct problems planned by mastery (the rules above); fewer only when the grade has
    fewer problems, failed ones of the last days left out, than that."""
    rng = random.Random(seed)
    by_skill: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in sorted(candidates, key=lambda c: c.problem_id):
        if candidate.problem_id not in recently_failed:
            by_skill[skill_of(candidate)].append(candidate)
    skills = sorted(by_skill, key=syllabus_key)
    picks: list[Pick] = []
    used: set[int] = set()
    short = 0
    for slot in plan_slots(skills, mastery, today, size):
        choice = _best_in(by_skill[slot.skill], used, slot.target, recently_correct, seen, rng)
        if choice is None:
            short += 1
            continue
        used.add(choice.problem_id)
        picks.append(Pick(choice.problem_id, choice.topic, choice.difficulty, _with_target(slot)))
    # A skill ran out of problems (or the grade has few skills): fill from the others, in plan order.
    fallback = [s for s in skills if not mastery.get(s) or not mastery[s].mastered] + [
        s for s in skills if mastery.get(s) and mastery[s].mastered
    ]
    per_skill = Counter(p.topic for p in picks)
    for cap in (MAX_PER_TOPIC, size):
        for skill in fallback:
            while (short > 0 or len(picks) < size) and per_skill[skill] < cap:
                target = difficulty_for(mastery.get(skill))
                choice = _best_in(by_skill[skill], used, target, recently_correct, seen, rng)
                if choice is None:
                    break
                used.add(choice.problem_id)
                per_skill[skill] += 1
                short = max(0, short - 1)
                slot = Slot(skill, target, f"{skill}: more practice")
                picks.append(Pick(choice.problem_id, choice.topic, choice.difficulty, _with_target(slot)))
    return picks[:size]


def _with_target(slot: Slot) -> str:
    return f"{slot.why}; difficulty target {slot.target}"


def _best_in(
    pool: Sequence[Candidate],
    used: set[int],
    target: int,
    recently_correct: frozenset[int],
    seen: frozenset[int],
    rng: random.Random,
) -> Candidate | None:
    """A problem of `pool`: never seen, else not solved lately, else any; nearest `target` difficulty."""
    remaining = [c for c in pool if c.problem_id not in used]
    for tier in (
        [c for c in remaining if c.problem_id not in seen],
        [c for c in remaining if c.problem_id not in recently_correct],
        remaining,
    ):
        if tier:
            nearest = min(abs(c.difficulty - target) for c in tier)
            return rng.choice([c for c in tier if abs(c.difficulty - target) == nearest])
    return None


def tomorrow_skills(skills: Sequence[str], mastery: Mapping[str, SkillMastery], tomorrow: date) -> list[str]:
    """The skills tomorrow's session is planned to practise, in session order, each once."""
    ordered = sorted(skills, key=syllabus_key)
    return list(dict.fromkeys(slot.skill for slot in plan_slots(ordered, mastery, tomorrow)))
