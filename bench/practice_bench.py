"""The practice loop under load, beside the database's own ceiling, in one run.

Simulated students each do: POST /sessions/today → 5 × (POST …/hints, POST …/answers) → the session is
complete; 11 requests a student, each one transaction, each student on a connection of its own. Phases,
on one fresh database, after a warm-up of four peak phases through the app (it speeds up for ~1 000
sessions; the run prints each warm-up phase's rate):

1. peak (HTTP):  `--concurrency` students in flight, back to back, against the production app
                 (`src.api.app.create_app()`, see bench/practice_app.py) served by uvicorn with `--workers`
                 processes, as in production (pool with pre-ping, Mini App initData checked per request).
2. ceiling:      the same transactions issued directly with asyncpg (bench/practice_raw.py): no HTTP, no
                 ORM, no pydantic; as many processes as the server has workers, on uvloop as they are,
                 the same concurrency.
   Each round runs phase 1, then 3, then 1 again, then 2 (this machine's speed drifts over minutes); the
   ratio reported is the median of the rounds' ratios (the app's rate: the mean of its two peaks).
3. 80% load:     in each round, right after its peak: students arrive at random (Poisson) at 80% of that
                 peak's session rate, twice as many as in a peak phase; latency per endpoint, and the median
                 of the rounds' p99s. A round is steady when its peaks before and after the load agree within
                 `--steadiness` (10%): the machine held its speed, so the load ran at 80% of what it could
                 do; the median of the steady rounds' p99s is printed too.
4. round trips:  one student at a time through a counting proxy in front of PostgreSQL
                 (bench/pgwire_counter.py): database round trips and statements per request, app and raw.

    .venv/bin/python -m bench.practice_bench                       # 2 workers, 32 in flight, 3 rounds
    .venv/bin/python -m bench.practice_bench --workers 1 --concurrency 1 --students 30 --rounds 1
    .venv/bin/python -m bench.practice_bench --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres

Each student is used once (a student has one session a day), so every run starts sessions from nothing.
Answers are the canonical ones (half of them typed with Bengali digits), so every session completes; the
run checks in the database that it did, with five responses and five hint views per session.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from threading import BrokenBarrierError
from typing import Any

import asyncpg  # type: ignore[import-untyped]

from bench.common import load_problems, parse_arguments, prepare_database
from bench.http_client import Connection
from bench.machine_cpu import CpuTimes, describe
from bench.pgwire_counter import CountingProxy, through, upstream_of
from src.answers.normalize import to_bengali_digits
from src.auth.telegram import sign_init_data
from src.costs.report import percentile

BOT_TOKEN = "123456:practice-bench-token"
ENDPOINTS = ("start", "hint", "answer")
TELEGRAM_ID_BASE = 700_000_000


@dataclass
class Tally:
    """Latencies (seconds) by endpoint, failures, and the wall time of a phase."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    connects: list[float] = field(default_factory=list)  # a student's TCP connection set-up, not a request
    failures: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    students: int = 0
    cpu: dict[str, float] = field(default_factory=dict)  # ms of the machine's CPU per request, by owner

    def merge(self, other: Tally) -> None:
        for name, values in other.latencies.items():
            self.latencies[name].extend(values)
        self.connects.extend(other.connects)
        self.failures.extend(other.failures)
        self.students += other.students

    @property
    def requests(self) -> int:
        return sum(len(values) for values in self.latencies.values())

    def rate(self, endpoint: str | None = None) -> float:
        count = self.requests if endpoint is None else len(self.latencies[endpoint])
        return count / self.elapsed if self.elapsed else 0.0

    def values(self, endpoint: str) -> list[float]:
        """An endpoint's latencies, or with "connect" the connections' set-up times."""
        return self.connects if endpoint == "connect" else self.latencies[endpoint]

    def line(self, endpoint: str) -> str:
        values = sorted(self.values(endpoint))
        ms = [1000 * percentile(values, q) for q in (0.5, 0.95, 0.99)]
        return (
            f"{endpoint:<7} {len(values):>6}  p50 {ms[0]:6.1f} ms  p95 {ms[1]:6.1f} ms  p99 {ms[2]:6.1f} ms"
        )


