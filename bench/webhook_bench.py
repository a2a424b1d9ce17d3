"""Telegram webhook throughput: updates per second end to end through POST /telegram/webhook.

Two modes.

In process (the default): N simulated students each register (/start, name, grade button, language
button), practise today's five problems (answers right or wrong, typed hint requests, the occasional skip)
and ask for their streak, through the real FastAPI app in this process (httpx's ASGI transport, or
`--uvicorn` on 127.0.0.1), its real PTB Bot talking to the in-process fake Bot API (`src/bot/fake.py`).

    .venv/bin/python -m bench.webhook_bench                        # 200 students, 32 chats at once
    .venv/bin/python -m bench.webhook_bench --uvicorn --latency 0.05   # real HTTP, a slower Bot API

Beside the HTTP path (`--beside-http`), in production settings, on one fresh database:
1. the HTTP practice loop's peak, as `bench.practice_bench` runs it (uvicorn, 2 workers, 32 students in
   flight, 11 requests a session), after a warm-up;
2. the webhook's peak: the production app (`src.api.app.create_app()`, production pacing, settings from
   the environment) under uvicorn with 2 worker processes, Telegram's side played by this process: the
   fake Bot API served on a local port (`TELEGRAM_API_BASE_URL`), answering after `--latency` (50 ms),
   and `--concurrency` (256) returning students' chats in flight, each doing today's session from
   /practice to its summary, one update at a time as Telegram sends them (10% delivered twice);
3. the HTTP peak again (this machine's speed drifts: the ratio uses the mean of the two).

    .venv/bin/python -m bench.webhook_bench --beside-http
    .venv/bin/python -m bench.webhook_bench --beside-http --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres

It prints updates/s, p50/p95/p99, `messages per session: S sends, M in all` (returning students' daily
sessions: sendMessage, and sendMessage + edits), whether every update was handled exactly once, and last
`bot/http: NN% of the HTTP path's requests/s`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import func, select, text
from telegram.request import HTTPXRequest

from bench.common import load_problems, parse_arguments, prepare_database
from src import database
from src.config import get_settings
from src.costs.report import percentile
from src.models import Response, Session, SessionStatus, Student, TelegramUpdate

SECRET = "bench-webhook-secret"
BOT_TOKEN = "123456:bench-token"
WRONG = "99991"
BOT_STUDENT_BASE = 800_000_000
MESSAGE_METHODS = ("sendMessage", "editMessageText", "editMessageReplyMarkup")

Post = Callable[[dict[str, Any]], Awaitable[int]]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    duplicate_latencies: list[float] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    failures: int = 0
    unique_updates: set[int] = field(default_factory=set)
    sessions: int = 0
    elapsed: float = 0.0

    def pct(self, q: float) -> float:
        return 1000 * percentile(sorted(self.latencies), q)


async def question_answers() -> dict[str, str]:
    """Load the real library; map every question (both languages) to its canonical answer."""
    answers: dict[str, str] = {}
    for problem in await load_problems():
        answers[problem.question_en.strip()] = problem.answer
        answers[problem.question_bn.strip()] = problem.answer
    return answers


def question_of(card: str) -> str:
    """The question in a problem's message: the paragraph after its "📝" heading."""
    paragraphs = card.split("\n\n")
    at = next(n for n, part in enumerate(paragraphs) if part.startswith("📝"))
    return paragraphs[at + 1].strip()


class SimStudent:
    def __init__(self, number: int, rng: random.Random, post: Post, tally: Tally, duplicates: float):
        from src.bot.fake import FakeStudent

        self.fake = FakeStudent(BOT_STUDENT_BASE + number, first_name=f"Student{number}")
        self.rng = rng
        self._post = post
        self.tally = tally
        self.duplicates = duplicates

    async def post(self, kind: str, update: dict[str, Any]) -> None:
        started = time.perf_counter()
        status = await self._post(update)
        self.tally.latencies.append(time.perf_counter() - started)
        self.tally.kinds[kind] += 1
        self.tally.unique_updates.add(update["update_id"])
        for _ in range(3):  # Telegram delivers an update again after any answer but 2xx
            if status == 200:
                break
            self.tally.failures += 1
            await asyncio.sleep(1.0)
            status = await self._post(update)
        if self.rng.random() < self.duplicates:  # Telegram redelivers: must change nothing
            started = time.perf_counter()
            again = await self._post(update)
            self.tally.duplicate_latencies.append(time.perf_counter() - started)
            if again != 200:
                self.tally.failures += 1


