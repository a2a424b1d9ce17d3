"""From stored answers to mastery, to a session's choice, to fitted parameters.

The pure part reads the rows a session start fetches in one statement (src/practice/service.py:
`_choice_inputs`): the grade's problems as `[problem_id, topic, difficulty]`, the student's answers as one
row per problem of a session, `[problem_id, topic, difficulty, first_correct, first_at, hints_used, skipped,
solved, answers, last_at]` in time order (times as epoch seconds: no parsing), and the fitted skill
parameters. `fit_parameters` is
`dars learning fit`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from src.driver import Row
from src.models import SkillParameters
from src.practice.mastery import (
    MIN_FIT_ANSWERS,
    MIN_FIT_STUDENTS,
    Evidence,
    Fit,
    SkillMastery,
    SkillParams,
    fit_skill,
    mastery_at,
    trace,
)
from src.practice.selection import (
    Candidate,
    Outcome,
    Pick,
    choose_by_mastery,
    choose_problems,
    tomorrow_skills,
)
from src.practice.skills import skill_of
from src.streaks.days import local_day, local_day_start

# A problem not solved at the first answer in these last days is not given again: its hints and its answer
# were just read.
RECENTLY_FAILED_WINDOW = timedelta(days=4)
RECENTLY_CORRECT_WINDOW = timedelta(days=14)
BASELINE_HISTORY_WINDOW = timedelta(days=30)  # what the baseline policy read


@dataclass(frozen=True)
class FirstAnswer:
    """A problem of a session: its first answer, and how it ended."""

    problem_id: int
    topic: str
    difficulty: int
    is_correct: bool
    at: float  # epoch seconds
    hints_used: int
    skipped: bool
    solved: bool
    answers: int
    last_at: float


def first_answers(rows: Sequence[Sequence[Any]]) -> list[FirstAnswer]:
    return [
        FirstAnswer(
            problem_id,
            topic,
            difficulty,
            bool(correct),
            first_at,
            hints,
            bool(skipped),
            bool(solved),
            answers,
            last_at,
        )
        for problem_id, topic, difficulty, correct, first_at, hints, skipped, solved, answers, last_at in rows
    ]


def evidence(answers: Sequence[FirstAnswer], zone: ZoneInfo) -> list[Evidence]:
    days: dict[int, date] = {}  # every zone's offset is a multiple of 15 minutes: one local day per quarter
    result = []
    for a in answers:
        quarter = int(a.at // 900)
        day = days.get(quarter)
        if day is None:
            day = days[quarter] = local_day(datetime.fromtimestamp(quarter * 900, UTC), zone)
        result.append(Evidence(skill_of(a), a.at, day, a.is_correct, a.hints_used, a.skipped))
    return result


def params_from(rows: Sequence[Sequence[Any]]) -> dict[str, SkillParams]:
    return {skill: SkillParams(*values) for skill, *values in rows}


def candidates_from(rows: Sequence[Sequence[Any]]) -> list[Candidate]:
    return [Candidate(*row) for row in rows]


def mastery_of(
    inputs: Row, now: datetime, zone: ZoneInfo
) -> tuple[dict[str, SkillMastery], list[FirstAnswer]]:
    """Every practised skill's mastery as of `now`, and the first answers it was traced from."""
    answers = first_answers(inputs["recent"])
    params = params_from(inputs["params"])
    return mastery_at(trace(evidence(answers, zone), params), params, now), answers


def choose(inputs: Row, now: datetime, seed: int, zone: ZoneInfo) -> list[Pick]:
    """A new session's problems, planned by mastery (`choose_by_mastery`)."""
    mastery, answers = mastery_of(inputs, now, zone)
    failed_since = (now - RECENTLY_FAILED_WINDOW).timestamp()
    correct_since = (now - RECENTLY_CORRECT_WINDOW).timestamp()
    return choose_by_mastery(
        candidates_from(inputs["candidates"]),
        mastery,
        local_day(now, zone),
        recently_failed=frozenset(
            a.problem_id for a in answers if (a.skipped or not a.is_correct) and a.last_at >= failed_since
        ),
        recently_correct=frozenset(a.problem_id for a in answers if a.solved and a.last_at >= correct_since),
        seen=frozenset(a.problem_id for a in answers),
        seed=seed,
    )


