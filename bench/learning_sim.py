"""Learning simulation: how fast do simulated students master their grade's topics under each policy?

Simulated students follow Bayesian Knowledge Tracing with forgetting (their own parameters per topic, drawn
from the ranges below), in three settings: slow, typical and fast learners. Each practises one session of
five problems a day for 60 days, then stops for 30 days. Every day's problems come from the REAL library
(src/content/problems) through the REAL selection code path: the rows a session start reads from the
database (`candidates`, `recent`, `params`, built here exactly as `_choice_inputs` returns them) go to
`src.practice.service.choose_from` (the mastery policy Dars uses), to `src.practice.learning.choose_baseline`
(the policy before it, the baseline) or to a uniform random choice. The same students (same parameters, same
random draws per student) meet each policy.

    .venv/bin/python -m bench.learning_sim                    # 60 students per setting, about a minute
    .venv/bin/python -m bench.learning_sim --students 150     # the recorded run (bench/README.md)

A simulated student, per topic: known or not (P(known) at the start: `init`). A problem is one learning
opportunity: the first answer is right with 1 - slip when known, with guess when not (guess x1.3 on easy
problems, x0.6 on hard ones; slip x0.7 and x1.3); an unknown student reads a hint before answering 30% of
the time (guess + 0.25 then), a knowing one 5%; after the opportunity an unknown topic becomes known with
`learn`. A wrong first answer is retried up to three answers (the hints read: right with guess + 0.3 when
unknown), as Dars stores them. Each night a known topic is forgotten with forget / (1 + r), r the days it
was practised while known after a gap (the spacing effect).
Ranges (uniform per student and topic, SETTINGS below) are in the spirit of BKT fits on school maths
(Corbett & Anderson 1995; pyBKT and ASSISTments fits), taken lower than those of fine-grained skills since a
skill here is a whole topic; forgetting per day as in time-aware BKT (Qiu et al. 2011).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from src.config import get_settings
from src.content.library import read_library
from src.driver import Row
from src.practice import learning, service
from src.practice.selection import Pick
from src.streaks.days import local_day

DAYS = 60
RETENTION_DAYS = 30
SESSION = 5
START = datetime(2026, 1, 4, 11, 0, tzinfo=UTC)  # 17:00 in Dhaka
MASTERY_GOAL = 0.8


@dataclass(frozen=True)
class Setting:
    name: str
    init: tuple[float, float]
    learn: tuple[float, float]
    guess: tuple[float, float]
    slip: tuple[float, float]
    forget: float  # per day, before any spaced review


SETTINGS = (
    Setting("slow", (0.00, 0.20), (0.02, 0.06), (0.10, 0.30), (0.05, 0.15), 0.03),
    Setting("typical", (0.05, 0.30), (0.05, 0.12), (0.10, 0.30), (0.05, 0.15), 0.02),
    Setting("fast", (0.10, 0.40), (0.10, 0.25), (0.10, 0.30), (0.05, 0.15), 0.01),
)


@dataclass
class TopicTruth:
    learn: float
    guess: float
    slip: float
    known: bool
    reviews: int = 0
    last_day: int | None = None


@dataclass
class Student:
    student_id: int
    grade: int
    topics: dict[str, TopicTruth]
    rng: random.Random
    rows: list[list[Any]] = field(default_factory=list)
    problems_done: int = 0
    reached_goal_at: int | None = None
    on_known: int = 0  # problems on a known topic while some topic was unknown
    while_unknown: int = 0

    def known_share(self) -> float:
        return sum(t.known for t in self.topics.values()) / len(self.topics)


Candidates = dict[int, list[list[Any]]]


class Inputs:
    """The row a session start reads (`candidates`, `recent`, `params`), as the database returns it."""

    def __init__(self, **columns: list[list[Any]]) -> None:
        self.columns = columns

    def __getitem__(self, key: str | int, /) -> Any:
        return self.columns[str(key)]


Policy = Callable[[Row, datetime, int], list[Pick]]


def make_student(student_id: int, grade: int, topics: Sequence[str], setting: Setting, seed: int) -> Student:
    rng = random.Random(seed * 7919 + student_id)
    truths = {
        topic: TopicTruth(
            learn=rng.uniform(*setting.learn),
            guess=rng.uniform(*setting.guess),
            slip=rng.uniform(*setting.slip),
            known=rng.random() < rng.uniform(*setting.init),
        )
        for topic in topics
    }
    return Student(student_id, grade, truths, random.Random(seed * 104729 + student_id))


def answer(truth: TopicTruth, difficulty: int, rng: random.Random) -> tuple[bool, int]:
    """The first answer (right?) and the hints read before it."""
    guess = truth.guess * {1: 1.3, 2: 1.0, 3: 0.6}[difficulty]
    slip = truth.slip * {1: 0.7, 2: 1.0, 3: 1.3}[difficulty]
    if truth.known:
        hints = 1 if rng.random() < 0.05 else 0
        return rng.random() >= slip, hints
    if rng.random() < 0.3:
        return rng.random() < min(0.95, guess + 0.25), 1
    return rng.random() < guess, 0


def practise_day(student: Student, day: int, policy: Policy, candidates: Candidates) -> None:
    now = START + timedelta(days=day)
    inputs = Inputs(candidates=candidates[student.grade], recent=student.rows, params=[])
    seed = service.daily_seed(student.student_id, local_day(now, get_settings().timezone))
    picks = policy(inputs, now, seed)
    rng = student.rng
    for index, pick in enumerate(picks):
        truth = student.topics[pick.topic]
        if any(not t.known for t in student.topics.values()):
            student.while_unknown += 1
            student.on_known += truth.known
        at = now + timedelta(minutes=2 * index)
        correct, hints = answer(truth, pick.difficulty, rng)
        answers = 1
        solved = correct
        while not solved and answers < 3:
            answers += 1
            solved = rng.random() < ((1 - truth.slip) if truth.known else min(0.95, truth.guess + 0.3))
        last = at + timedelta(seconds=40 * (answers - 1))
        student.rows.append(
            [
                pick.problem_id,
                pick.topic,
                pick.difficulty,
                correct,
                at.timestamp(),
                hints,
                False,
                solved,
                answers,
                last.timestamp(),
            ]
        )
        if truth.known and truth.last_day is not None and truth.last_day < day:
            truth.reviews += 1  # practised while known, after a gap: spacing slows forgetting
        if not truth.known and rng.random() < truth.learn:
            truth.known = True
        truth.last_day = day
        student.problems_done += 1
        if student.reached_goal_at is None and student.known_share() >= MASTERY_GOAL:
            student.reached_goal_at = student.problems_done


def night(student: Student, setting: Setting) -> None:
    for truth in student.topics.values():
        if truth.known and student.rng.random() < setting.forget / (1 + truth.reviews):
            truth.known = False


def uniform(candidates: Candidates) -> Policy:
    def choose(inputs: Row, now: datetime, seed: int) -> list[Pick]:
        pool = inputs["candidates"]
        chosen = random.Random(seed).sample(pool, min(SESSION, len(pool)))
        return [Pick(problem_id, topic, difficulty, "random") for problem_id, topic, difficulty in chosen]

    return choose


@dataclass(frozen=True)
class Result:
    day30: float
    day60: float
    retained: float
    to_goal: float | None  # median problems to 80% mastered over all students (None: over half never did)
    to_goal_capped: float  # mean, a student who never got there counted at DAYS x SESSION (a lower bound)
    to_goal_reached: float | None  # mean among those who got there
    reached: float
    on_known: float
    seconds: float


def run(setting: Setting, policy: Policy, students: int, seed: int, candidates: Candidates) -> Result:
    started = time.perf_counter()
    day30: list[float] = []
    day60: list[float] = []
    retained: list[float] = []
    sims: list[Student] = []
    for n in range(students):
        grade = 6 + n % 3
        topics = sorted({row[1] for row in candidates[grade]})
        student = make_student(n + 1, grade, topics, setting, seed)
        for day in range(DAYS):
            practise_day(student, day, policy, candidates)
            night(student, setting)
            if day == 29:
                day30.append(student.known_share())
        day60.append(student.known_share())
        for _ in range(RETENTION_DAYS):
            night(student, setting)
        retained.append(student.known_share())
        sims.append(student)
    cap = DAYS * SESSION
    reached = [s.reached_goal_at for s in sims if s.reached_goal_at is not None]
    return Result(
        day30=statistics.fmean(day30),
        day60=statistics.fmean(day60),
        retained=statistics.fmean(retained),
        to_goal=_median_or_none([s.reached_goal_at for s in sims]),
        to_goal_capped=statistics.fmean(s.reached_goal_at or cap for s in sims),
        to_goal_reached=statistics.fmean(reached) if reached else None,
        reached=len(reached) / len(sims),
        on_known=sum(s.on_known for s in sims) / max(1, sum(s.while_unknown for s in sims)),
        seconds=time.perf_counter() - started,
    )


def _median_or_none(values: Sequence[int | None]) -> float | None:
    """The median with None as "never" (above every number); None when the median is "never"."""
    ordered = sorted(values, key=lambda v: (v is None, v or 0))
    n = len(ordered)
    middle = ordered[(n - 1) // 2], ordered[n // 2]
    if middle[0] is None or middle[1] is None:
        return None
    return (middle[0] + middle[1]) / 2


def library_candidates() -> Candidates:
    library = read_library()
    if library.faults:
        raise SystemExit("the problem library has faults: dars content validate")
    candidates: Candidates = {6: [], 7: [], 8: []}
    for problem in sorted(library.problems, key=lambda p: p.id):
        candidates[problem.grade].append([problem.id, problem.topic, problem.difficulty])
    return candidates


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--students", type=int, default=60, help="simulated students per setting")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--settings", nargs="*", default=[s.name for s in SETTINGS])
    args = parser.parse_args(argv)
    candidates = library_candidates()
    zone = get_settings().timezone
    policies: dict[str, Policy] = {
        "today (baseline)": learning.choose_baseline,
        "uniform random": uniform(candidates),
        "mastery": service.choose_from,
    }
    print(
        f"{args.students} students per setting (grades 6-8 in turn), {DAYS} days x {SESSION} problems, "
        f"then {RETENTION_DAYS} days without practice; day boundaries in {zone.key}"
    )
    header = (
        f"{'setting':8} {'policy':17} {'day 30':>7} {'day 60':>7} {'day 90':>7} {'to 80%':>7} "
        f"{'capped':>7} {'reached':>7} {'share':>6} {'known':>6} {'s':>4}"
    )
    failures: list[str] = []
    for setting in SETTINGS:
        if setting.name not in args.settings:
            continue
        print()
        print(header)
        results = {
            name: run(setting, p, args.students, args.seed, candidates) for name, p in policies.items()
        }
        for name, r in results.items():
            print(
                f"{setting.name:8} {name:17} {r.day30:7.3f} {r.day60:7.3f} {r.retained:7.3f} "
                f"{_shown(r.to_goal)} {r.to_goal_capped:7.1f} {_shown(r.to_goal_reached)} "
                f"{r.reached:6.0%} {r.on_known:6.0%} {r.seconds:4.0f}"
            )
        verdict = judge(results["today (baseline)"], results["mastery"])
        print(f"{setting.name}: {verdict}")
        if not verdict.endswith("target held"):
            failures.append(setting.name)
    print()
    held = "held in every setting" if not failures else "not held in " + ", ".join(failures)
    print(f"target (>= 25% fewer problems to 80% mastered, >= +0.08 mastered at day 30): {held}")
    return 1 if failures else 0


def _shown(value: float | None) -> str:
    return f"{'never':>7}" if value is None else f"{value:7.1f}"


def judge(base: Result, new: Result) -> str:
    """The target, on the median over all students (a student who never got there counts as "never")."""
    gain = new.day30 - base.day30
    if new.to_goal is None:
        fewer = "median never reached"
        ok = False
    elif base.to_goal is None:
        fewer = f"median {new.to_goal:.0f} problems, the baseline's never (beyond {DAYS * SESSION})"
        ok = new.to_goal <= 0.75 * DAYS * SESSION
    else:
        share = 1 - new.to_goal / base.to_goal
        fewer = f"{share:.0%} fewer problems to 80% mastered"
        ok = share >= 0.25
    verdict = "held" if ok and gain >= 0.08 else "not held"
    return f"{fewer}, day 30 {gain:+.3f}: target {verdict}"


if __name__ == "__main__":
    sys.exit(main())
