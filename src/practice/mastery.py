"""Mastery per student and skill (pure): Bayesian Knowledge Tracing with hints and forgetting.

Evidence is each problem's *first* answer in a session, in time order (a retry after the feedback and the
hints of a wrong answer says more about memory than about skill). For each first answer:

1. forgetting: since the skill was last practised, P(known) decays by (1 - p_forget / (1 + reviews)) a day,
   `reviews` being the spaced reviews the student has passed (the spacing effect: each successful review
   after a gap slows forgetting, which is what makes expanding review intervals work);
2. the Bayesian update on the answer (p_guess, p_slip), weighted: a correct answer after hints is weaker
   evidence (weights below), a wrong one is full evidence, a skip before any answer is half a wrong answer;
3. the learning transition: an unknown skill becomes known with p_learn.

The skill counts as mastered from P(known) >= 0.95 (Corbett & Anderson's criterion) and stays mastered, for
review, while P(known) decayed to now stays >= 0.8.

Parameters are per skill, fitted by `fit` (EM on the stored first answers: `dars learning fit`); with too
little data a skill keeps the defaults, which sit in the middle of the ranges reported for BKT on school
maths (Corbett & Anderson 1995; Baker, Corbett & Aleven 2008 bound guess < 0.3 and slip < 0.1 to keep models
identifiable; Qiu et al. 2011 for a per-day forgetting term).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

MASTERED = 0.9
REVIEW_FLOOR = 0.7
# How much a correct first answer counts after 0, 1, 2, 3 hints.
CORRECT_WEIGHT_AFTER_HINTS = (1.0, 0.5, 0.25, 0.1)
SKIP_WEIGHT = 0.5
DAY_SECONDS = 86_400.0
NEARLY = 0.6  # two stars from here


@dataclass(frozen=True)
class SkillParams:
    p_init: float = 0.3  # P(known) before any practice
    p_learn: float = 0.15  # P(unknown -> known) per opportunity
    p_guess: float = 0.2  # P(correct | unknown)
    p_slip: float = 0.1  # P(wrong | known)
    p_forget: float = 0.02  # P(known -> unknown) per day without practice, before any review


DEFAULT_PARAMS = SkillParams()


@dataclass(frozen=True)
class Evidence:
    """One first answer to a problem."""

    skill: str
    at: float  # seconds since the epoch (UTC)
    day: date  # the student's local day
    is_correct: bool
    hints_used: int = 0
    skipped: bool = False  # the problem was skipped before any answer


@dataclass
class SkillState:
    skill: str
    p_known: float  # after the last evidence, before forgetting since then
    attempts: int = 0
    last_at: float | None = None  # epoch seconds
    last_day: date | None = None
    first_day: date | None = None
    mastered: bool = False
    reviews: int = 0
    practice_days: int = 0  # local days the skill was practised on


@dataclass(frozen=True)
class SkillMastery:
    """A skill's estimate as of a moment: what selection and the progress report read."""

    skill: str
    p_known: float  # decayed to the moment
    attempts: int
    mastered: bool
    reviews: int
    last_day: date | None
    first_day: date | None
    practice_days: int

    @property
    def stars(self) -> int:
        """0 not started, 1 learning, 2 nearly there, 3 mastered."""
        if self.attempts == 0:
            return 0
        if self.mastered:
            return 3
        return 2 if self.p_known >= NEARLY else 1


def forget(p: float, params: SkillParams, reviews: int, elapsed_seconds: float) -> float:
    if elapsed_seconds <= 0 or params.p_forget == 0:
        return p
    kept: float = (1.0 - params.p_forget / (1 + reviews)) ** (elapsed_seconds / DAY_SECONDS)
    return p * kept