@dataclass(frozen=True)
class Student:
    student_id: int
    telegram_id: int
    bengali: bool


@dataclass(frozen=True)
class Round:
    """One round: the app's peak, the load at a share of it, the app's peak again, the ceiling."""

    peak: Tally
    load: Tally
    after: Tally
    ceiling: Tally

    @property
    def ratio(self) -> float:
        """The app's requests/s (its two peaks' mean) against the ceiling's."""
        return (self.peak.rate() + self.after.rate()) / 2 / self.ceiling.rate()

    def steady(self, tolerance: float) -> bool:
        """Whether the machine held its speed through the load: its peaks before and after agree."""
        return abs(self.after.rate() / self.peak.rate() - 1) <= tolerance

    @property
    def tallies(self) -> tuple[Tally, ...]:
        return (self.peak, self.load, self.after, self.ceiling)


def measured(label: str, phase: Coroutine[Any, Any, Tally], server: int | None = None) -> Tally:
    """Run a phase on uvloop and report it, with how busy the machine's cores were meanwhile and what a
    request cost the machine, by owner (where /proc tells; `server`: the app server's pid)."""
    start = CpuTimes.now(server)
    tally = on_uvloop(phase)
    end = CpuTimes.now(server)
    if start is not None and end is not None:
        tally.cpu = end.per_request(start, tally.requests)
        label = f"{label}, CPU {end.busy_share(start)}, {describe(tally.cpu)}"
    report(label, tally)
    return tally


# ---------------------------------------------------------------------------------------------- setup


async def create_students(count: int, first: int) -> list[Student]:
    """`count` registered students (grades 6, 7, 8 in turn), telegram ids from TELEGRAM_ID_BASE + first."""
    from sqlalchemy import text

    from src import database

    async with database.get_session() as db:
        rows = await db.execute(
            text(
                "INSERT INTO students (telegram_id, name, grade, language) "
                "SELECT CAST(:base AS bigint) + n, 'Bench ' || n, 6 + n % 3, "
                "CASE WHEN n % 2 = 0 THEN 'bn' ELSE 'en' END "
                "FROM generate_series(CAST(:first AS int), CAST(:last AS int)) AS n "
                "RETURNING student_id, telegram_id, language"
            ),
            {"base": TELEGRAM_ID_BASE, "first": first, "last": first + count - 1},
        )
        made = [Student(row.student_id, row.telegram_id, row.language == "bn") for row in rows]
    return sorted(made, key=lambda student: student.telegram_id)


def typed(answer: str, student: Student) -> str:
    return to_bengali_digits(answer) if student.bengali else answer


def auth_header(telegram_id: int) -> str:
    fields = {
        "user": json.dumps({"id": telegram_id, "first_name": "Bench", "language_code": "bn"}),
        "auth_date": str(int(time.time())),
    }
    return f"Authorization: tma {sign_init_data(fields, BOT_TOKEN)}\r\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Served:
    port: int
    pid: int  # uvicorn's own process; its workers are its children