async def register(student: SimStudent, fake_api: Any) -> str:
    """/start, the name, the class and language buttons; returns the language chosen."""
    chat = student.fake.chat_id
    language = "bn" if student.rng.random() < 0.7 else "en"

    async def press(data: str) -> None:
        shown = fake_api.last_with_buttons(chat)
        await student.post("button", student.fake.press(data, message_id=shown.message_id or 1))

    await student.post("command", student.fake.message("/start"))
    await student.post("text", student.fake.message(student.fake.first_name))
    await press(f"g:{student.rng.choice((6, 7, 8))}")
    await press(f"l:{language}")
    return language


async def practise(student: SimStudent, fake_api: Any, answers: dict[str, str], language: str) -> None:
    """Today's five problems: 60% right answers, 28% wrong ones, 8% typed hint requests, 4% Skip presses,
    until the summary comes."""
    chat = student.fake.chat_id
    await student.post("command", student.fake.message("/practice"))
    for _ in range(40):  # five problems, three attempts each, hints: never more than ~30 updates
        if "🏁" in fake_api.last(chat).text:
            student.tally.sessions += 1
            return
        problem = fake_api.last_with_buttons(chat)
        answer = answers.get(question_of(problem.text), WRONG)
        roll = student.rng.random()
        if roll < 0.08:
            await student.post("text", student.fake.message("hint" if language == "en" else "ইঙ্গিত"))
        elif roll < 0.12:
            skip = next(data for _, data in problem.buttons if data.startswith("s:"))
            await student.post("button", student.fake.press(skip, message_id=problem.message_id or 1))
        elif roll < 0.40:
            await student.post("answer", student.fake.message(WRONG))
        else:
            await student.post("answer", student.fake.message(answer))


def messages_per_session(fake_api: Any, chats: list[int]) -> tuple[float, float]:
    """Mean sendMessage calls, and message calls in all (sends and edits), per chat."""
    sends = [len(fake_api.sent(chat)) for chat in chats]
    every = [sum(len(fake_api.sent(chat, method)) for method in MESSAGE_METHODS) for chat in chats]
    return statistics.mean(sends), statistics.mean(every)


# ------------------------------------------------------------------------------------- in-process mode


async def serve_uvicorn(app: Any) -> tuple[Any, asyncio.Task[None], int]:
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    for _ in range(1000):  # uvicorn offers no event to wait on
        if server.started:
            break
        await asyncio.sleep(0.01)
    return server, task, port


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def bench(args: argparse.Namespace) -> None:
    from src.api.app import create_app
    from src.bot.fake import FakeBotApi
    from src.bot.webhook import BotOverrides

    answers = await question_answers()
    fake = FakeBotApi(latency=args.latency)
    settings = get_settings().model_copy(
        update={
            "telegram_bot_token": SecretStr(BOT_TOKEN),
            "telegram_webhook_url": "https://dars.example.com/telegram/webhook",
            "telegram_webhook_secret": SecretStr(SECRET),
            "dars_telegram_reply_cap": args.reply_cap,
        }
    )
    request = HTTPXRequest(
        connection_pool_size=args.concurrency * 2, httpx_kwargs={"transport": fake.transport()}
    )
    app = create_app(expiry_interval_seconds=0)
    app.state.telegram_overrides = BotOverrides(settings=settings, request=request, reminders=False)
    tally = Tally()
    rng = random.Random(args.seed)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with app.router.lifespan_context(app):
        server = task = None
        if args.uvicorn:
            server, task, port = await serve_uvicorn(app)
            base_url = f"http://127.0.0.1:{port}"
            transport: httpx.AsyncBaseTransport = httpx.AsyncHTTPTransport(
                limits=httpx.Limits(max_connections=args.concurrency)
            )
        else:
            base_url, transport = "http://bench", httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url, timeout=120) as client:
            gate = asyncio.Semaphore(args.concurrency)

            async def post(update: dict[str, Any]) -> int:
                return (await client.post("/telegram/webhook", json=update, headers=headers)).status_code

            async def one(number: int) -> None:
                async with gate:
                    student = SimStudent(number, random.Random(rng.random()), post, tally, args.duplicates)
                    language = await register(student, fake)
                    await practise(student, fake, answers, language)
                    await student.post("command", student.fake.message("/streak"))

            fake.clear()
            started = time.perf_counter()
            await asyncio.gather(*(one(n) for n in range(args.students)))
            tally.elapsed = time.perf_counter() - started
        if server is not None and task is not None:
            server.should_exit = True
            await task
    await report(args, tally, fake)


