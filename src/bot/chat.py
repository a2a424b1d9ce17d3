"""`dars chat`: the real bot in a terminal, with no Telegram and no network.

Each line typed becomes the Update JSON Telegram would send and goes through the same DarsApplication (its
exactly-once transaction included); the Bot talks to the in-process fake Bot API, and whatever it sends is
printed. Inline buttons are printed numbered, "[1] 💡 Hint  [2] Skip"; type the number to press one. While a
problem is open, numbers are answers, so press its buttons as #1, #2.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx
from sqlalchemy import func, select
from telegram import Update
from telegram.request import HTTPXRequest

from src.bot import messages
from src.bot.application import DarsApplication, build_application
from src.bot.fake import ApiCall, FakeBotApi, FakeStudent
from src.bot.ratelimit import DarsRateLimiter

CHAT_TOKEN = "1000000001:dars-chat-local"
DEFAULT_USER_ID = 1_000_001

ReadLine = Callable[[], Awaitable[str | None]]
Write = Callable[[str], None]

INTRO = (
    "Dars chat — the Telegram bot, offline. Type as a student would.\n"
    "Buttons are numbered: type 1, 2 … to press one (while a problem is open, numbers are answers: "
    "press its buttons with #1, #2).\n"
    "Ctrl-D or /quit to leave.\n"
)


@dataclass
class Screen:
    """What the student sees: prints the bot's messages and remembers the buttons on screen."""

    write: Write
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (label, callback_data)
    buttons_message: int | None = None
    last_text: str = ""
    _seen: int = 0

    def show(self, fake: FakeBotApi) -> None:
        for call in fake.calls[self._seen :]:
            self.show_call(call)
        self._seen = len(fake.calls)

    def show_call(self, call: ApiCall) -> None:
        if call.method == "sendMessage" and call.message_id is not None:
            self.last_text = call.text or ""
            self.write(f"\nDars: {call.text}\n")
            if call.buttons:
                self.buttons, self.buttons_message = call.buttons, call.message_id
                numbered = "  ".join(f"[{n}] {label}" for n, label, _ in self.numbered())
                self.write(f"      {numbered}\n")
        elif call.method in ("editMessageText", "editMessageReplyMarkup") and call.status == 200:
            message_id = call.params.get("message_id")
            if call.buttons and isinstance(message_id, int):  # a problem's message, with its hint or verdict
                self.buttons, self.buttons_message = call.buttons, message_id
            elif message_id == self.buttons_message:
                self.buttons, self.buttons_message = [], None
            if call.method == "editMessageText" and call.buttons:
                self.write(f"\nDars (the problem's message, edited): {call.text}\n")
                numbered = "  ".join(f"[{n}] {label}" for n, (label, _) in enumerate(call.buttons, start=1))
                self.write(f"      {numbered}\n")
            elif call.method == "editMessageText":
                self.write(f"      ({call.text})\n")

    @property
    def practising(self) -> bool:
        return any(data.startswith(("h:", "s:")) for _, data in self.buttons)

    def numbered(self) -> list[tuple[int, str, str]]:
        """(number, label, callback_data) of the buttons on screen.

        A problem's buttons keep their numbers, 💡 Hint #1 and Skip #2, also once the hints are used up and
        only Skip is left: a student who types #1 for a hint must not skip the problem by it."""
        if self.practising:
            fixed = {"h": 1, "s": 2}
            return [(fixed.get(data[:1], 3), label, data) for label, data in self.buttons]
        return [(n, label, data) for n, (label, data) in enumerate(self.buttons, start=1)]

    def pressed(self, line: str) -> str | None:
        """The callback_data of the button this line presses, or None when the line is a message."""
        explicit = line.startswith("#")
        digits = line[1:] if explicit else line
        if not digits.isdigit() or not self.buttons or (self.practising and not explicit):
            return None
        return next((data for n, _, data in self.numbered() if n == int(digits)), None)


async def ensure_problems() -> None:
    """Load the problem library when the problems table is empty (a fresh database)."""
    from src.content.commands import load_command
    from src.database import get_session
    from src.models import Problem

    async with get_session() as db:
        count = (await db.execute(select(func.count()).select_from(Problem))).scalar_one()
    if count == 0:
        print("dars chat: loading the problem library …", flush=True)
        if await load_command() != 0:
            raise SystemExit(1)


async def chat_session(
    read_line: ReadLine, write: Write, *, user_id: int = DEFAULT_USER_ID, name: str = ""
) -> None:
    """Run the conversation until EOF (read_line returns None) or /quit."""
    fake = FakeBotApi()
    request = HTTPXRequest(httpx_kwargs={"transport": httpx.MockTransport(fake.handle)})
    application: DarsApplication = build_application(
        CHAT_TOKEN, request=request, rate_limiter=DarsRateLimiter(chat_burst=1_000_000)
    )  # no Telegram to spare: one person typing is never paced
    await application.initialize()
    await application.start()
    student = FakeStudent(user_id, first_name=name or "Student")
    screen = Screen(write)
    write(INTRO)

    async def feed(update: dict[str, object]) -> None:
        await application.handle(Update.de_json(update, application.bot))
        screen.show(fake)

    try:
        await feed(student.message("/start"))
        if name and screen.last_text in (messages.welcome_ask_name("bn"), messages.welcome_ask_name("en")):
            write(f"> {name}\n")  # --name answers the bot's first question, as the student would
            await feed(student.message(name))
        while (line := await read_line()) is not None:
            line = line.strip()
            if not line:
                continue
            if line in ("/quit", "/exit"):
                break
            if line.startswith("#") and screen.pressed(line) is None:
                write(f"      (there is no button {line[1:]} on screen)\n")
                continue
            data = screen.pressed(line)
            if data is not None and screen.buttons_message is not None:
                await feed(student.press(data, message_id=screen.buttons_message))
            else:
                await feed(student.message(line))
    finally:
        await application.stop()
        await application.shutdown()


def stdin_lines() -> ReadLine:
    """Lines from stdin without blocking the event loop; a daemon thread, so Ctrl-C never hangs on it."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def pump() -> None:
        for line in sys.stdin:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=pump, name="dars-chat-stdin", daemon=True).start()

    async def read_line() -> str | None:
        sys.stdout.write("you> ")
        sys.stdout.flush()
        line = await queue.get()
        if line is None:
            sys.stdout.write("\n")
        return line

    return read_line


async def run_chat(user_id: int = DEFAULT_USER_ID, name: str = "") -> None:
    from src.database import dispose_engine

    try:
        await ensure_problems()

        def write(text: str) -> None:
            sys.stdout.write(text)
            sys.stdout.flush()

        await chat_session(stdin_lines(), write, user_id=user_id, name=name)
    finally:
        await dispose_engine()
