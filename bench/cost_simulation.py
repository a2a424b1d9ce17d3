"""Cost simulation: does the AI tutor stay under $0.10 per student per month?

N simulated students practise for 30 days through the REAL practice services (start_daily_session,
submit_answer with the AI judge, next_hint with the AI hint source) and the REAL ClaudeProvider, whose
anthropic.AsyncAnthropic client talks to the fake Messages API of the tests (token counts follow the prompts
actually sent). Everything runs on a fresh PostgreSQL database (embedded, or a new database on the server
given with --database-url) loaded with the real problem library, with the clock advanced day by day.
Each model is simulated separately, so its own prices drive the per-student budget.

    .venv/bin/python -m bench.cost_simulation             # 200 students, 30 days, Haiku 4.5 and 5.5 prices
    .venv/bin/python -m bench.cost_simulation --models claude-haiku-4-5 claude-haiku-5-5   # a run per model

One run records every call at the simulated model's prices; the same calls are also priced for the other
models (their prices, and their tokenizers' counts: Haiku 5.5 counts ~30% more tokens). That is exact as
long as the budget refused nothing (it says so otherwise); --models simulates each model in full.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bench.common import load_problems, parse_arguments, prepare_database
from src import database
from src.answers.normalize import to_bengali_digits
from src.config import get_settings
from src.costs.pricing import price_for
from src.costs.report import format_report, monthly_report, percentile
from src.models import AiHint, CostRecord, Problem, Student
from src.practice import service
from src.practice.errors import NoHintsLeft
from src.practice.ports import HintRequest, HintText, Judgement
from src.practice.views import ProblemProgress
from src.tutor.provider import ClaudeProvider
from tests.tutor.fake_messages_api import (
    FakeMessagesApi,
    LeakingModel,
    Reply,
    Responder,
    honest_responder,
    is_hint_request,
)

MONTH = "2026-11"
START = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)  # 14:00 in Dhaka on 1 November
TARGET_USD = 0.10

# Behaviour, per day / answer / wrong answer.
PRACTICE_DAY_RATE = 0.6  # mean share of days a student practises (each student has their own rate)
WRONG_RATE = {1: 0.20, 2: 0.35, 3: 0.50}  # first-try wrong answers of an average student, by difficulty
WORKING_SHOWN_RATE = 0.10  # answers typed with working, which the checker leaves undecided
HINT_BEFORE_ANSWER_RATE = 0.08
HINT_AFTER_WRONG_RATE = 0.55
BENGALI_STUDENTS = 0.7
UNUSABLE_HINT_RATE = 0.03  # hints the checks reject (wrong language): billed, then curated


@dataclass
class Clock:
    now: datetime = START


@dataclass
class Tally:
    hint_requests: int = 0
    curated_no_wrong_answer: int = 0
    ai_hint_calls: int = 0
    ai_hints_fresh: int = 0
    ai_hints_reused: int = 0
    ai_hint_fallbacks: int = 0  # called, but rejected (or failed): the curated hint was shown
    budget_refusals: int = 0
    judge_requests: int = 0
    judge_calls: int = 0
    judged: Counter[str] = field(default_factory=Counter)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (answer, text) asked to rephrase
    answers: int = 0
    sessions: int = 0


class CountingHints:
    """The provider's hint source, counting where each hint came from (the fake counts the calls)."""

    def __init__(self, provider: ClaudeProvider, fake: FakeMessagesApi, tally: Tally) -> None:
        self.provider, self.fake, self.tally = provider, fake, tally

    async def hint(self, db: AsyncSession, request: HintRequest) -> HintText | None:
        self.tally.hint_requests += 1
        before = self.fake.calls
        text = await self.provider.hint(db, request)
        called = self.fake.calls > before
        self.tally.ai_hint_calls += called
        if request.last_answer is None:
            self.tally.curated_no_wrong_answer += 1
        elif text is not None:
            if called:
                self.tally.ai_hints_fresh += 1
            else:
                self.tally.ai_hints_reused += 1
        elif called:
            self.tally.ai_hint_fallbacks += 1
        else:
            self.tally.budget_refusals += 1
        return text


class CountingJudge:
    def __init__(self, provider: ClaudeProvider, fake: FakeMessagesApi, tally: Tally) -> None:
        self.provider, self.fake, self.tally = provider, fake, tally

    async def judge(
        self, db: AsyncSession, student_id: int, session_id: int, problem: Problem, student_text: str
    ) -> Judgement | None:
        self.tally.judge_requests += 1
        before = self.fake.calls
        judgement = await self.provider.judge(db, student_id, session_id, problem, student_text)
        self.tally.judge_calls += self.fake.calls > before
        outcome = "refused" if judgement is None else ("correct" if judgement.is_correct else "wrong")
        self.tally.judged[outcome] += 1
        if judgement is None:
            self.tally.refused.append((problem.answer, student_text))
        return judgement