@contextmanager
def serve(
    database_url: str, workers: int, pool_size: int, uvicorn_options: Sequence[str] = ()
) -> Iterator[Served]:
    """The production app under uvicorn with `workers` processes, until the block ends."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DATABASE_POOL_SIZE": str(pool_size),
        "DATABASE_MAX_OVERFLOW": "0",
        "DARS_ENV": "production",
        "SESSION_EXPIRY_INTERVAL_SECONDS": "0",
        "BENCH_BOT_TOKEN": BOT_TOKEN,
    }
    for unset in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_URL", "ANTHROPIC_API_KEY"):
        env.pop(unset, None)
    command = [
        sys.executable, "-m", "uvicorn", "bench.practice_app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log", *uvicorn_options,
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise SystemExit(f"uvicorn exited with {server.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("uvicorn did not start in 60 s") from None
                time.sleep(0.1)
        asyncio.run(_wait_healthy(port, workers))
        yield Served(port, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


async def _wait_healthy(port: int, workers: int) -> None:
    connection = Connection("127.0.0.1", port)
    for _ in range(workers * 20):  # each worker warms its pool on its first requests
        status, _ = await connection.request("GET", "/health")
        if status != 200:
            raise SystemExit(f"GET /health answered {status}")
    await connection.close()


# ------------------------------------------------------------------------------------------ HTTP loop


async def http_student(
    connection: Connection, student: Student, answers: dict[int, str], tally: Tally
) -> None:
    """One student's whole session through the API, on a connection of its own, whose set-up is timed apart
    from the requests: it is the network's and the accept queue's time, not an endpoint's (a phone reaches
    the API through TLS and a load balancer, not a loopback socket)."""
    headers = auth_header(student.telegram_id)
    started = time.perf_counter()
    await connection.open()
    tally.connects.append(time.perf_counter() - started)

    async def call(endpoint: str, path: str, body: Any, expected: int) -> Any:
        started = time.perf_counter()
        status, data = await connection.request("POST", path, body, headers)
        tally.latencies[endpoint].append(time.perf_counter() - started)
        if status != expected:
            raise RuntimeError(f"{endpoint} answered {status}: {data}")
        return data

    session = await call("start", "/sessions/today", None, 201)
    path = f"/sessions/{session['session_id']}"
    for problem in session["problems"]:
        ref = {"problem_id": problem["problem_id"]}
        await call("hint", f"{path}/hints", ref, 200)
        text = typed(answers[problem["problem_id"]], student)
        outcome = await call("answer", f"{path}/answers", {**ref, "answer": text}, 200)
        if not outcome["correct"]:
            raise RuntimeError(f"canonical answer {text!r} judged wrong: {outcome}")
    if not outcome["session_finished"]:
        raise RuntimeError(f"session {session['session_id']} not finished after five answers")
    tally.students += 1


async def closed_loop(
    students: Sequence[Student],
    concurrency: int,
    run_one: Callable[[int, Student, Tally], Awaitable[None]],
) -> Tally:
    """`concurrency` lanes, each running students one after another; the tally of all."""
    tally = Tally()
    queue = list(reversed(students))

    async def lane(number: int) -> None:
        while queue:
            student = queue.pop()
            try:
                await run_one(number, student, tally)
            except Exception as error:
                tally.failures.append(f"student {student.student_id}: {error}")

    started = time.perf_counter()
    await asyncio.gather(*(lane(n) for n in range(concurrency)))
    tally.elapsed = time.perf_counter() - started
    return tally


async def http_peak(
    port: int, students: Sequence[Student], answers: dict[int, str], concurrency: int
) -> Tally:
    """`concurrency` students at a time, back to back. Each student opens its own connection, as each phone
    does: 32 connections held for the whole phase were shared unevenly by the uvicorn workers (whichever
    accepted first kept them), and the peak moved by a third from round to round."""

    async def run_one(lane: int, student: Student, tally: Tally) -> None:
        connection = Connection("127.0.0.1", port)
        try:
            await http_student(connection, student, answers, tally)
        finally:
            await connection.close()

    return await closed_loop(students, concurrency, run_one)


async def http_open_loop(
    port: int, students: Sequence[Student], answers: dict[int, str], sessions_per_second: float, seed: int
) -> Tally:
    """Students arrive as a Poisson process; each opens a connection and does its session."""
    rng = random.Random(seed)
    tally = Tally()
    tasks: list[asyncio.Task[None]] = []

    async def one(student: Student) -> None:
        connection = Connection("127.0.0.1", port)
        try:
            await http_student(connection, student, answers, tally)
        except Exception as error:
            tally.failures.append(f"student {student.student_id}: {error}")
        finally:
            await connection.close()

    started = time.perf_counter()
    due = started
    for student in students:
        due += rng.expovariate(sessions_per_second)
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        tasks.append(asyncio.create_task(one(student)))
    await asyncio.gather(*tasks)
    tally.elapsed = time.perf_counter() - started
    return tally


# ------------------------------------------------------------------------------------- asyncpg ceiling


def _dsn(database_url: str) -> str:
    return database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def raw_student(pool: asyncpg.Pool, student: Student, answers: dict[int, str], tally: Tally) -> None:
    from bench import practice_raw

    started = time.perf_counter()
    session_id, problem_ids = await practice_raw.start(pool, student.telegram_id, datetime.now(UTC))
    tally.latencies["start"].append(time.perf_counter() - started)
    completed = False
    for problem_id in problem_ids:
        started = time.perf_counter()
        await practice_raw.hint(pool, student.telegram_id, session_id, problem_id, datetime.now(UTC))
        tally.latencies["hint"].append(time.perf_counter() - started)
        started = time.perf_counter()
        correct, completed = await practice_raw.answer(
            pool, student.telegram_id, session_id, problem_id, typed(answers[problem_id], student),
            datetime.now(UTC),
        )  # fmt: skip
        tally.latencies["answer"].append(time.perf_counter() - started)
        if not correct:
            raise RuntimeError(f"canonical answer to {problem_id} judged wrong")
    if not completed:
        raise RuntimeError(f"session {session_id} not completed")
    tally.students += 1


@dataclass(frozen=True)
class CeilingShare:
    """What one process of the ceiling runs (picklable, for a spawned process)."""

    database_url: str
    warmup: list[Student]
    students: list[Student]
    answers: dict[int, str]
    concurrency: int


# The ceiling's processes start measuring together, once every one of them is warm: a barrier, given to each
# process as it is made (synchronisation objects cannot travel with a task). A fixed start time, ten seconds
# ahead, was overrun on a slow machine by three processes importing and warming up.
_start_together: Any = None
BARRIER_TIMEOUT_SECONDS = 600.0


def _join_ceiling(barrier: Any) -> None:
    """ProcessPoolExecutor's initializer: keep the shared start barrier."""
    global _start_together
    _start_together = barrier


