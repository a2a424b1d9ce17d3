"""Telegram webhook throughput: updates per second end to end through POST /telegram/webhook.

N simulated students each register (/start, name, grade button, language button), practise today's five
problems (answers right or wrong, typed hint requests, the occasional skip) and ask for their streak. Every
step is a real Telegram update (JSON) posted to the webhook route of the real FastAPI app: secret check,
PTB parsing, the exactly-once transaction (dedupe insert, chat row lock, the practice services), replies
sent by the real PTB Bot, then the commit. The Bot API is the in-process fake of `dars chat` and the tests
(`src/bot/fake.py`), answering with real Bot API JSON after `--latency` seconds.

    .venv/bin/python -m bench.webhook_bench                        # 200 students, 32 chats at once
    .venv/bin/python -m bench.webhook_bench --rate 25              # with the production send rate
    .venv/bin/python -m bench.webhook_bench --uvicorn --latency 0.05   # real HTTP, a slower Bot API

Each chat's updates go one at a time, as Telegram sends them; `--concurrency` chats are in flight at once.
`--duplicates 0.1` redelivers 10% of the updates (a retry after a lost answer): they must have no effect.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from sqlalchemy import func, select
from telegram.request import HTTPXRequest

from bench.common import load_problems, parse_arguments, prepare_database
from src import database
from src.config import get_settings
from src.models import Response, Session, SessionStatus, Student, TelegramUpdate

SECRET = "bench-webhook-secret"
WRONG = "99991"


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    duplicate_latencies: list[float] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    failures: int = 0
    unique_updates: set[int] = field(default_factory=set)


async def question_answers() -> dict[str, str]:
    """Load the real library; map every question (both languages) to its canonical answer."""
    answers: dict[str, str] = {}
    for problem in await load_problems():
        answers[problem.question_en.strip()] = problem.answer
        answers[problem.question_bn.strip()] = problem.answer
    return answers


class SimStudent:
    def __init__(self, number: int, rng: random.Random, client: httpx.AsyncClient, tally: Tally, args: Any):
        from src.bot.fake import FakeStudent

        self.fake = FakeStudent(900_000_000 + number, first_name=f"Student{number}")
        self.rng = rng
        self.client = client
        self.tally = tally
        self.args = args

    async def post(self, kind: str, update: dict[str, Any]) -> None:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        started = time.perf_counter()
        response = await self.client.post("/telegram/webhook", json=update, headers=headers)
        self.tally.latencies.append(time.perf_counter() - started)
        self.tally.kinds[kind] += 1
        self.tally.unique_updates.add(update["update_id"])
        if response.status_code != 200:
            self.tally.failures += 1
        if self.rng.random() < self.args.duplicates:  # Telegram redelivers: must change nothing
            started = time.perf_counter()
            again = await self.client.post("/telegram/webhook", json=update, headers=headers)
            self.tally.duplicate_latencies.append(time.perf_counter() - started)
            if again.status_code != 200:
                self.tally.failures += 1


async def run_student(student: SimStudent, fake_api: Any, answers: dict[str, str]) -> None:
    from src.bot.fake import ApiCall

    chat = student.fake.chat_id
    language = "bn" if student.rng.random() < 0.7 else "en"

    def last_buttons() -> ApiCall:
        call: ApiCall = fake_api.last_with_buttons(chat)
        return call

    async def press(data: str) -> None:
        shown = last_buttons()
        await student.post("button", student.fake.press(data, message_id=shown.message_id or 1))

    await student.post("command", student.fake.message("/start"))
    await student.post("text", student.fake.message(student.fake.first_name))
    await press(f"g:{student.rng.choice((6, 7, 8))}")
    await press(f"l:{language}")
    await press("n")
    for _ in range(40):  # five problems, three attempts each, hints: never more than ~30 updates
        sent = fake_api.sent(chat)
        if any(call.text.startswith("🏁") for call in sent[-3:]):
            break
        question = next(call.text for call in reversed(sent) if call.text.startswith("📝"))
        answer = answers.get(question.split("\n\n")[1].strip(), WRONG)
        problem = last_buttons()
        roll = student.rng.random()
        if roll < 0.08:
            await student.post("text", student.fake.message("hint" if language == "en" else "ইঙ্গিত"))
        elif roll < 0.12:
            await press(next(data for _, data in problem.buttons if data.startswith("s:")))
        elif roll < 0.40:
            await student.post("answer", student.fake.message(WRONG))
        else:
            await student.post("answer", student.fake.message(answer))
    await student.post("command", student.fake.message("/streak"))


async def serve_uvicorn(app: Any) -> tuple[Any, asyncio.Task[None], str]:
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    for _ in range(1000):  # uvicorn offers no event to wait on
        if server.started:
            break
        await asyncio.sleep(0.01)
    return server, task, f"http://127.0.0.1:{port}"


async def bench(args: argparse.Namespace) -> None:
    from src.api.app import create_app
    from src.bot.fake import FakeBotApi
    from src.bot.webhook import BotOverrides

    answers = await question_answers()
    fake = FakeBotApi(latency=args.latency)
    settings = get_settings().model_copy(
        update={
            "telegram_bot_token": SecretStr("123456:bench-token"),
            "telegram_webhook_url": "https://dars.example.com/telegram/webhook",
            "telegram_webhook_secret": SecretStr(SECRET),
            "dars_telegram_global_rate": args.rate,
        }
    )
    request = HTTPXRequest(
        connection_pool_size=args.concurrency * 2, httpx_kwargs={"transport": fake.transport()}
    )
    app = create_app(expiry_interval_seconds=0)
    app.state.telegram_overrides = BotOverrides(settings=settings, request=request, reminders=False)
    tally = Tally()
    rng = random.Random(args.seed)
    async with app.router.lifespan_context(app):
        server = task = None
        if args.uvicorn:
            server, task, base_url = await serve_uvicorn(app)
            transport: httpx.AsyncBaseTransport = httpx.AsyncHTTPTransport(
                limits=httpx.Limits(max_connections=args.concurrency)
            )
        else:
            base_url, transport = "http://bench", httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url, timeout=120) as client:
            gate = asyncio.Semaphore(args.concurrency)

            async def one(number: int) -> None:
                async with gate:
                    student = SimStudent(number, random.Random(rng.random()), client, tally, args)
                    await run_student(student, fake, answers)

            fake.clear()
            started = time.perf_counter()
            await asyncio.gather(*(one(n) for n in range(args.students)))
            elapsed = time.perf_counter() - started
        if server is not None and task is not None:
            server.should_exit = True
            await task
    await report(args, tally, fake, elapsed)


async def report(args: argparse.Namespace, tally: Tally, fake: Any, elapsed: float) -> None:
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

    def pct(q: float) -> float:
        return 1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))]

    messages = methods["sendMessage"] + methods["editMessageText"] + methods["editMessageReplyMarkup"]
    print(
        f"webhook benchmark: {args.students} students, {args.concurrency} chats at once, "
        f"{'uvicorn over TCP' if args.uvicorn else 'in-process ASGI'}, "
        f"Bot API latency {args.latency * 1000:.0f} ms, "
        f"send rate {args.rate:g}/s, duplicates {args.duplicates:.0%}"
    )
    print(
        f"  updates        {len(latencies)} unique + {len(tally.duplicate_latencies)} redelivered "
        f"in {elapsed:.1f} s"
    )
    print(f"  throughput     {total / elapsed:.0f} updates/s ({len(latencies) / elapsed:.0f} unique/s)")
    print(
        f"  latency        p50 {pct(0.5):.1f} ms  p95 {pct(0.95):.1f} ms  p99 {pct(0.99):.1f} ms  "
        f"max {1000 * latencies[-1]:.1f} ms"
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32, help="chats with an update in flight at once")
    parser.add_argument("--rate", type=float, default=1000.0, help="DARS_TELEGRAM_GLOBAL_RATE (messages/s)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds the fake Bot API takes per call")
    parser.add_argument("--duplicates", type=float, default=0.1, help="share of updates delivered twice")
    parser.add_argument("--uvicorn", action="store_true", help="real HTTP through uvicorn on 127.0.0.1")
    args = parse_arguments(parser, argv)
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
