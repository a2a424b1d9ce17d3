"""`dars chat`: the same bot in a terminal, buttons pressed by number, on the real problem library."""

from __future__ import annotations

from collections.abc import Iterable

from src.bot.chat import ReadLine, Screen, chat_session, ensure_problems
from src.bot.fake import ApiCall
from src.content.library import read_library
from tests.bot.conftest import problem_count


def lines(*typed: str) -> ReadLine:
    pending = list(typed)

    async def read_line() -> str | None:
        return pending.pop(0) if pending else None  # then EOF, like Ctrl-D

    return read_line


def run_output(chunks: Iterable[str]) -> str:
    return "".join(chunks)


async def test_a_terminal_conversation_on_the_real_library(committed: None) -> None:
    size = len(read_library().problems)
    await ensure_problems()  # a fresh database: the library is loaded
    assert await problem_count() == size
    await ensure_problems()  # and only once
    assert await problem_count() == size

    out: list[str] = []
    # --name answers the name question itself: the first line typed is the class.
    script = lines("2", "2", "1", "hint", "#2", "#7", "/streak", "/quit", "never read")
    await chat_session(script, out.append, user_id=424242, name="Karim")
    text = run_output(out)
    assert "প্রথমে বলো তো, তোমার নাম কী?" in text and "> Karim\n" in text
    assert "[1] ৬ষ্ঠ শ্রেণি  [2] ৭ম শ্রেণি  [3] ৮ম শ্রেণি" in text
    assert "(✅ ৭ম শ্রেণি)" in text and "(✅ English)" in text
    assert "All set, Karim! You are now a Class 7 student on Dars." in text
    assert "📝 Problem 1 of 5" in text and "[1] 💡 Hint  [2] Skip" in text
    assert "💡 Hint 1 of 3:" in text
    assert "All right, we'll skip this one.\n💡 The way there: " in text and "The right answer was:" in text
    assert "📝 Problem 2 of 5" in text
    assert "(there is no button 7 on screen)" in text
    assert "No streak yet." in text


def keyboard_message(message_id: int, *buttons: tuple[str, str]) -> ApiCall:
    row = [{"text": label, "callback_data": data} for label, data in buttons]
    params = {"chat_id": 1, "text": "…", "reply_markup": {"inline_keyboard": [row]}}
    return ApiCall("sendMessage", params, 0.0, message_id=message_id)


def test_numbers_are_answers_while_a_problem_is_open() -> None:
    screen = Screen(lambda _: None)
    screen.show_call(keyboard_message(9, ("💡 Hint", "h:1:2"), ("Skip", "s:1:2")))
    assert screen.pressed("2") is None  # an answer
    assert screen.pressed("#2") == "s:1:2"
    screen.show_call(keyboard_message(10, ("Class 6", "g:6"), ("Class 7", "g:7")))
    assert screen.pressed("2") == "g:7"
    assert screen.pressed("3") is None  # no such button: a message
    screen.show_call(ApiCall("editMessageReplyMarkup", {"chat_id": 1, "message_id": 10}, 0.0))
    assert screen.buttons == [] and screen.pressed("#1") is None


def test_a_problems_buttons_keep_their_numbers_when_the_hints_run_out() -> None:
    """After the third hint only Skip is left: #1 (typed for a hint) must not skip the problem."""
    screen = Screen(lambda _: None)
    screen.show_call(keyboard_message(9, ("💡 Hint 3", "h:1:2:3"), ("Skip", "s:1:2")))
    assert screen.pressed("#1") == "h:1:2:3" and screen.pressed("#2") == "s:1:2"
    shown: list[str] = []
    screen = Screen(shown.append)
    screen.show_call(keyboard_message(11, ("Skip", "s:1:2")))
    assert screen.pressed("#1") is None  # no hint button any more: said so, nothing pressed
    assert screen.pressed("#2") == "s:1:2"
    assert "[2] Skip" in "".join(shown)