async def report(args: argparse.Namespace, tally: Tally, fake: Any) -> None:
    async with database.get_session() as db:
        seen = (await db.execute(select(func.count()).select_from(TelegramUpdate))).scalar_one()
        students = (await db.execute(select(func.count()).select_from(Student))).scalar_one()
        completed = (
            await db.execute(
                select(func.count()).select_from(Session).where(Session.status == SessionStatus.COMPLETED)
            )
        ).scalar_one()
        responses = (await db.execute(select(func.count()).select_from(Response))).scalar_one()
    latencies = sorted(tally.latencies)
    total = len(latencies) + len(tally.duplicate_latencies)
    methods = Counter(call.method for call in fake.calls)
    messages = sum(methods[method] for method in MESSAGE_METHODS)
    elapsed = tally.elapsed
    print(
        f"webhook benchmark: {args.students} students, {args.concurrency} chats at once, "
        f"{'uvicorn over TCP' if args.uvicorn else 'in-process ASGI'}, "
        f"Bot API latency {args.latency * 1000:.0f} ms, "
        f"reply cap {args.reply_cap or 'off'}, duplicates {args.duplicates:.0%}"
    )
    print(
        f"  updates        {len(latencies)} unique + {len(tally.duplicate_latencies)} redelivered "
        f"in {elapsed:.1f} s"
    )
    print(f"  throughput     {total / elapsed:.0f} updates/s ({len(latencies) / elapsed:.0f} unique/s)")
    print(
        f"  latency        p50 {tally.pct(0.5):.1f} ms  p95 {tally.pct(0.95):.1f} ms  "
        f"p99 {tally.pct(0.99):.1f} ms  max {1000 * latencies[-1]:.1f} ms"
    )
    if tally.duplicate_latencies:
        print(
            f"  redelivery     p50 {1000 * statistics.median(tally.duplicate_latencies):.1f} ms "
            "(skipped by update_id)"
        )
    print(f"  Bot API calls  {dict(methods)}  ({messages / elapsed:.1f} messages/s)")
    print(f"  by kind        {dict(tally.kinds)}")
    print(
        f"  database       {seen} updates recorded, {students} students, {completed} sessions completed, "
        f"{responses} answers; non-200 answers: {tally.failures}"
    )
    exact = seen == len(tally.unique_updates) and tally.failures == 0
    print(f"  exactly once   {'yes' if exact else 'NO'}")


# -------------------------------------------------------------------------------- beside the HTTP path


def create_bot_app() -> FastAPI:
    """The production app as `uvicorn bench.webhook_bench:create_bot_app --factory --workers 2` serves it:
    settings from the environment, the bot in webhook mode on the fake Bot API; reminders off (the run's
    students are not waiting for any)."""
    from src.api.app import create_app
    from src.bot.webhook import BotOverrides

    app = create_app()
    app.state.telegram_overrides = BotOverrides(reminders=False)
    return app