def observe(p: float, params: SkillParams, is_correct: bool, weight: float) -> float:
    """P(known) after one answer (with `weight` 0..1 of its evidence), then the learning transition."""
    if is_correct:
        known = p * (1 - params.p_slip)
        posterior = known / (known + (1 - p) * params.p_guess)
    else:
        known = p * params.p_slip
        posterior = known / (known + (1 - p) * (1 - params.p_guess))
    blended = p + weight * (posterior - p)
    return blended + (1 - blended) * params.p_learn


def evidence_weight(item: Evidence) -> float:
    if item.skipped:
        return SKIP_WEIGHT
    if not item.is_correct:
        return 1.0
    return CORRECT_WEIGHT_AFTER_HINTS[min(item.hints_used, len(CORRECT_WEIGHT_AFTER_HINTS) - 1)]


def trace(
    evidence: Iterable[Evidence], params: Mapping[str, SkillParams] | None = None
) -> dict[str, SkillState]:
    """Every skill's state after `evidence` (in time order)."""
    params = params or {}
    states: dict[str, SkillState] = {}
    for item in evidence:
        skill_params = params.get(item.skill, DEFAULT_PARAMS)
        state = states.get(item.skill)
        if state is None:
            state = states[item.skill] = SkillState(item.skill, skill_params.p_init, first_day=item.day)
        p = state.p_known
        if state.last_at is not None:
            p = forget(p, skill_params, state.reviews, item.at - state.last_at)
            if state.mastered and p < REVIEW_FLOOR:
                state.mastered = False
            # A correct answer to a mastered skill on a later day is a passed spaced review.
            if state.mastered and item.is_correct and not item.skipped and item.day != state.last_day:
                state.reviews += 1
        p = observe(p, skill_params, item.is_correct and not item.skipped, evidence_weight(item))
        state.p_known = p
        state.attempts += 1
        if item.day != state.last_day:
            state.practice_days += 1
        state.last_at = item.at
        state.last_day = item.day
        if p >= MASTERED and not state.mastered:
            state.mastered = True
    return states


def mastery_at(
    states: Mapping[str, SkillState], params: Mapping[str, SkillParams] | None, now: datetime
) -> dict[str, SkillMastery]:
    """Each traced skill as of `now` (forgetting since its last practice applied)."""
    params = params or {}
    result: dict[str, SkillMastery] = {}
    for skill, state in states.items():
        p = state.p_known
        if state.last_at is not None:
            p = forget(p, params.get(skill, DEFAULT_PARAMS), state.reviews, now.timestamp() - state.last_at)
        result[skill] = SkillMastery(
            skill=skill,
            p_known=p,
            attempts=state.attempts,
            mastered=state.mastered and p >= REVIEW_FLOOR,
            reviews=state.reviews,
            last_day=state.last_day,
            first_day=state.first_day,
            practice_days=state.practice_days,
        )
    return result


# --- fitting ----------------------------------------------------------------------------------------------

MIN_FIT_ANSWERS = 200  # first answers of a skill below which its defaults stay
MIN_FIT_STUDENTS = 20
_BOUNDS = {
    "p_init": (0.01, 0.95),
    "p_learn": (0.01, 0.6),
    "p_guess": (0.01, 0.3),
    "p_slip": (0.01, 0.1),
}
FORGET_GRID = (0.0, 0.005, 0.01, 0.02, 0.04, 0.08)


@dataclass(frozen=True)
class Fit:
    params: SkillParams
    answers: int
    students: int
    log_likelihood: float | None  # None when the defaults were kept
    fitted: bool


def _clip(name: str, value: float) -> float:
    low, high = _BOUNDS[name]
    return min(high, max(low, value))