async def _raw_process(share: CeilingShare) -> Tally:
    try:
        pool = await _warm_pool(share)
    except BaseException:
        _start_together.abort()  # the others stop waiting; this process's error is the one reported
        raise
    try:
        # Blocking the loop is harmless here: this process has nothing else to do until all are warm.
        _start_together.wait(BARRIER_TIMEOUT_SECONDS)
        started = time.time()
        tally = await closed_loop(share.students, share.concurrency, _raw_runner(pool, share.answers))
        tally.elapsed = time.time() - started
        return tally
    finally:
        await pool.close()


async def _warm_pool(share: CeilingShare) -> asyncpg.Pool:
    """A pool as warm as the app's workers are by then: every canonical answer read once (the checker
    caches them), the heap frozen as at the app's start-up, statements prepared on every pooled connection."""
    from bench import practice_raw
    from src.answers.check import check_answer
    from src.api.app import settle_heap

    for answer in share.answers.values():
        check_answer(answer, answer)
    settle_heap()
    pool = await asyncpg.create_pool(
        _dsn(share.database_url),
        min_size=share.concurrency,
        max_size=share.concurrency,
        init=practice_raw.init_connection,
        reset=practice_raw.no_reset,
    )
    try:
        await closed_loop(share.warmup, share.concurrency, _raw_runner(pool, share.answers))
    except BaseException:
        await pool.close()
        raise
    return pool


def _raw_runner(
    pool: asyncpg.Pool, answers: dict[int, str]
) -> Callable[[int, Student, Tally], Awaitable[None]]:
    async def run_one(_: int, student: Student, tally: Tally) -> None:
        await raw_student(pool, student, answers, tally)

    return run_one