def bench_responder(seed: int, leaking: LeakingModel | None = None, leak_share: float = 0.0) -> Responder:
    """The honest fake model, with a share of hints in the wrong language (rejected by the checks) and,
    with --leaking-hints, a share that write the answer in disguise (a compromised model)."""
    rng = random.Random(seed)

    def respond(body: dict[str, Any]) -> Reply:
        reply = honest_responder(body)
        if leaking is not None and is_hint_request(body) and rng.random() < leak_share:
            return leaking(body)
        if is_hint_request(body) and rng.random() < UNUSABLE_HINT_RATE:
            bengali = "Write in Bengali" in str(body.get("system", ""))
            return Reply("Check your working again." if bengali else "আবার হিসাবটা মিলিয়ে দেখো।")
        return reply

    return respond


# --- what students type ----------------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def wrong_answer(canonical: str, rng: random.Random) -> str:
    """A plausible wrong answer: a sign slip, a decimal-place slip, a swapped pair, or a miscalculation."""
    answer = canonical.removeprefix("৳")
    roll = rng.random()
    if answer.startswith("(") and "," in answer and "x" not in answer and roll < 0.3:
        left, right = answer[1:-1].split(",", 1)
        return f"({right.strip()}, {left.strip()})"
    numbers = list(_NUMBER.finditer(answer))
    if not numbers:
        return answer + " + 1"
    if roll < 0.2 and not answer.startswith(("-", "{", "(")) and "=" not in answer:
        return "-" + answer
    target = numbers[-1]
    value = target.group()
    if roll < 0.4:  # a decimal-place slip: ten times too big
        if "." in value:
            digits, point = value.replace(".", ""), value.index(".") + 1
            replacement = digits[:point] + ("." + digits[point:] if point < len(digits) else "")
        else:
            replacement = value + "0"
    else:
        whole = float(value)
        delta = rng.choice([-1, 1]) * rng.randint(1, max(2, int(abs(whole) // 5) or 2))
        result = whole + delta
        replacement = str(int(result)) if "." not in value else f"{result:.2f}"
    return answer[: target.start()] + replacement + answer[target.end() :]


def typed(value: str, language: str, rng: random.Random, *, working: bool) -> str:
    value = value.removeprefix("৳")
    if language == "bn" and rng.random() < 0.5:
        value = to_bengali_digits(value)
    if working:
        return (
            f"হিসাব করে পেলাম = {value}"
            if language == "bn"
            else f"I did the working step by step, so = {value}"
        )
    return value


# --- one student, one day ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SimStudent:
    student_id: int
    language: str
    skill: float  # 0.5 (struggling) .. 1.0 (strong): scales the wrong-answer rate
    practice_rate: float


async def practise_day(
    student: SimStudent, day_start: datetime, rng: random.Random, hints: CountingHints, judge: CountingJudge
) -> None:
    # One transaction per student-day rather than per request: the services see the same calls in the
    # same order; only the commits between them are saved (they dominate the run time otherwise).
    now = day_start + timedelta(minutes=rng.randint(0, 240))
    async with database.get_session() as db:
        view = await service.start_daily_session(db, student.student_id, now=now)
        hints.tally.sessions += 1
        for progress in view.problems:
            now = await work_problem(db, student, view.session.session_id, progress, now, rng, hints, judge)


async def work_problem(
    db: AsyncSession,
    student: SimStudent,
    session_id: int,
    progress: ProblemProgress,
    now: datetime,
    rng: random.Random,
    hints: CountingHints,
    judge: CountingJudge,
) -> datetime:
    problem = progress.problem
    wrong_rate = WRONG_RATE.get(problem.difficulty, 0.35) * (1.5 - student.skill)
    hints_seen = 0

    async def ask_hint() -> None:
        nonlocal hints_seen, now
        if hints_seen >= service.MAX_HINTS:
            return
        now += timedelta(seconds=20)
        try:
            await service.next_hint(
                db, student.student_id, session_id, problem_id=problem.problem_id, now=now, source=hints
            )
            hints_seen += 1
        except NoHintsLeft:
            hints_seen = service.MAX_HINTS

    if rng.random() < HINT_BEFORE_ANSWER_RATE:
        await ask_hint()
    while True:
        correct = rng.random() >= wrong_rate
        value = problem.answer if correct else wrong_answer(problem.answer, rng)
        working = rng.random() < WORKING_SHOWN_RATE
        now += timedelta(seconds=rng.randint(30, 120))
        outcome = await service.submit_answer(
            db,
            student.student_id,
            session_id,
            typed(value, student.language, rng, working=working),
            problem_id=problem.problem_id,
            now=now,
            judge=judge,
        )
        if not outcome.recorded:  # asked to rephrase: the student sends just the value
            outcome = await service.submit_answer(
                db,
                student.student_id,
                session_id,
                typed(value, student.language, rng, working=False),
                problem_id=problem.problem_id,
                now=now,
            )
        hints.tally.answers += 1
        if outcome.progress.finished:
            return now
        if rng.random() < HINT_AFTER_WRONG_RATE:
            await ask_hint()
        wrong_rate *= 0.7  # a second try, often after a hint, goes better


# --- a run ---------------------------------------------------------------------------------------------


# Tokens a model counts for the same text, relative to Haiku 4.5 (Haiku 5.5: ~30% more; see
# ../shared/docs/external-facts.md). The fake Messages API counts the same way.
TOKEN_FACTOR = {"claude-haiku-4-5": 1.0, "claude-haiku-5-5": 1.3}


@dataclass
class RunResult:
    model: str
    costs: list[float]  # per student, as recorded (the simulated model's prices)
    repriced: dict[str, list[float]]  # per student, the same calls at other models' prices and token counts
    tally: Tally
    calls: int
    report: str
    seconds: float
    stored_hints: int = 0  # rows of ai_hints at the end (kept for reuse)


def reprice(tokens: list[tuple[int, int, int]], run_model: str, model: str) -> list[float]:
    """Per-student cost of the recorded (student, input, output) tokens under another model."""
    price = price_for(model, get_settings().pricing)
    factor = TOKEN_FACTOR.get(model, 1.0) / TOKEN_FACTOR.get(run_model, 1.0)
    per_student: dict[int, float] = {}
    for student_id, input_tokens, output_tokens in tokens:
        cost = factor * (input_tokens * price.input + output_tokens * price.output) / 1_000_000
        per_student[student_id] = per_student.get(student_id, 0.0) + cost
    return list(per_student.values())


async def create_students(count: int, rng: random.Random) -> list[SimStudent]:
    students: list[SimStudent] = []
    async with database.get_session() as db:
        rows = [
            Student(
                telegram_id=7_000_000_000 + i,
                name=f"Student {i}",
                grade=rng.choice([6, 7, 8]),
                language="bn" if rng.random() < BENGALI_STUDENTS else "en",
                created_at=START - timedelta(days=10),
            )
            for i in range(count)
        ]
        db.add_all(rows)
        await db.flush()
        for row in rows:
            rate = min(0.95, max(0.25, rng.gauss(PRACTICE_DAY_RATE, 0.18)))
            students.append(SimStudent(row.student_id, row.language, rng.uniform(0.5, 1.0), rate))
    return students


async def simulate(
    model: str,
    price_models: list[str],
    students_count: int,
    days: int,
    seed: int,
    concurrency: int,
    leak_share: float = 0.0,
) -> RunResult:
    started = time.monotonic()
    problems = await load_problems()
    rng = random.Random(seed)
    students = await create_students(students_count, rng)

    clock = Clock()
    leaking = LeakingModel(
        {question: p.answer for p in problems for question in (p.question_en, p.question_bn)}
    )
    fake = FakeMessagesApi(bench_responder(seed, leaking, leak_share))
    settings = get_settings().model_copy(
        update={
            "anthropic_api_key": SecretStr("sk-ant-bench"),
            "anthropic_base_url": "http://anthropic.fake",
            "dars_claude_model": model,
        }
    )
    provider = ClaudeProvider.from_settings(settings, http_client=fake.client(), clock=lambda: clock.now)
    tally = Tally()
    hints, judge = CountingHints(provider, fake, tally), CountingJudge(provider, fake, tally)
    gate = asyncio.Semaphore(concurrency)

    async def one(student: SimStudent, day_start: datetime, student_rng: random.Random) -> None:
        async with gate:
            await practise_day(student, day_start, student_rng, hints, judge)

    for day in range(days):
        day_start = START + timedelta(days=day)
        clock.now = day_start
        todays = [s for s in students if rng.random() < s.practice_rate]
        await asyncio.gather(*(one(s, day_start, random.Random(rng.random())) for s in todays))

    async with database.get_session() as db:
        spent = dict(
            (
                await db.execute(
                    select(Student.student_id, func.coalesce(func.sum(CostRecord.cost_usd), 0.0))
                    .outerjoin(CostRecord, CostRecord.student_id == Student.student_id)
                    .group_by(Student.student_id)
                )
            ).all()
        )
        tokens = [(sid, 0, 0) for sid in spent] + [
            (sid, int(i or 0), int(o or 0))
            for sid, i, o in (
                await db.execute(
                    select(CostRecord.student_id, CostRecord.input_tokens, CostRecord.output_tokens)
                )
            ).all()
        ]
        report = format_report(await monthly_report(db, MONTH))
        stored_hints = int((await db.execute(select(func.count()).select_from(AiHint))).scalar_one())
    await provider.client.close()
    repriced = {other: reprice(tokens, model, other) for other in price_models if other != model}
    costs = [float(v) for v in spent.values()]
    seconds = time.monotonic() - started
    return RunResult(model, costs, repriced, tally, fake.calls, report, seconds, stored_hints)


def run(model: str, args: argparse.Namespace, scratch: Path) -> RunResult:
    os.environ["DARS_MONTHLY_BUDGET_USD"] = str(TARGET_USD)
    prepare_database(args.database_url, scratch, args.concurrency + 2, keep=args.keep_database)

    async def go() -> RunResult:
        try:
            return await simulate(
                model,
                args.prices,
                args.students,
                args.days,
                args.seed,
                args.concurrency,
                args.leaking_hints,
            )
        finally:
            await database.dispose_engine()

    return asyncio.run(go())


def cost_line(label: str, costs: list[float]) -> str:
    mean = sum(costs) / len(costs) if costs else 0.0
    top = max(costs, default=0.0)
    holds = mean <= TARGET_USD and top <= TARGET_USD
    return (
        f"  {label:<42} mean ${mean:.4f}  median ${percentile(costs, 0.5):.4f}  "
        f"p95 ${percentile(costs, 0.95):.4f}  max ${top:.4f}  -> "
        f"{'HOLDS' if holds else 'DOES NOT HOLD'} (max at {top / TARGET_USD:.0%} of ${TARGET_USD:.2f})"
    )


def print_result(result: RunResult) -> None:
    tally = result.tally
    ai_hints = tally.ai_hints_fresh + tally.ai_hints_reused
    print(f"\n=== simulated with {result.model}: {len(result.costs)} students, {result.seconds:.0f} s ===")
    print("cost per student per month:")
    print(cost_line(f"{result.model} (recorded)", result.costs))
    for model, costs in result.repriced.items():
        print(cost_line(f"{model} (same calls, its prices)", costs))
    if result.repriced and tally.budget_refusals:
        print("  note: the budget refused calls in this run; rerun with --models to simulate each model")
    print(f"sessions {tally.sessions}, answers {tally.answers}, hint requests {tally.hint_requests}")
    print(f"API calls made: {result.calls} (hints {tally.ai_hint_calls}, answer judging {tally.judge_calls})")
    reuse = tally.ai_hints_reused / ai_hints if ai_hints else 0.0
    print(
        f"AI hints shown: {ai_hints}, served from reuse without a call: {tally.ai_hints_reused} ({reuse:.0%})"
    )
    print(f"AI hints kept for reuse (ai_hints rows): {result.stored_hints}")
    print(
        f"curated hints: {tally.curated_no_wrong_answer} before any wrong answer, "
        f"{tally.ai_hint_fallbacks} after a rejected AI hint, {tally.budget_refusals} refused by the budget"
    )
    print(f"undecided answers judged: {dict(tally.judged)}; refused e.g. {tally.refused[:3]}")
    print(result.report)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--days", type=int, default=30, choices=range(1, 31), metavar="1..30")
    parser.add_argument("--concurrency", type=int, default=8, help="students practising at the same time")
    parser.add_argument(
        "--models", nargs="+", default=["claude-haiku-4-5"], help="models to simulate, one full run each"
    )
    parser.add_argument(
        "--prices", nargs="+", default=list(TOKEN_FACTOR), help="models whose prices each run is shown at"
    )
    parser.add_argument(
        "--leaking-hints",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="share of AI hints (0..1) a compromised model writes with the answer in disguise",
    )
    args = parse_arguments(parser, argv)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="dars-bench-") as scratch:
        results = [run(model, args, Path(scratch)) for model in args.models]
    for result in results:
        print_result(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