def choose_baseline(inputs: Row, now: datetime, seed: int) -> list[Pick]:
    """The same inputs through the policy Dars used before mastery (`choose_problems`: every answer of the
    last 30 days, retries and skips counted as wrong), for the learning benchmark."""
    since = (now - BASELINE_HISTORY_WINDOW).timestamp()
    correct_since = (now - RECENTLY_CORRECT_WINDOW).timestamp()
    history: list[Outcome] = []
    recently_correct: set[int] = set()
    for a in first_answers(inputs["recent"]):
        if a.at < since:
            continue
        history += [Outcome(a.topic, False)] * (a.answers - a.solved) + [Outcome(a.topic, True)] * a.solved
        if a.solved and a.last_at >= correct_since:
            recently_correct.add(a.problem_id)
    return choose_problems(candidates_from(inputs["candidates"]), history, frozenset(recently_correct), seed)


def tomorrow(inputs: Row, now: datetime, zone: ZoneInfo) -> list[str]:
    """The skills tomorrow's session is planned to practise, as things stand now (midday tomorrow)."""
    day = local_day(now, zone) + timedelta(days=1)
    moment = local_day_start(day, zone) + timedelta(hours=12)
    mastery, _ = mastery_of(inputs, moment, zone)
    skills = {skill_of(c) for c in candidates_from(inputs["candidates"])}
    return tomorrow_skills(sorted(skills), mastery, day)


# --- fitting (dars learning fit) ------------------------------------------------------------------------

_ALL_FIRST_ANSWERS = text(
    """
SELECT s.student_id, p.problem_id, p.topic, p.difficulty, f.first_at, f.first_correct, f.hints_used, f.skipped
FROM (SELECT r.session_id, r.problem_id, min(r.evaluated_at) AS first_at,
             (array_agg(r.is_correct ORDER BY r.evaluated_at, r.response_id))[1] AS first_correct,
             (array_agg(r.hints_used ORDER BY r.evaluated_at, r.response_id))[1] AS hints_used,
             (array_agg(r.student_answer = '' ORDER BY r.evaluated_at, r.response_id))[1] AS skipped
      FROM responses AS r GROUP BY r.session_id, r.problem_id) AS f
JOIN sessions AS s ON s.session_id = f.session_id
JOIN problems AS p ON p.problem_id = f.problem_id
ORDER BY s.student_id, f.first_at, f.session_id"""
)


async def fit_parameters(db: AsyncSession, now: datetime, zone: ZoneInfo) -> dict[str, Fit]:
    """Fit every skill's parameters from all stored first answers and store those with enough data
    (mastery.MIN_FIT_ANSWERS from MIN_FIT_STUDENTS students); the others keep the defaults. Flushes."""
    sequences: dict[str, dict[int, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
    rows = (await db.execute(_ALL_FIRST_ANSWERS)).all()
    for student_id, problem_id, topic, difficulty, at, correct, hints, skipped in rows:
        skill = skill_of(Candidate(problem_id, topic, difficulty))
        item = Evidence(skill, at.timestamp(), local_day(at, zone), bool(correct), hints, bool(skipped))
        sequences[item.skill][student_id].append(item)
    fits = {skill: fit_skill(list(by_student.values())) for skill, by_student in sorted(sequences.items())}
    for skill, fit in fits.items():
        if not fit.fitted:
            continue
        values = {
            "skill": skill,
            "p_init": fit.params.p_init,
            "p_learn": fit.params.p_learn,
            "p_guess": fit.params.p_guess,
            "p_slip": fit.params.p_slip,
            "p_forget": fit.params.p_forget,
            "answers": fit.answers,
            "students": fit.students,
            "fitted_at": now,
        }
        statement = insert(SkillParameters).values(values)
        await db.execute(
            statement.on_conflict_do_update(
                index_elements=[SkillParameters.skill],
                set_={k: statement.excluded[k] for k in values if k != "skill"},
            )
        )
    await db.flush()
    return fits


def format_fits(fits: dict[str, Fit]) -> str:
    """One line per skill: what was fitted (and stored), or why the defaults stay."""
    if not fits:
        return "no answers stored yet: every skill keeps the default parameters"
    lines = []
    for skill, fit in fits.items():
        p = fit.params
        if fit.fitted:
            lines.append(
                f"{skill}: fitted from {fit.answers} first answers of {fit.students} students: "
                f"init {p.p_init:.3f} learn {p.p_learn:.3f} guess {p.p_guess:.3f} slip {p.p_slip:.3f} "
                f"forget {p.p_forget:.3f}/day"
            )
        else:
            lines.append(
                f"{skill}: defaults kept ({fit.answers} first answers of {fit.students} students; "
                f"a fit needs {MIN_FIT_ANSWERS} from {MIN_FIT_STUDENTS})"
            )
    return "\n".join(lines)


__all__ = [
    "FirstAnswer",
    "choose",
    "choose_baseline",
    "first_answers",
    "fit_parameters",
    "format_fits",
    "mastery_of",
    "tomorrow",
]