def _event_loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - Windows: uvicorn runs on asyncio's loop there too
        return None
    return uvloop.new_event_loop


def raw_process(share: CeilingShare) -> Tally:
    """One process of the ceiling run (a top-level function, so a spawned process can run it)."""
    # On uvloop, as the app's uvicorn workers are: asyncpg is ~10% faster on it, and a ceiling on asyncio's
    # own loop flattered the app by as much.
    tally = on_uvloop(_raw_process(share))
    tally.latencies = dict(tally.latencies)  # picklable
    return tally


def on_uvloop(phase: Coroutine[Any, Any, Tally]) -> Tally:
    """Run a phase on uvloop (asyncio's own loop where there is none). The load generator runs on it too:
    it shares the machine with the server and PostgreSQL, and every microsecond it spends is taken from them
    (~10% less of its CPU than on asyncio's own loop)."""
    with asyncio.Runner(loop_factory=_event_loop_factory()) as runner:
        return runner.run(phase)


def raw_ceiling(
    database_url: str,
    warmup: list[Student],
    students: list[Student],
    answers: dict[int, str],
    concurrency: int,
    processes: int,
) -> Tally:
    """The same transactions on asyncpg in `processes` fresh processes, each warmed up first."""
    shares = [students[n::processes] for n in range(processes)]
    warm_shares = [warmup[n::processes] for n in range(processes)]
    lanes = [concurrency // processes + (n < concurrency % processes) for n in range(processes)]
    total = Tally()
    context = get_context("spawn")
    barrier = context.Barrier(processes)
    # A process waits at the barrier holding its task, so each task gets a process of its own.
    with ProcessPoolExecutor(
        processes, mp_context=context, initializer=_join_ceiling, initargs=(barrier,)
    ) as executor:
        futures = [
            executor.submit(raw_process, CeilingShare(database_url, warm, share, answers, lane))
            for warm, share, lane in zip(warm_shares, shares, lanes, strict=True)
        ]
        failures = [error for future in futures if (error := future.exception()) is not None]
        if failures:
            raise first_cause(failures)
        for future in futures:
            tally = future.result()
            total.merge(tally)
            total.elapsed = max(total.elapsed, tally.elapsed)
    return total


def first_cause(failures: list[BaseException]) -> BaseException:
    """The error of the ceiling process that failed, rather than of those it left waiting at the barrier."""
    return next((error for error in failures if not isinstance(error, BrokenBarrierError)), failures[0])


# ---------------------------------------------------------------------------------------- round trips


class CountingConnection(Connection):
    """An HTTP connection that snapshots the proxy's counters around each request."""

    def __init__(self, port: int, proxy: CountingProxy, endpoint_of: Callable[[str], str]) -> None:
        super().__init__("127.0.0.1", port)
        self.proxy = proxy
        self.endpoint_of = endpoint_of
        self.sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])

    async def request(
        self, method: str, path: str, body: Any | None = None, headers: str = ""
    ) -> tuple[int, Any]:
        before = self.proxy.counts.snapshot()
        result = await super().request(method, path, body, headers)
        await asyncio.sleep(0.005)  # let the proxy read what the server sent after answering (none expected)
        after = self.proxy.counts.snapshot()
        sums = self.sums[self.endpoint_of(path)]
        sums[0] += after[0] - before[0]
        sums[1] += after[1] - before[1]
        sums[2] += 1
        return result


def endpoint_of(path: str) -> str:
    if path.endswith("/hints"):
        return "hint"
    if path.endswith("/answers"):
        return "answer"
    return "start"


def per_request(sums: dict[str, list[int]]) -> dict[str, tuple[float, float]]:
    return {name: (trips / count, statements / count) for name, (trips, statements, count) in sums.items()}


async def app_round_trips(
    proxy: CountingProxy, port: int, students: Sequence[Student], answers: dict[int, str]
) -> dict[str, tuple[float, float]]:
    connection = CountingConnection(port, proxy, endpoint_of)
    tally = Tally()
    for student in students:
        await http_student(connection, student, answers, tally)
    await connection.close()
    return per_request(connection.sums)