class FakeBotApiServer:
    """The fake Bot API as an HTTP server on 127.0.0.1 (an ASGI app under uvicorn, in this process)."""

    def __init__(self, fake: Any) -> None:
        self.fake = fake

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = [(key.decode("latin-1"), value.decode("latin-1")) for key, value in scope["headers"]]
        request = httpx.Request(scope["method"], f"http://fake{scope['path']}", headers=headers, content=body)
        response = await self.fake.handle(request)
        start = {"type": "http.response.start", "status": response.status_code}
        await send(start | {"headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": response.content})


@asynccontextmanager
async def serve_bot(database_url: str, workers: int, pool_size: int, bot_api: str) -> AsyncIterator[Any]:
    """The production app with the bot in webhook mode under uvicorn with `workers` processes. Waits without
    blocking the event loop: the fake Bot API runs on it, and each worker calls getMe on start."""
    from bench.practice_bench import Served

    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DATABASE_POOL_SIZE": str(pool_size),
        "DATABASE_MAX_OVERFLOW": "0",
        "DARS_ENV": "production",
        "SESSION_EXPIRY_INTERVAL_SECONDS": "0",
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_WEBHOOK_URL": "https://dars.example.com/telegram/webhook",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE_URL": bot_api,
    }
    env.pop("ANTHROPIC_API_KEY", None)
    command = [
        sys.executable, "-m", "uvicorn", "bench.webhook_bench:create_bot_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    server = await asyncio.create_subprocess_exec(*command, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.returncode is not None:
                raise SystemExit(f"uvicorn exited with {server.returncode}")
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("uvicorn did not start in 60 s") from None
                await asyncio.sleep(0.1)
        yield Served(port, server.pid)
    finally:
        server.terminate()
        await asyncio.wait_for(server.wait(), timeout=30)


async def create_bot_students(count: int) -> None:
    """`count` returning students: registered (grades 6, 7, 8 in turn; 70% Bengali), each with the chat
    the bot already has with them."""
    async with database.get_session() as db:
        await db.execute(
            text(
                "INSERT INTO students (telegram_id, name, grade, language) "
                "SELECT CAST(:base AS bigint) + n, 'Student' || n, 6 + n % 3, "
                "CASE WHEN n % 10 < 7 THEN 'bn' ELSE 'en' END FROM generate_series(0, :last) AS n"
            ),
            {"base": BOT_STUDENT_BASE, "last": count - 1},
        )
        await db.execute(
            text(
                "INSERT INTO bot_chats (chat_id, telegram_user_id, student_id, language) "
                "SELECT telegram_id, telegram_id, student_id, language FROM students "
                "WHERE telegram_id >= :base"
            ),
            {"base": BOT_STUDENT_BASE},
        )


async def bot_phase(
    port: int, fake: Any, answers: dict[str, str], numbers: range, concurrency: int, seed: int
) -> Tally:
    """`concurrency` chats in flight, each a returning student doing today's session, one update at a
    time; each student on a connection of its own (Telegram's connections are its own business)."""
    from bench.http_client import Connection

    tally = Tally()
    rng = random.Random(seed)
    queue = list(reversed(numbers))
    headers = f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\n"

    def poster(connection: Connection) -> Post:
        async def post(update: dict[str, Any]) -> int:
            status, _ = await connection.request("POST", "/telegram/webhook", update, headers)
            return status

        return post

    async def lane() -> None:
        while queue:
            number = queue.pop()
            connection = Connection("127.0.0.1", port)
            post = poster(connection)
            student = SimStudent(number, random.Random(rng.random()), post, tally, 0.1)
            language = "bn" if number % 10 < 7 else "en"
            try:
                await practise(student, fake, answers, language)
            except Exception as error:  # counted, and the run goes on
                tally.failures += 1
                print(f"student {number}: {error!r}")
            finally:
                await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(lane() for _ in range(concurrency)))
    tally.elapsed = time.perf_counter() - started
    return tally


