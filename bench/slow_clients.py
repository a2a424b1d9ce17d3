"""Slow and idle clients: do 500 connections that hold a worker's sockets stop it answering other students?

One uvicorn worker (the worst case: every bad connection on the worker that serves the students), with the
limits `dars serve` sets (DARS_LIMIT_CONCURRENCY, DARS_TIMEOUT_KEEP_ALIVE_SECONDS, and the app's
DARS_BODY_TIMEOUT_SECONDS), on 127.0.0.1 only. Phases:

1. baseline: `--students` practise (start, 5 × hint + answer) `--concurrency` at a time, while GET /health
   is asked every 50 ms; latency per endpoint.
2. under attack: the same, with `--bad` bad connections held open for at least `--hold` seconds, a
   quarter of each kind: idle (connect, send nothing), slow-loris (a request's headers one byte a second,
   never finished), slow body (headers with Content-Length: 1000, then a byte a second), never reading
   (three requests for /openapi.json, ~40 KB each, sent at once, the answers never read: the server's
   writes to it stall). Reported: the same latencies, failures, and what the server did with the bad
   connections (closed it, or answered 408, or still held it at the end).

    .venv/bin/python -m bench.slow_clients                   # 500 bad connections, ~1 minute
    .venv/bin/python -m bench.slow_clients --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import load_problems, parse_arguments, prepare_database
from bench.http_client import Connection
from bench.practice_bench import Student, Tally, closed_loop, create_students, http_student, serve
from src.config import get_settings

HEALTH_EVERY_SECONDS = 0.05


@dataclass
class BadTally:
    kinds: Counter[str] = field(default_factory=Counter)  # kind -> connections opened
    outcomes: Counter[str] = field(default_factory=Counter)  # "kind: what the server did" -> count


_TRICKLE = {  # what a slow client sends a byte a second, after its opening
    "slow-loris": b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 1000,
    "slow body": b"{" * 1000,
}
_OPENING = {
    # Three requests for the largest answer there is (~40 KB each): more than the socket buffers hold, so
    # the server's writes to this client stall.
    "never reading": b"GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n" * 3,
    "slow body": b"POST /students HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b"Content-Length: 1000\r\n\r\n",
}


async def _bad_connection(port: int, kind: str, stop: asyncio.Event, tally: BadTally) -> None:
    tally.kinds[kind] += 1
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError as error:
        tally.outcomes[f"{kind}: could not connect ({type(error).__name__})"] += 1
        return
    outcome = "held open to the end"
    trickle = _TRICKLE.get(kind, b"")
    try:
        writer.write(_OPENING.get(kind, b""))
        await writer.drain()
        for index in range(10_000):
            if index < len(trickle):
                writer.write(trickle[index : index + 1])
                await writer.drain()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(1.0):
                    await stop.wait()
            if stop.is_set():
                break
            if kind != "never reading" and await _closed(reader):  # that one never reads
                outcome = "closed by the server"
                break
    except (ConnectionError, OSError):
        outcome = "closed by the server"
    tally.outcomes[f"{kind}: {outcome}"] += 1
    writer.transport.abort()


async def _closed(reader: asyncio.StreamReader) -> bool:
    """Has the server closed (reading what it sent, without waiting)? A 408 answer counts as sent."""
    while True:
        try:
            async with asyncio.timeout(0.001):
                data = await reader.read(65536)
        except TimeoutError:
            return False
        if data == b"":
            return True
        if data.startswith(b"HTTP/1.1 408"):
            return True


async def _health_probe(port: int, stop: asyncio.Event, tally: Tally) -> None:
    connection = Connection("127.0.0.1", port)
    while not stop.is_set():
        started = time.perf_counter()
        try:
            status, _ = await connection.request("GET", "/health")
            tally.latencies["health"].append(time.perf_counter() - started)
            if status != 200:
                tally.failures.append(f"/health answered {status}")
        except Exception as error:
            tally.failures.append(f"/health: {error!r}")
            await connection.close()
        await asyncio.sleep(HEALTH_EVERY_SECONDS)
    await connection.close()


async def phase(
    port: int, students: list[Student], answers: dict[int, str], concurrency: int, bad: int, hold: float = 0
) -> tuple[Tally, BadTally]:
    stop = asyncio.Event()
    bad_tally = BadTally()
    kinds = ["idle", "slow-loris", "slow body", "never reading"]
    holders = [asyncio.create_task(_bad_connection(port, kinds[i % 4], stop, bad_tally)) for i in range(bad)]
    await asyncio.sleep(3.0 if bad else 0)  # all connected, their requests read, before the students come
    health = Tally()
    probe = asyncio.create_task(_health_probe(port, stop, health))

    async def run_one(lane: int, student: Student, tally: Tally) -> None:
        connection = Connection("127.0.0.1", port)
        try:
            await http_student(connection, student, answers, tally)
        finally:
            await connection.close()

    opened = time.monotonic()
    tally = await closed_loop(students, concurrency, run_one)
    # Held past the body timeout and the keep-alive timeout, with /health still asked, so that both act.
    await asyncio.sleep(max(0.0, hold - (time.monotonic() - opened)) if bad else 0)
    stop.set()
    await probe
    await asyncio.gather(*holders)
    tally.latencies["health"] = health.latencies["health"]
    tally.failures += health.failures
    return tally, bad_tally


async def _warm(port: int) -> None:
    """FastAPI builds the OpenAPI schema on its first request (~1 s of the worker): before, not during."""
    connection = Connection("127.0.0.1", port)
    await connection.request("GET", "/openapi.json")
    await connection.close()


def report(label: str, tally: Tally) -> None:
    print(f"{label}: {tally.students} sessions in {tally.elapsed:.1f} s, {len(tally.failures)} failures")
    for endpoint in ("start", "hint", "answer", "health"):
        print("  " + tally.line(endpoint))
    for failure in tally.failures[:5]:
        print(f"  failure: {failure}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=40, help="sessions per phase")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--bad", type=int, default=500, help="bad connections in the second phase")
    parser.add_argument("--hold", type=float, default=15.0, help="seconds the bad connections are held")
    args = parse_arguments(parser, argv)
    settings = get_settings()
    options = [
        "--limit-concurrency", str(settings.dars_limit_concurrency),
        "--timeout-keep-alive", str(settings.dars_timeout_keep_alive_seconds),
    ]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="dars-bench-") as scratch:
        url = prepare_database(args.database_url, Path(scratch), 10, keep=args.keep_database)

        async def setup() -> tuple[list[Student], dict[int, str]]:
            from src import database

            problems = await load_problems()
            students = await create_students(2 * args.students, 0)
            await database.dispose_engine()
            return students, {p.id: p.answer for p in problems}

        students, answers = asyncio.run(setup())
        with serve(url, 1, 10, options) as served:
            asyncio.run(_warm(served.port))
            body_timeout = settings.dars_body_timeout_seconds
            print(f"uvicorn, 1 worker: {' '.join(options)}; body timeout {body_timeout:g} s")
            baseline, _ = asyncio.run(
                phase(served.port, students[: args.students], answers, args.concurrency, 0)
            )
            attacked, bad = asyncio.run(
                phase(served.port, students[args.students :], answers, args.concurrency, args.bad, args.hold)
            )
    report("baseline", baseline)
    report(f"with {args.bad} bad connections", attacked)
    print("bad connections: " + ", ".join(f"{kind} {count}" for kind, count in sorted(bad.kinds.items())))
    for outcome, count in sorted(bad.outcomes.items()):
        print(f"  {outcome}: {count}")
    return 1 if baseline.failures or attacked.failures else 0


if __name__ == "__main__":
    sys.exit(main())