async def raw_round_trips(
    proxy_url: str, proxy: CountingProxy, students: Sequence[Student], answers: dict[int, str]
) -> dict[str, tuple[float, float]]:
    from bench import practice_raw

    pool = await asyncpg.create_pool(
        _dsn(proxy_url),
        min_size=1,
        max_size=1,
        init=practice_raw.init_connection,
        reset=practice_raw.no_reset,
    )
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])

    class Measured:
        """Wraps practice_raw's functions with counter snapshots."""

        def __getattr__(self, name: str) -> Any:
            function = getattr(practice_raw, name)

            async def wrapped(*args: Any) -> Any:
                before = proxy.counts.snapshot()
                result = await function(*args)
                await asyncio.sleep(0.005)
                after = proxy.counts.snapshot()
                entry = sums[name]
                entry[0] += after[0] - before[0]
                entry[1] += after[1] - before[1]
                entry[2] += 1
                return result

            return wrapped

    try:
        for student in students:
            measured = Measured()
            session_id, problem_ids = await measured.start(pool, student.telegram_id, datetime.now(UTC))
            for problem_id in problem_ids:
                await measured.hint(pool, student.telegram_id, session_id, problem_id, datetime.now(UTC))
                await measured.answer(
                    pool, student.telegram_id, session_id, problem_id, typed(answers[problem_id], student),
                    datetime.now(UTC),
                )  # fmt: skip
    finally:
        await pool.close()
    return per_request(sums)


# ------------------------------------------------------------------------------------------- checking


async def check_database(students: int) -> list[str]:
    """Every simulated student's session completed, with 5 answers and 5 hints: a list of what is not so."""
    from sqlalchemy import text

    from src import database

    async with database.get_session() as db:
        row = (
            await db.execute(
                text(
                    "SELECT (SELECT count(*) FROM sessions WHERE status = 'completed') AS completed, "
                    "(SELECT count(*) FROM sessions) AS sessions, "
                    "(SELECT count(*) FROM responses) AS responses, "
                    "(SELECT count(*) FROM hint_views) AS hints, "
                    "(SELECT count(*) FROM streaks WHERE current_streak = 1) AS streaks"
                )
            )
        ).one()
    expected = {"completed": students, "sessions": students, "responses": 5 * students}
    expected |= {"hints": 5 * students, "streaks": students}
    return [
        f"{name}: {getattr(row, name)} in the database, {value} expected"
        for name, value in expected.items()
        if getattr(row, name) != value
    ]


# ----------------------------------------------------------------------------------------------- main


def report(label: str, tally: Tally) -> None:
    answers = len(tally.latencies["answer"])
    print(
        f"{label}: {tally.students} sessions in {tally.elapsed:.1f} s — "
        f"{answers / tally.elapsed:.0f} answers/s, "
        f"{tally.students / tally.elapsed:.1f} sessions/s, {tally.rate():.0f} requests/s"
    )
    for endpoint in ENDPOINTS:
        print("    " + tally.line(endpoint))
    if tally.connects:
        print("    " + tally.line("connect"))
    for failure in tally.failures[:5]:
        print(f"    FAILED {failure}")
    if len(tally.failures) > 5:
        print(f"    … {len(tally.failures) - 5} more failures")


