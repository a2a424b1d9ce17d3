"""The mastery estimate (pure): BKT from first answers, hints as weaker evidence, forgetting, fitting."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from src.practice.mastery import (
    DEFAULT_PARAMS,
    MASTERED,
    Evidence,
    SkillParams,
    fit_skill,
    mastery_at,
    observe,
    trace,
)

T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def answers(
    skill: str,
    results: list[bool],
    *,
    start: datetime = T0,
    gap: timedelta = timedelta(days=1),
    hints: int = 0,
) -> list[Evidence]:
    moments = [start + n * gap for n in range(len(results))]
    return [
        Evidence(skill, at.timestamp(), at.date(), ok, hints) for at, ok in zip(moments, results, strict=True)
    ]


def test_right_answers_raise_the_estimate_and_wrong_ones_lower_it() -> None:
    p = DEFAULT_PARAMS.p_init
    assert observe(p, DEFAULT_PARAMS, True, 1.0) > p
    assert observe(p, DEFAULT_PARAMS, False, 1.0) < p
    states = trace(answers("Fractions", [True, True, True]))
    assert states["Fractions"].p_known >= MASTERED and states["Fractions"].mastered
    assert not trace(answers("Fractions", [False, True, False]))["Fractions"].mastered


def test_a_right_answer_after_hints_is_weaker_evidence() -> None:
    plain = trace(answers("Ratio", [True]))["Ratio"].p_known
    hinted = trace(answers("Ratio", [True], hints=2))["Ratio"].p_known
    assert DEFAULT_PARAMS.p_init < hinted < plain
    skipped = trace([Evidence("Ratio", T0.timestamp(), T0.date(), False, 0, skipped=True)])["Ratio"].p_known
    wrong = trace(answers("Ratio", [False]))["Ratio"].p_known
    assert wrong < skipped  # a skip is half a wrong answer


def test_forgetting_with_time_and_slower_after_each_passed_review() -> None:
    states = trace(answers("Sets", [True, True, True], gap=timedelta(hours=1)))
    now = T0 + timedelta(hours=2)
    fresh = mastery_at(states, None, now)["Sets"].p_known
    month = mastery_at(states, None, now + timedelta(days=30))["Sets"]
    assert month.p_known < fresh and not month.mastered  # forgotten below the review floor
    # The same three right answers with passed reviews on later days: forgetting is slower.
    reviewed = trace(
        answers("Sets", [True, True, True], gap=timedelta(hours=1))
        + answers("Sets", [True, True], start=T0 + timedelta(days=4), gap=timedelta(days=7))
    )
    assert reviewed["Sets"].reviews == 2
    last_at = reviewed["Sets"].last_at
    assert last_at is not None
    later = datetime.fromtimestamp(last_at, UTC)
    decay_reviewed = mastery_at(reviewed, None, later + timedelta(days=20))["Sets"].p_known
    decay_once = mastery_at(states, None, now + timedelta(days=20))["Sets"].p_known
    assert decay_reviewed > decay_once


def test_per_skill_parameters_apply_to_their_skill_only() -> None:
    easy = SkillParams(p_init=0.8, p_learn=0.3, p_guess=0.2, p_slip=0.05, p_forget=0.0)
    states = trace(answers("Fractions", [True]) + answers("Ratio", [True]), {"Fractions": easy})
    assert states["Fractions"].p_known > states["Ratio"].p_known


def simulated(truth: SkillParams, students: int, seed: int) -> list[list[Evidence]]:
    """Students answering one skill once a day for 8 days, as BKT with forgetting says."""
    rng = random.Random(seed)
    sequences = []
    for _ in range(students):
        known = rng.random() < truth.p_init
        results = []
        for _ in range(8):
            results.append(rng.random() >= truth.p_slip if known else rng.random() < truth.p_guess)
            known = known or rng.random() < truth.p_learn
            known = known and rng.random() >= truth.p_forget  # a day passes
        sequences.append(answers("Sets", results))
    return sequences


def test_the_fit_recovers_parameters_of_simulated_students() -> None:
    truth = SkillParams(p_init=0.2, p_learn=0.25, p_guess=0.15, p_slip=0.05, p_forget=0.0)
    fit = fit_skill(simulated(truth, 300, seed=4))
    assert fit.fitted and fit.answers == 2400 and fit.students == 300
    p = fit.params
    assert abs(p.p_init - truth.p_init) < 0.08 and abs(p.p_learn - truth.p_learn) < 0.08
    assert abs(p.p_guess - truth.p_guess) < 0.06 and abs(p.p_slip - truth.p_slip) < 0.04
    assert p.p_forget <= 0.01
    forgetful = fit_skill(simulated(SkillParams(0.2, 0.25, 0.15, 0.05, p_forget=0.08), 300, seed=5))
    assert forgetful.params.p_forget >= 0.04


def test_too_little_data_keeps_the_defaults() -> None:
    fit = fit_skill([answers("Sets", [True, False, True])] * 5)
    assert not fit.fitted and fit.params == DEFAULT_PARAMS and fit.log_likelihood is None
    assert mastery_at({}, None, T0) == {}
    assert date(2026, 3, 1) == T0.date()