async def run_bot_side(
    args: argparse.Namespace, url: str, pool: int, answers: dict[str, str], warm: range, measured: range
) -> tuple[Tally, Tally, Any]:
    import uvicorn

    from src.bot.fake import FakeBotApi

    fake = FakeBotApi(latency=args.latency)
    api_port = free_port()
    api = uvicorn.Server(
        uvicorn.Config(
            FakeBotApiServer(fake), host="127.0.0.1", port=api_port, log_level="warning", lifespan="off"
        )
    )
    api_task = asyncio.create_task(api.serve())
    for _ in range(1000):  # uvicorn offers no event to wait on
        if api.started:
            break
        await asyncio.sleep(0.01)
    loop = asyncio.get_running_loop()
    try:
        async with serve_bot(url, args.workers, pool, f"http://127.0.0.1:{api_port}") as served:
            for _ in range(1200):  # every worker called setWebhook: the bot is on in each
                if len(fake.sent(method="setWebhook")) >= args.workers:
                    break
                await asyncio.sleep(0.05)
            else:
                raise SystemExit("the bot did not start in every worker within 60 s")
            await asyncio.sleep(0.5)
            warm_tally = await bot_phase(served.port, fake, answers, warm, args.concurrency, args.seed)
            fake.clear()
            from bench.machine_cpu import CpuTimes

            cpu_start = await loop.run_in_executor(None, CpuTimes.now, served.pid)
            peak = await bot_phase(served.port, fake, answers, measured, args.concurrency, args.seed + 1)
            cpu_end = await loop.run_in_executor(None, CpuTimes.now, served.pid)
            if cpu_start is not None and cpu_end is not None:
                from bench.machine_cpu import describe

                count = len(peak.latencies) + len(peak.duplicate_latencies)
                per_update = describe(cpu_end.per_request(cpu_start, count))
                print(f"  webhook peak: CPU {cpu_end.busy_share(cpu_start)}, {per_update}")
    finally:
        api.should_exit = True
        await api_task
    return warm_tally, peak, fake