def trips_table(app: dict[str, tuple[float, float]], raw: dict[str, tuple[float, float]]) -> None:
    print("database round trips (statements) per request, one request at a time:")
    for endpoint in ENDPOINTS:
        a, r = app.get(endpoint, (0, 0)), raw.get(endpoint, (0, 0))
        print(f"    {endpoint:<7} app {a[0]:5.1f} ({a[1]:4.1f})    asyncpg {r[0]:5.1f} ({r[1]:4.1f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=320, help="sessions in each throughput phase")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of (HTTP peak, 80%% load, asyncpg ceiling)"
    )
    parser.add_argument("--concurrency", type=int, default=32, help="students in flight at once at peak")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes (and raw processes)")
    parser.add_argument("--load", type=float, default=0.8, help="open-loop load as a share of the peak")
    parser.add_argument(
        "--steadiness",
        type=float,
        default=0.10,
        help="a round is steady if its peaks before and after the load differ by at most this share",
    )
    args = parse_arguments(parser, argv)
    if args.workers < 1 or args.concurrency < args.workers:
        parser.error("--concurrency must be at least --workers (each ceiling process runs one lane or more)")
    trip_students = 20
    per_round = [args.students, 2 * args.students, args.students, args.concurrency, 3 * args.students]
    with tempfile.TemporaryDirectory(prefix="dars-bench-") as scratch:
        url = prepare_database(args.database_url, Path(scratch), 4, keep=args.keep_database)

        async def setup() -> tuple[dict[int, str], list[list[Student]]]:
            from src import database

            problems = await load_problems()
            # app warm-up; each round: app peak, 80% load, app peak again, ceiling warm-up, ceiling; round
            # trips. The ceiling runs three times the sessions, so both phases last about as long (~6 s).
            rounds = per_round * args.rounds
            # The app speeds up over its first ~1 000 sessions (454 → ~620 requests/s in eight phases on a
            # quiet machine): its warm-up runs that long, so the rounds measure the steady state.
            app_warmup = 4 * max(args.concurrency, args.students)
            sizes = [app_warmup, *rounds, trip_students]
            groups, first = [], 0
            for size in sizes:
                groups.append(await create_students(size, first))
                first += size
            await database.dispose_engine()
            return {problem.id: problem.answer for problem in problems}, groups

        answers, (warmup, *phase_groups, trip_group) = asyncio.run(setup())
        per_worker_pool = max(2, -(-args.concurrency // args.workers) + 1)
        print(
            f"practice benchmark: {args.workers} uvicorn worker(s), {args.concurrency} students in flight, "
            f"{args.students} sessions a phase, {args.rounds} rounds, pool {per_worker_pool} a worker, "
            f"PostgreSQL {'at --database-url' if args.database_url else 'embedded'}"
        )
        rounds_run: list[Round] = []
        with serve(url, args.workers, per_worker_pool) as server:
            port = server.port
            step = max(args.concurrency, args.students)
            warm_rates = [
                on_uvloop(http_peak(port, warmup[at : at + step], answers, args.concurrency)).rate()
                for at in range(0, len(warmup), step)
            ]
            print(f"warm-up: {', '.join(f'{rate:.0f}' for rate in warm_rates)} requests/s, phase after phase")
            # Peak, load and ceiling alternate, round after round: this machine's speed drifts by a third
            # over minutes, so each round's ratio compares phases run moments apart, and each round's 80%
            # load is 80% of the peak measured just before it, not of a peak from minutes earlier. A second
            # peak right after the load tells whether the machine held its speed meanwhile: when it did not,
            # the load ran at more (or less) than 80% of what the machine could then do.
            for number in range(1, args.rounds + 1):
                groups = phase_groups[len(per_round) * (number - 1) : len(per_round) * number]
                peak_group, load_group, after_group, raw_warmup, raw_group = groups
                peak = measured(
                    f"round {number}, HTTP peak",
                    http_peak(port, peak_group, answers, args.concurrency),
                    server.pid,
                )
                rate = args.load * peak.students / peak.elapsed
                # How busy the cores were is what the p99 follows: when the machine slowed after the peak,
                # "80% of it" kept them busier than 80%.
                loaded = measured(
                    f"round {number}, HTTP at {args.load:.0%} of it ({rate:.1f} sessions/s arriving)",
                    http_open_loop(port, load_group, answers, rate, args.seed + number - 1),
                    server.pid,
                )
                after = measured(
                    f"round {number}, HTTP peak again",
                    http_peak(port, after_group, answers, args.concurrency),
                    server.pid,
                )
                raw = raw_ceiling(url, raw_warmup, raw_group, answers, args.concurrency, args.workers)
                report(f"round {number}, asyncpg ceiling", raw)
                this = Round(peak, loaded, after, raw)
                rounds_run.append(this)
                print(
                    f"round {number}, app / ceiling: {this.ratio:.0%} of the requests/s; peaks "
                    f"{peak.rate():.0f} → {after.rate():.0f} requests/s: "
                    + ("steady" if this.steady(args.steadiness) else "the machine changed speed")
                )
        ratios = sorted(r.ratio for r in rounds_run)
        print(
            f"app / ceiling: median {statistics.median(ratios):.0%} of the requests/s "
            f"(rounds: {', '.join(f'{ratio:.0%}' for ratio in ratios)})"
        )
        steady = [r for r in rounds_run if r.steady(args.steadiness)]
        print(
            f"{len(steady)} of {len(rounds_run)} rounds steady (peaks before and after the load within "
            f"{args.steadiness:.0%})"
        )
        for endpoint in (*ENDPOINTS, "connect"):
            for label, chosen in (("all rounds", rounds_run), ("steady rounds only", steady)):
                if not chosen:
                    continue
                p99s = [1000 * percentile(sorted(r.load.values(endpoint)), 0.99) for r in chosen]
                print(
                    f"p99 {endpoint} at {args.load:.0%} of peak, {label}: median "
                    f"{statistics.median(p99s):.0f} ms ({', '.join(f'{value:.0f}' for value in p99s)} ms)"
                )
        if all(r.load.cpu for r in rounds_run):
            # The p99 follows what a request costs the machine, which drifts with the machine's speed: the
            # multiple is what the code and the load decide, the milliseconds what the machine did.
            costs = [sum(r.load.cpu.values()) for r in rounds_run]
            multiples = [
                1000 * percentile(sorted(r.load.values("answer")), 0.99) / c
                for r, c in zip(rounds_run, costs, strict=True)
            ]
            print(
                f"machine CPU a request at {args.load:.0%} of peak, by round: "
                f"{', '.join(f'{cost:.2f}' for cost in costs)} ms; p99 answer as a multiple of it: "
                f"{', '.join(f'{multiple:.0f}' for multiple in multiples)}"
            )
        app_trips, raw_trips = asyncio.run(round_trips_phase(url, trip_group, answers))
        trips_table(app_trips, raw_trips)

        async def verify() -> list[str]:
            from src import database

            try:
                return await check_database(sum(len(g) for g in (warmup, *phase_groups, trip_group)))
            finally:
                await database.dispose_engine()

        problems = asyncio.run(verify())
        failures = sum(len(tally.failures) for r in rounds_run for tally in r.tallies)
        print(f"database check: {'all sessions complete' if not problems else '; '.join(problems)}")
        return 1 if problems or failures else 0


async def round_trips_phase(
    database_url: str, students: list[Student], answers: dict[int, str]
) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float]]]:
    """App (one worker, through the proxy) and raw round trips, each on half of `students`."""
    proxy = CountingProxy(upstream_of(database_url))
    await proxy.start()
    proxy_url = through(database_url, proxy.port)
    half = len(students) // 2
    try:
        loop = asyncio.get_running_loop()
        server = await loop.run_in_executor(None, _start_counting_server, proxy_url)
        try:
            app = await app_round_trips(proxy, server[1], students[:half], answers)
        finally:
            await loop.run_in_executor(None, server[0].__exit__, None, None, None)
        raw = await raw_round_trips(proxy_url, proxy, students[half:], answers)
    finally:
        await proxy.stop()
    return app, raw


def _start_counting_server(proxy_url: str) -> tuple[Any, int]:
    manager = serve(proxy_url, 1, 2)
    return manager, manager.__enter__().port


if __name__ == "__main__":
    sys.exit(main())
