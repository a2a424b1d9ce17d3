"""The bot's side of classes: `/class CODE` joins a teacher's class, `/leave [CODE]` leaves it, and
`/teacher` sends a teacher a one-time sign-in link to the teachers' pages. Both languages; the words are
here, next to the handlers, so this module plugs into the bot with one line (`install`).
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from src.answers.normalize import to_ascii_digits, to_bengali_digits
from src.bot.application import Context, current_scope
from src.bot.conversation import Turn
from src.bot.replies import Reply, Say
from src.classes import service as classes
from src.classes.errors import UnknownJoinCode
from src.config import get_settings
from src.models import SchoolClass

EXAMPLE_CODE = "K7M2QX"
CODE_MAX = 20


def _bn(lang: str) -> bool:
    return lang != "en"


def _code_of(args: list[str] | None) -> str | None:
    code = classes.normalise_code(to_ascii_digits("".join(args or [])))
    return code[:CODE_MAX] if code else None


# -- words --------------------------------------------------------------------------------------------


def _listed(current: list[tuple[SchoolClass, str]]) -> str:
    return "\n".join(f"• {c.name} ({teacher}) — {c.join_code}" for c, teacher in current)


def joined(lang: str, name: str, teacher: str, code: str) -> str:
    if _bn(lang):
        return (
            f"তুমি {teacher}-এর ক্লাস “{name}”-এ যোগ দিয়েছ। 🎉\n"
            "তোমার শিক্ষক এখন তোমার ধারাবাহিকতা আর অগ্রগতি দেখতে পাবেন।\n"
            f"ক্লাস থেকে বের হতে চাইলে লেখো /leave {code}"
        )
    return (
        f"You joined {teacher}'s class “{name}”. 🎉\n"
        "Your teacher can now see your streak and your progress.\n"
        f"To leave the class, send /leave {code}"
    )


def already_in(lang: str, name: str) -> str:
    return (
        f"তুমি আগে থেকেই “{name}” ক্লাসে আছ। 👍" if _bn(lang) else f"You are already in the class “{name}”. 👍"
    )


def unknown_code(lang: str, code: str) -> str:
    if _bn(lang):
        return (
            f"“{code}” কোডের কোনো ক্লাস পাওয়া যায়নি। তোমার শিক্ষকের দেওয়া কোডটি আবার দেখে "
            f"এভাবে লেখো: /class {EXAMPLE_CODE}"
        )
    return (
        f"No class has the code “{code}”. Check the code your teacher gave you and send: "
        f"/class {EXAMPLE_CODE}"
    )


def how_to_join(lang: str, current: list[tuple[SchoolClass, str]]) -> str:
    if _bn(lang):
        text = f"শিক্ষকের ক্লাসে যোগ দিতে তাঁর দেওয়া কোডসহ লেখো, যেমন: /class {EXAMPLE_CODE}"
        if current:
            text += "\n\nতুমি যে ক্লাসগুলোতে আছ:\n" + _listed(current)
        return text
    text = f"To join your teacher's class, send the code they gave you, like this: /class {EXAMPLE_CODE}"
    if current:
        text += "\n\nYour classes:\n" + "\n".join(
            f"• {c.name} ({teacher}) — {c.join_code}" for c, teacher in current
        )
    return text


def register_first(lang: str) -> str:
    if _bn(lang):
        return "ক্লাসে যোগ দেওয়ার আগে /start লিখে তোমার নাম আর শ্রেণি জানাও।"
    return "Before joining a class, send /start and tell me your name and grade."


def left(lang: str, name: str) -> str:
    if _bn(lang):
        return f"তুমি “{name}” ক্লাস থেকে বের হয়ে গেছ। তোমার শিক্ষক আর তোমার অনুশীলন দেখতে পাবেন না।"
    return f"You left the class “{name}”. Your teacher no longer sees your practice."


def not_in(lang: str, code: str) -> str:
    return (
        f"তুমি “{code}” কোডের কোনো ক্লাসে নেই।"
        if _bn(lang)
        else f"You are not in a class with the code “{code}”."
    )


def in_no_class(lang: str) -> str:
    return "তুমি এখন কোনো ক্লাসে নেই।" if _bn(lang) else "You are not in any class."


def which_to_leave(lang: str, current: list[tuple[SchoolClass, str]]) -> str:
    listed = _listed(current)
    example = current[0][0].join_code
    if _bn(lang):
        return f"তুমি এই ক্লাসগুলোতে আছ:\n{listed}\n\nকোনটি থেকে বের হবে? কোডসহ লেখো, যেমন: /leave {example}"
    return (
        f"You are in these classes:\n{listed}\n\nWhich one do you want to leave? Send, e.g.: /leave {example}"
    )


def sign_in_link(lang: str, url: str) -> str:
    minutes = int(classes.LOGIN_LINK_LIFETIME.total_seconds() // 60)
    if _bn(lang):
        return (
            f"শিক্ষকের পাতায় প্রবেশের লিংক (একবারই, {to_bengali_digits(str(minutes))} মিনিটের জন্য কাজ করবে):\n"
            f"{url}\n\nলিংকটি কাউকে পাঠাবেন না।"
        )
    return (
        f"Your sign-in link to the teachers' pages (works once, for {minutes} minutes):\n{url}\n\n"
        "Do not share it."
    )


def not_a_teacher(lang: str, telegram_id: int) -> str:
    if _bn(lang):
        return (
            "এই টেলিগ্রাম অ্যাকাউন্টটি দারসে শিক্ষক হিসেবে যুক্ত নেই। দারসের পরিচালকদের আপনার "
            f"টেলিগ্রাম আইডি ({to_bengali_digits(str(telegram_id))}) দিয়ে আপনাকে যুক্ত করতে বলুন।"
        )
    return (
        "This Telegram account is not a Dars teacher's. "
        f"Ask Dars's operators to add your Telegram id ({telegram_id})."
    )


# -- steps --------------------------------------------------------------------------------------------


async def class_command(turn: Turn, args: list[str] | None) -> list[Reply]:
    """`/class CODE`: join; `/class`: how to join, and the classes the student is in."""
    if turn.student is None:
        return [Say(register_first(turn.lang))]
    code = _code_of(args)
    if code is None:
        return [
            Say(how_to_join(turn.lang, await classes.classes_of_student(turn.db, turn.student.student_id)))
        ]
    try:
        outcome = await classes.join_class(turn.db, turn.student.student_id, code, turn.now)
    except UnknownJoinCode:
        return [Say(unknown_code(turn.lang, code))]
    name = outcome.school_class.name
    if outcome.already:
        return [Say(already_in(turn.lang, name))]
    return [Say(joined(turn.lang, name, outcome.teacher_name, outcome.school_class.join_code))]


async def leave_command(turn: Turn, args: list[str] | None) -> list[Reply]:
    """`/leave CODE` leaves that class; `/leave` leaves the only one, or asks which."""
    if turn.student is None:
        return [Say(in_no_class(turn.lang))]
    student_id = turn.student.student_id
    code = _code_of(args)
    if code is None:
        current = await classes.classes_of_student(turn.db, student_id)
        if not current:
            return [Say(in_no_class(turn.lang))]
        if len(current) > 1:
            return [Say(which_to_leave(turn.lang, current))]
        code = current[0][0].join_code
    try:
        gone = await classes.leave_class(turn.db, student_id, code)
    except UnknownJoinCode:
        return [Say(not_in(turn.lang, code))]
    return [Say(left(turn.lang, gone.name) if gone is not None else not_in(turn.lang, code))]


async def teacher_command(turn: Turn, telegram_id: int) -> list[Reply]:
    """`/teacher`: a teacher gets a one-time sign-in link; anyone else is told how to become one."""
    teacher = await classes.teacher_for_telegram(turn.db, telegram_id)
    if teacher is None:
        return [Say(not_a_teacher(turn.lang, telegram_id))]
    token = await classes.issue_login_link(turn.db, teacher.teacher_id, turn.now)
    return [Say(sign_in_link(teacher.language, f"{get_settings().public_url}/teach/login/{token}"))]


# -- PTB ----------------------------------------------------------------------------------------------


async def _on_class(update: Update, context: Context) -> None:
    scope = current_scope()
    if scope.turn is not None:
        await scope.deliver(context.bot, await class_command(scope.turn, context.args))


async def _on_leave(update: Update, context: Context) -> None:
    scope = current_scope()
    if scope.turn is not None:
        await scope.deliver(context.bot, await leave_command(scope.turn, context.args))


async def _on_teacher(update: Update, context: Context) -> None:
    scope = current_scope()
    user = update.effective_user
    if scope.turn is not None and user is not None:
        await scope.deliver(context.bot, await teacher_command(scope.turn, user.id))


def install(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the class commands; before the bot's catch-all for unknown commands (the first match wins)."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("class", _on_class, filters=private))
    application.add_handler(CommandHandler("leave", _on_leave, filters=private))
    application.add_handler(CommandHandler("teacher", _on_teacher, filters=private))