def beside_http(args: argparse.Namespace) -> int:
    from bench.practice_bench import create_students, http_peak, on_uvloop, serve

    workers, http_concurrency, http_students = 2, 32, 192
    pool = max(2, -(-http_concurrency // workers) + 1)
    warm_bot = 128
    with tempfile.TemporaryDirectory(prefix="dars-bench-") as scratch:
        url = prepare_database(args.database_url, Path(scratch), 4, keep=args.keep_database)

        async def setup() -> tuple[dict[str, str], dict[int, str], list[list[Any]]]:
            problems = await load_problems()
            by_question = {p.question_en.strip(): p.answer for p in problems}
            by_question |= {p.question_bn.strip(): p.answer for p in problems}
            groups, first = [], 0
            for size in (2 * http_students, http_students, http_students):  # warm-up, peak, peak again
                groups.append(await create_students(size, first))
                first += size
            await create_bot_students(warm_bot + args.students)
            await database.dispose_engine()
            return by_question, {p.id: p.answer for p in problems}, groups

        answers, by_id, (http_warm, http_first, http_again) = asyncio.run(setup())
        print(
            f"beside the HTTP path: uvicorn with {workers} workers each, pool {pool} a worker, PostgreSQL "
            f"{'at --database-url' if args.database_url else 'embedded'}; webhook: {args.concurrency} chats "
            f"in flight, Bot API fake on a local port answering after {args.latency * 1000:.0f} ms, "
            f"production pacing, 10% of updates delivered twice"
        )
        with serve(url, workers, pool) as server:
            on_uvloop(http_peak(server.port, http_warm, by_id, http_concurrency))
            first_peak = on_uvloop(http_peak(server.port, http_first, by_id, http_concurrency))
            print(f"  HTTP peak: {first_peak.rate():.0f} requests/s")
        with asyncio.Runner(loop_factory=_loop_factory()) as runner:
            warm = range(warm_bot)
            measured = range(warm_bot, warm_bot + args.students)
            _, peak, fake = runner.run(run_bot_side(args, url, pool, answers, warm, measured))
            exact = runner.run(exactly_once(warm_bot + args.students))
        with serve(url, workers, pool) as server:
            second_peak = on_uvloop(http_peak(server.port, http_again, by_id, http_concurrency))
            print(f"  HTTP peak again: {second_peak.rate():.0f} requests/s")
    http_rate = (first_peak.rate() + second_peak.rate()) / 2
    unique = len(peak.latencies)
    bot_rate = unique / peak.elapsed
    sends, every = messages_per_session(fake, [BOT_STUDENT_BASE + n for n in measured])
    print(
        f"webhook peak: {unique} updates (+{len(peak.duplicate_latencies)} redelivered) in "
        f"{peak.elapsed:.1f} s, {peak.sessions} sessions"
    )
    print(
        f"  updates/s      {bot_rate:.0f} ({(unique + len(peak.duplicate_latencies)) / peak.elapsed:.0f} "
        "with the redeliveries)"
    )
    p50, p95, p99 = (peak.pct(q) for q in (0.5, 0.95, 0.99))
    print(f"  latency        p50 {p50:.0f} ms  p95 {p95:.0f} ms  p99 {p99:.0f} ms")
    print(f"  by kind        {dict(peak.kinds)}")
    once = "yes" if exact and peak.failures == 0 else "NO"
    print(f"  exactly once   {once}; non-2xx answers: {peak.failures}")
    print(f"messages per session: {sends:.1f} sends, {every:.1f} in all")
    peaks = f"{first_peak.rate():.0f}, {second_peak.rate():.0f}"
    print(f"HTTP practice loop: {http_rate:.0f} requests/s (peaks {peaks})")
    print(f"bot/http: {100 * bot_rate / http_rate:.0f}% of the HTTP path's requests/s")
    return 0


async def exactly_once(students: int) -> bool:
    """Every update posted recorded once, every session completed, and each answer recorded once."""
    try:
        async with database.get_session() as db:
            completed = (
                await db.execute(
                    text(
                        "SELECT count(*) FROM sessions JOIN students USING (student_id) "
                        "WHERE telegram_id >= :base AND status = 'completed'"
                    ),
                    {"base": BOT_STUDENT_BASE},
                )
            ).scalar_one()
        return bool(completed == students)
    finally:
        await database.dispose_engine()


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    try:
        import uvloop
    except ImportError:  # pragma: no cover
        return None
    return uvloop.new_event_loop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--beside-http", action="store_true", help="the HTTP peak and the webhook's, one run")
    parser.add_argument("--students", type=int, default=None, help="students (200; beside HTTP: 512)")
    parser.add_argument(
        "--concurrency", type=int, default=None, help="chats in flight (32; beside HTTP: 256)"
    )
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers beside HTTP")
    parser.add_argument("--reply-cap", type=float, default=0.0, help="DARS_TELEGRAM_REPLY_CAP (0: none)")
    parser.add_argument(
        "--latency", type=float, default=None, help="seconds the fake Bot API takes (0; 0.05)"
    )
    parser.add_argument("--duplicates", type=float, default=0.1, help="share of updates delivered twice")
    parser.add_argument("--uvicorn", action="store_true", help="real HTTP through uvicorn on 127.0.0.1")
    args = parse_arguments(parser, argv)
    beside = args.beside_http
    args.students = args.students or (512 if beside else 200)
    args.concurrency = args.concurrency or (256 if beside else 32)
    args.latency = args.latency if args.latency is not None else (0.05 if beside else 0.0)
    if beside:
        return beside_http(args)
    with tempfile.TemporaryDirectory(prefix="dars-bench-") as scratch:
        prepare_database(args.database_url, Path(scratch), args.concurrency + 4, keep=args.keep_database)

        async def go() -> None:
            try:
                await bench(args)
            finally:
                await database.dispose_engine()

        asyncio.run(go())
    return 0


if __name__ == "__main__":
    sys.exit(main())