def fit_skill(
    sequences: Sequence[Sequence[Evidence]], *, iterations: int = 40, default: SkillParams = DEFAULT_PARAMS
) -> Fit:
    """Per-skill parameters from students' sequences of first answers (each in time order).

    EM (Baum-Welch on the two-state BKT model, hints and skips left out of the fit as the weaker evidence
    they are), guess and slip bounded as Baker et al. advise; then the forgetting rate that makes the whole
    sequences, gaps included, most likely, from FORGET_GRID."""
    answers = sum(len(s) for s in sequences)
    students = sum(1 for s in sequences if s)
    if answers < MIN_FIT_ANSWERS or students < MIN_FIT_STUDENTS:
        return Fit(default, answers, students, None, False)
    clean = [[e.is_correct for e in s if not e.skipped and e.hints_used == 0] for s in sequences]
    clean = [s for s in clean if s]
    init, learn, guess, slip = default.p_init, default.p_learn, default.p_guess, default.p_slip
    for _ in range(iterations):
        sum_init = 0.0
        learn_num = learn_den = 0.0
        guess_num = guess_den = slip_num = slip_den = 0.0
        for seq in clean:
            n = len(seq)
            # forward: alpha[t] = P(known at t, obs up to t), normalised
            alphas: list[float] = []
            p = init
            for t, correct in enumerate(seq):
                if t > 0:
                    p = p + (1 - p) * learn
                lk = (1 - slip) if correct else slip
                lu = guess if correct else (1 - guess)
                post = p * lk / (p * lk + (1 - p) * lu)
                alphas.append(post)
                p = post
            # backward smoothing for the two-state chain with no forgetting (known is absorbing)
            gamma = [0.0] * n
            gamma[-1] = alphas[-1]
            for t in range(n - 2, -1, -1):
                # known is absorbing: P(K_t | all) = P(K_t | obs<=t) P(K_t+1 | all) / P(K_t+1 | obs<=t)
                prior_next = alphas[t] + (1 - alphas[t]) * learn
                known_both = alphas[t] * gamma[t + 1] / prior_next if prior_next > 0 else 0.0
                gamma[t] = min(1.0, known_both)
            sum_init += gamma[0]
            for t, correct in enumerate(seq):
                g = gamma[t]
                if correct:
                    guess_num += 1 - g
                else:
                    slip_num += g
                guess_den += 1 - g
                slip_den += g
                if t + 1 < n:
                    # P(unknown_t, known_{t+1})
                    learn_num += max(0.0, gamma[t + 1] - g)
                    learn_den += 1 - g
        init = _clip("p_init", sum_init / len(clean))
        learn = _clip("p_learn", learn_num / learn_den if learn_den else learn)
        guess = _clip("p_guess", guess_num / guess_den if guess_den else guess)
        slip = _clip("p_slip", slip_num / slip_den if slip_den else slip)
    fitted = SkillParams(init, learn, guess, slip, default.p_forget)
    best: tuple[float, SkillParams] | None = None
    for rate in FORGET_GRID:
        candidate = replace(fitted, p_forget=rate)
        score = log_likelihood(sequences, candidate)
        if best is None or score > best[0]:
            best = (score, candidate)
    assert best is not None
    return Fit(best[1], answers, students, best[0], True)


def log_likelihood(sequences: Sequence[Sequence[Evidence]], params: SkillParams) -> float:
    """log P(every first answer) under `params`, forgetting and hint weights as `trace` applies them."""
    total = 0.0
    for seq in sequences:
        p = params.p_init
        last: float | None = None
        for item in seq:
            if last is not None:
                p = forget(p, params, 0, item.at - last)
            correct = item.is_correct and not item.skipped
            likely = p * (1 - params.p_slip) + (1 - p) * params.p_guess
            total += math.log(max(1e-9, likely if correct else 1 - likely)) * evidence_weight(item)
            p = observe(p, params, correct, evidence_weight(item))
            last = item.at
    return total


__all__ = [
    "DEFAULT_PARAMS",
    "MASTERED",
    "REVIEW_FLOOR",
    "Evidence",
    "Fit",
    "SkillMastery",
    "SkillParams",
    "SkillState",
    "fit_skill",
    "log_likelihood",
    "mastery_at",
    "observe",
    "trace",
]
