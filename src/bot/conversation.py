"""The bot's conversation: registration, practice and the commands, in terms of the domain services.

Every function takes the update's Turn (its database session, the chat's locked row, the time) and returns
the replies to send. The rules (grading, attempts, hints, sessions, streaks) live in the practice and streak
services; this module only decides what to say about their outcomes. Nothing here knows Telegram's wire
format: handlers.py turns updates into these calls and replies into Bot API requests.

Chat state (BotChat.state) is only about a question the bot is waiting on; the practice session in progress
is BotChat.draft["session_id"], so a student can change language mid-session and keep answering.
draft["practice_message"] is the message whose practice button started (or resumed) that session.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from src.answers.check import NonAnswer, Verdict, classify_non_answer
from src.answers.nonanswer import greets_with_salam
from src.bot import chats, keyboards, messages
from src.bot.keyboards import ChooseGrade, ChooseLanguage, Keyboard, NewSession, ProblemAction
from src.bot.replies import Edit, Reply, Say
from src.config import get_settings
from src.errors import InvalidInput
from src.models import BotChat, Problem, SessionStatus, Student
from src.practice import progress as practice_progress
from src.practice import service as practice
from src.practice import students
from src.practice.errors import (
    AlreadyRegistered,
    NoHintsLeft,
    NoProblemsAvailable,
    ProblemNotCurrent,
    SessionClosed,
    SessionExpired,
    SessionNotFound,
    StudentNotFound,
)
from src.practice.ports import AnswerJudge, HintSource
from src.practice.service import AnswerOutcome
from src.practice.views import ProblemProgress, SessionView
from src.streaks import service as streaks
from src.streaks.days import local_day
from src.text import without_surrogates

IDLE = "idle"
ASK_NAME = "ask_name"  # registration, step 1
ASK_GRADE = "ask_grade"  # registration, step 2
ASK_LANGUAGE = "ask_language"  # registration, step 3
CHOOSE_GRADE = "choose_grade"  # /grade
CHOOSE_LANGUAGE = "choose_language"  # /language
REGISTRATION = (ASK_NAME, ASK_GRADE, ASK_LANGUAGE)

MAX_NAME_LENGTH = students.MAX_NAME_LENGTH
_DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")


@dataclass
class Turn:
    """One update being handled: everything it changes is committed together, once."""

    db: AsyncSession
    chat: BotChat
    now: datetime
    judge: AnswerJudge | None = None
    hints: HintSource | None = None
    student: Student | None = None

    @property
    def lang(self) -> str:
        return self.student.language if self.student is not None else self.chat.language

    def set_draft(self, **changes: Any) -> None:
        # A new dict: in-place changes to a JSONB value are invisible to the ORM.
        draft = {key: value for key, value in {**self.chat.draft, **changes}.items() if value is not None}
        self.chat.draft = draft

    @property
    def session_id(self) -> int | None:
        value = self.chat.draft.get("session_id")
        return value if isinstance(value, int) else None


async def load_student(turn: Turn) -> Student | None:
    """The chat's student; links a student registered elsewhere (the Mini App) by Telegram id."""
    student = None
    if turn.chat.student_id is not None:
        try:
            student = await practice.get_student(turn.db, turn.chat.student_id)
        except StudentNotFound:
            student = None
    if student is None:
        student = await students.find_by_telegram_id(turn.db, turn.chat.telegram_user_id)
    turn.chat.student_id = student.student_id if student is not None else None
    turn.student = student
    if student is not None:
        _forget_registration(turn)
    return student


def _forget_registration(turn: Turn) -> None:
    """A registered student has nothing left to register: a registration the bot began before they signed
    up in the Mini App must not read their answers as a name or a class."""
    if turn.chat.state in REGISTRATION:
        turn.chat.state = IDLE
    if any(key in turn.chat.draft for key in ("name", "grade", "resume")):
        turn.set_draft(name=None, grade=None, resume=None)


# --- commands -------------------------------------------------------------------------------------------


async def start(turn: Turn) -> list[Reply]:
    """/start: welcome back a student, or begin registration (name, grade, language)."""
    if turn.student is not None:
        turn.chat.state = IDLE
        return [
            Say(messages.welcome_back(turn.lang, turn.student.name), keyboards.practice_keyboard(turn.lang))
        ]
    turn.chat.state = ASK_NAME
    turn.chat.draft = {}
    return [Say(messages.welcome_ask_name(turn.lang))]


async def help_command(turn: Turn) -> list[Reply]:
    return [Say(messages.help_text(turn.lang))]


async def unknown_command(turn: Turn) -> list[Reply]:
    return [Say(messages.unknown_command(turn.lang))]


async def edited_message(turn: Turn) -> list[Reply]:
    """An edit of a message already sent is never read: graded, it could count as a second attempt, and
    taken as the answer to whatever is asked now, it would answer a question it was not written for."""
    return [Say(messages.edit_not_read(turn.lang))]


async def practice_command(turn: Turn) -> list[Reply]:
    """/practice and the practice button: today's session, resumed, started, or already done."""
    if turn.student is None:
        return _not_registered(turn)
    if turn.chat.state in (CHOOSE_GRADE, CHOOSE_LANGUAGE):
        turn.chat.state = IDLE  # practising instead: the next "7" or "English" is an answer, not a choice
    try:
        view = await practice.start_daily_session(turn.db, turn.student.student_id, now=turn.now)
    except NoProblemsAvailable:
        return [Say(messages.no_problems(turn.lang))]
    if view.session.status == SessionStatus.COMPLETED:
        state = await streaks.get_streak(turn.db, turn.student.student_id, turn.now)
        turn.set_draft(session_id=None)
        return [
            Say(
                messages.already_done_today(
                    turn.lang, view.session.problems_correct, len(view.problems), state.current
                )
            )
        ]
    # A typed /practice forgets the practice button it may have come from (see _practice_button).
    turn.set_draft(session_id=view.session.session_id, practice_message=None)
    return _problem(turn, view, resumed=view.resumed)


async def streak_command(turn: Turn) -> list[Reply]:
    if turn.student is None:
        return _not_registered(turn)
    state = await streaks.get_streak(turn.db, turn.student.student_id, turn.now)
    return [Say(messages.streak(turn.lang, state.current, state.longest, state.practised_today))]


async def progress_command(turn: Turn) -> list[Reply]:
    if turn.student is None:
        return _not_registered(turn)
    report = await practice_progress.progress(turn.db, turn.student.student_id, turn.now)
    # Per topic: its ⭐ level and problems solved of problems met (not tries). A topic met only by a skip
    # still shows, as begun ("learning").
    counts = {t.topic: (t.solved, t.problems) for t in report.topics if t.problems}
    topics = [
        (m.topic, max(m.stars, 1), *counts.get(m.topic, (0, 0)))
        for m in report.mastery
        if m.stars or m.topic in counts
    ]
    not_started = sum(1 for m in report.mastery if not m.stars and m.topic not in counts)
    weeks = [w.sessions_completed for w in report.weeks]
    this_week = weeks[-1] if weeks else 0
    last_week = weeks[-2] if len(weeks) > 1 else 0
    return [Say(messages.progress(turn.lang, topics, not_started, report.tomorrow, this_week, last_week))]


async def language_command(turn: Turn) -> list[Reply]:
    """/language: offer both languages; registration, if under way, resumes after the choice."""
    if turn.chat.state in REGISTRATION:
        turn.set_draft(resume=turn.chat.state)
    turn.chat.state = CHOOSE_LANGUAGE
    return [Say(messages.ask_language(), keyboards.language_keyboard())]


async def grade_command(turn: Turn) -> list[Reply]:
    if turn.student is None:
        return _not_registered(turn)
    turn.chat.state = CHOOSE_GRADE
    return [Say(messages.choose_grade(turn.lang), keyboards.grade_keyboard(turn.lang))]


def _not_registered(turn: Turn) -> list[Reply]:
    if turn.chat.state in REGISTRATION or turn.chat.draft.get("resume") in REGISTRATION:
        return [Say(messages.finish_registration_first(turn.lang)), *_ask_step(turn)]
    return [Say(messages.not_registered(turn.lang))]


# --- registration ---------------------------------------------------------------------------------------


def _ask_step(turn: Turn) -> list[Reply]:
    """Ask the current registration question again."""
    if turn.chat.state == CHOOSE_LANGUAGE:
        _resume_registration(turn)
    state = turn.chat.state
    if state == ASK_NAME:
        return [Say(messages.welcome_ask_name(turn.lang))]
    if state == ASK_GRADE:
        name = str(turn.chat.draft.get("name", ""))
        return [Say(messages.ask_grade(turn.lang, name), keyboards.grade_keyboard(turn.lang))]
    return [Say(messages.ask_language(), keyboards.language_keyboard())]


def _resume_registration(turn: Turn) -> None:
    """Back to the registration step /language interrupted (the last one when that was lost)."""
    turn.chat.state = str(turn.chat.draft.get("resume", ASK_LANGUAGE))
    turn.set_draft(resume=None)


def _registration_answer_instead_of_language(turn: Turn, text: str) -> bool:
    """/language interrupted registration and the student typed something that is not a language: the name
    or class the interrupted step asked for, which must not be dropped."""
    resume = turn.chat.draft.get("resume")
    return turn.chat.state == CHOOSE_LANGUAGE and resume in REGISTRATION and read_language(text) is None


def clean_name(text: str) -> str | None:
    """A name as the student typed it, tidied; None when it cannot be a name."""
    name = " ".join(text.split())
    if not name or len(name) > MAX_NAME_LENGTH or "\x00" in name:
        return None
    if not any(char.isalpha() for char in name) or name.startswith("/"):
        return None
    return name


def read_grade(text: str) -> int | None:
    digits = re.findall(r"[0-9]+", text.translate(_DIGITS))
    if len(digits) == 1 and int(digits[0]) in students.GRADES:
        return int(digits[0])
    return None


def read_language(text: str) -> str | None:
    word = text.strip().lower()
    if word in ("bn", "bangla", "bengali", "বাংলা", "বাংলায়"):
        return "bn"
    if word in ("en", "english", "ইংরেজি", "ইংলিশ"):
        return "en"
    return None


async def _take_name(turn: Turn, text: str) -> list[Reply]:
    name = clean_name(text)
    if name is None:
        return [Say(messages.name_not_understood(turn.lang))]
    turn.set_draft(name=name)
    turn.chat.state = ASK_GRADE
    return [Say(messages.ask_grade(turn.lang, name), keyboards.grade_keyboard(turn.lang))]


async def _take_grade(turn: Turn, grade: int) -> list[Reply]:
    turn.set_draft(grade=grade)
    turn.chat.state = ASK_LANGUAGE
    return [Say(messages.ask_language(), keyboards.language_keyboard())]


async def _take_language(turn: Turn, language: str) -> list[Reply]:
    """The last registration step: the student is created here."""
    name = str(turn.chat.draft.get("name") or "")
    grade = turn.chat.draft.get("grade")
    if not name or grade not in students.GRADES:  # a draft lost to an old chat: ask again from the top
        turn.chat.state = ASK_NAME
        return [Say(messages.welcome_ask_name(turn.lang))]
    assert isinstance(grade, int)
    turn.chat.language = language
    try:
        student = await students.register_student(turn.db, turn.chat.telegram_user_id, name, grade, language)
    except AlreadyRegistered:  # registered meanwhile (the Mini App, or a concurrent update): use that one
        found = await students.find_by_telegram_id(turn.db, turn.chat.telegram_user_id)
        if found is None:
            raise
        student = await students.update_profile(turn.db, found.student_id, language=language)
    except InvalidInput:
        turn.chat.state = ASK_NAME
        return [Say(messages.name_not_understood(language))]
    turn.student = student
    turn.chat.student_id = student.student_id
    turn.chat.state = IDLE
    turn.chat.draft = {}
    return [
        Say(
            messages.registered(language, student.name, student.grade),
            keyboards.practice_keyboard(language),
        )
    ]


# --- messages -------------------------------------------------------------------------------------------


async def text_message(turn: Turn, text: str) -> list[Reply]:
    """A message that is not a command: a registration answer, an answer to a problem, or a chat."""
    text = without_surrogates(text)
    if _registration_answer_instead_of_language(turn, text):
        _resume_registration(turn)  # the language stays as it was
    state = turn.chat.state
    if state == ASK_NAME:
        return await _take_name(turn, text)
    if state == ASK_GRADE:
        grade = read_grade(text)
        if grade is None:
            return [Say(messages.choose_grade_from_buttons(turn.lang), keyboards.grade_keyboard(turn.lang))]
        return await _take_grade(turn, grade)
    if state == ASK_LANGUAGE or (state == CHOOSE_LANGUAGE and read_language(text)):
        language = read_language(text)
        if language is None:
            return [Say(messages.ask_language(), keyboards.language_keyboard())]
        return await _choose_language(turn, language, message_id=None)
    if state == CHOOSE_GRADE and turn.student is not None and turn.session_id is None:
        return await _typed_grade(turn, text)
    if turn.student is None:
        if turn.chat.draft.get("resume") in REGISTRATION:
            return _ask_step(turn)
        return [Say(messages.not_registered(turn.lang))]
    session_id = turn.session_id
    if session_id is not None:
        return await _answer(turn, session_id, text)
    if classify_non_answer(text) is NonAnswer.GREETING:
        salam = greets_with_salam(text)
        return [Say(messages.greeting(turn.lang, salam=salam), keyboards.practice_keyboard(turn.lang))]
    return [Say(messages.idle_prompt(turn.lang), keyboards.practice_keyboard(turn.lang))]


async def _typed_grade(turn: Turn, text: str) -> list[Reply]:
    """The answer to /grade, typed: a class changes it, anything else asks again (the buttons stay)."""
    grade = read_grade(text)
    if grade is None:
        return [Say(messages.choose_grade_from_buttons(turn.lang), keyboards.grade_keyboard(turn.lang))]
    return await _choose_grade(turn, grade, None)


async def _answer(turn: Turn, session_id: int, text: str) -> list[Reply]:
    assert turn.student is not None
    # The answer is for the problem the student last saw. Another one is open when that problem's message
    # never reached them (the process stopped after the commit that moved on, before the send): they are
    # shown it now, and what they wrote is not graded against a problem they have not read.
    seen = _problem_seen(turn, session_id)
    try:
        outcome = await practice.submit_answer(
            turn.db,
            turn.student.student_id,
            session_id,
            text,
            problem_id=seen,
            now=turn.now,
            judge=turn.judge,
        )
    except (SessionExpired, SessionClosed, SessionNotFound) as error:
        return _session_gone(turn, error, session_id)
    except ProblemNotCurrent:
        view = await practice.get_session_view(turn.db, turn.student.student_id, session_id)
        return _problem(turn, view, resumed=True)
    current = outcome.progress
    if not outcome.recorded:
        reason = outcome.check.non_answer if outcome.check.verdict is Verdict.NOT_AN_ANSWER else None
        if reason in (NonAnswer.HINT, NonAnswer.HELP, NonAnswer.QUESTION):
            # "why 0.5?" asks for the reasoning: the next hint (the AI tutor's, when it is on) explains.
            problem_id = current.problem.problem_id
            return await _hint(turn, session_id, problem_id, message_id=None, view=outcome.view)
        if reason is NonAnswer.SKIP:
            return await _skip(turn, session_id, current.problem.problem_id, message_id=None)
        if reason is NonAnswer.DONT_KNOW:
            note = messages.dont_know(turn.lang, hints_left=_hints_left(current))
        elif reason is NonAnswer.GREETING:
            note = messages.greeting_during_practice(turn.lang, salam=greets_with_salam(text))
        elif outcome.check.verdict is Verdict.WRONG_FORM and outcome.feedback is not None:
            note = messages.right_value_other_form(turn.lang, outcome.feedback)
        else:
            note = messages.write_just_the_answer(turn.lang)
        return _on_problem(turn, session_id, current, outcome.view, note=note)
    if outcome.is_correct:
        lead = messages.correct(turn.lang)
    elif current.finished:
        lead = messages.reveal(turn.lang, current.problem.answer, _last_hint(turn, current.problem))
    else:
        mistake = outcome.check.mistake.value if outcome.check.mistake is not None else None
        if outcome.feedback is not None:  # the problem's common mistake, named
            note = messages.try_again_with_nudge(
                turn.lang, current.attempts_left, outcome.feedback, hints_left=_hints_left(current)
            )
        else:
            note = messages.try_again(
                turn.lang, current.attempts_left, mistake, hints_left=_hints_left(current)
            )
        return _on_problem(turn, session_id, current, outcome.view, note=note)
    return await _after_problem(turn, outcome, lead)


async def _after_problem(turn: Turn, outcome: AnswerOutcome, lead: str) -> list[Reply]:
    """The verdict on the problem just finished (`lead`) with the next problem, or with the session's
    summary and any streak milestone reached: one message either way."""
    if not outcome.session_completed:
        return _problem(turn, outcome.view, lead=lead)
    assert turn.student is not None
    session = outcome.view.session
    turn.set_draft(session_id=None)
    if outcome.streak is not None:
        current = outcome.streak.current
        reached = outcome.streak.new_milestones
    else:
        current, reached = (await streaks.get_streak(turn.db, turn.student.student_id, turn.now)).current, ()
    zone = get_settings().timezone
    # A session begun before midnight and finished after it was yesterday's: today's is still to do.
    yesterdays = local_day(session.date, zone) < local_day(turn.now, zone)
    summary = messages.summary(
        turn.lang,
        session.problems_correct,
        len(outcome.view.problems),
        session.total_time_seconds,
        current,
        yesterdays=yesterdays,
    )
    milestones = [messages.milestone(turn.lang, days) for days in reached]
    return [Say(messages.session_end(lead, summary, milestones))]


def _problem(turn: Turn, view: SessionView, *, resumed: bool = False, lead: str | None = None) -> list[Reply]:
    current = view.current
    if current is None:  # a session without problems (an empty library): nothing to ask
        turn.set_draft(session_id=None)
        text = messages.session_over(turn.lang)
        again = keyboards.practice_keyboard(turn.lang, again=True)
        return [Say(f"{lead}\n\n{text}" if lead else text, again)]
    session_id = view.session.session_id
    text, keyboard = _card(turn, session_id, current, len(view.problems), lead=lead, resumed=resumed)
    return [Say(text, keyboard, problem=(session_id, current.problem.problem_id))]


def _card(
    turn: Turn,
    session_id: int,
    current: ProblemProgress,
    total: int,
    *,
    note: str | None = None,
    lead: str | None = None,
    resumed: bool = False,
) -> tuple[str, Keyboard]:
    """The problem's message as it stands: the question, the hints shown, the last word; and its buttons."""
    problem = current.problem
    bn = turn.lang == "bn"
    question = problem.question_bn if bn else problem.question_en
    hints = [
        messages.hint(turn.lang, seen.hint_number, practice.MAX_HINTS, seen.text_bn if bn else seen.text_en)
        for seen in current.hints
    ]
    text = messages.problem(
        turn.lang, current.position, total, question, resumed=resumed, hints=hints, note=note, lead=lead
    )
    return text, _problem_keyboard(turn, session_id, problem.problem_id, len(current.hints))


def _on_problem(
    turn: Turn,
    session_id: int,
    current: ProblemProgress,
    view: SessionView,
    *,
    note: str | None = None,
    pressed: int | None = None,
) -> list[Reply]:
    """News about the open problem (a hint, a try that was not right, a word about what was typed): its
    message is edited when it is the bot's last in the chat, so the student sees it where they look (the
    verdict on the previous problem stays at its top); otherwise the problem is sent again, as it stands,
    below. `pressed`: the message of the button."""
    ref = (session_id, current.problem.problem_id)
    total = len(view.problems)
    at = problem_message(turn, *ref)
    if at is not None:
        lead = _verdict_before(turn, view, current.position)
        text, keyboard = _card(turn, session_id, current, total, note=note, lead=lead)
        stale = _stale_button(pressed) if pressed not in (None, at) else []
        return [*stale, Edit(at, text, keyboard, problem=ref)]
    text, keyboard = _card(turn, session_id, current, total, note=note)
    return [*_stale_button(pressed), Say(text, keyboard, problem=ref)]


def _verdict_before(turn: Turn, view: SessionView, position: int) -> str | None:
    """The verdict on the problem before this one, which its message opened with."""
    if position < 2 or position - 2 >= len(view.problems):
        return None
    before = view.problems[position - 2]
    if before.solved:
        return messages.correct(turn.lang)
    last_hint = _last_hint(turn, before.problem)
    if before.skipped:
        return messages.skipped(turn.lang, before.problem.answer, last_hint)
    return messages.reveal(turn.lang, before.problem.answer, last_hint)


def _problem_ref(turn: Turn) -> list[int] | None:
    """draft["problem_message"]: [session_id, problem_id, message_id, 1 if it is the bot's last message]."""
    ref = turn.chat.draft.get(chats.PROBLEM_MESSAGE)
    if isinstance(ref, list) and len(ref) == 4 and all(isinstance(value, int) for value in ref):
        return ref
    return None


def problem_message(turn: Turn, session_id: int, problem_id: int) -> int | None:
    """The id of this problem's message, when it is the last the bot sent in the chat."""
    ref = _problem_ref(turn)
    if ref is not None and ref[:2] == [session_id, problem_id] and ref[3] == 1:
        return ref[2]
    return None


def _problem_seen(turn: Turn, session_id: int) -> int | None:
    """The problem of this session whose message reached the student last (None: not known)."""
    ref = _problem_ref(turn)
    return ref[1] if ref is not None and ref[0] == session_id else None


def forget_problem_message(turn: Turn, replies: list[Reply]) -> None:
    """A message that is not a problem's goes below the problem's: the next news about the problem comes
    as a new message, not as an edit of one the student may have scrolled past."""
    ref = _problem_ref(turn)
    if ref is not None and ref[3] == 1 and any(isinstance(r, Say) and r.problem is None for r in replies):
        turn.set_draft(**{chats.PROBLEM_MESSAGE: [*ref[:3], 0]})


def _problem_keyboard(turn: Turn, session_id: int, problem_id: int, hints_shown: int) -> Keyboard:
    return keyboards.problem_keyboard(turn.lang, session_id, problem_id, next_hint=_next_hint(hints_shown))


def _hints_left(current: ProblemProgress) -> bool:
    return _next_hint(len(current.hints)) is not None


def _next_hint(hints_shown: int) -> int | None:
    """The number of the hint a Hint button offers now; None when all have been shown."""
    return hints_shown + 1 if hints_shown < practice.MAX_HINTS else None


def _last_hint(turn: Turn, problem: Problem) -> str | None:
    if not problem.hints:
        return None
    last = problem.hints[-1]
    text = last.get("text_bn") if turn.lang == "bn" else last.get("text_en")
    return str(text) if text else None


def _session_gone(turn: Turn, error: Exception, session_id: int) -> list[Reply]:
    if turn.session_id == session_id:
        turn.set_draft(session_id=None)
    if isinstance(error, SessionExpired):
        text = messages.session_expired(turn.lang)
    else:
        text = messages.session_over(turn.lang)
    return [Say(text, keyboards.practice_keyboard(turn.lang, again=True))]


async def _hint(
    turn: Turn,
    session_id: int,
    problem_id: int,
    *,
    message_id: int | None,
    offered: int | None = None,
    view: SessionView | None = None,
) -> list[Reply]:
    """The next hint, on the problem's message; `offered` is the hint number the pressed button offered (None
    when typed); `view`: the session, when read already."""
    assert turn.student is not None
    if offered is not None:
        still, view, shown = await _hint_still_offered(turn, session_id, problem_id, offered)
        if shown is not None and message_id is not None:
            # A second tap, or an older message's button, on the open problem: no hint spent; the message
            # keeps (or gets back) the buttons the problem has now (an unchanged keyboard is a no-op).
            return [Edit(message_id, keyboard=_problem_keyboard(turn, session_id, problem_id, shown))]
        if not still:
            return _stale_button(message_id)
    try:
        outcome = await practice.next_hint(
            turn.db,
            turn.student.student_id,
            session_id,
            problem_id=problem_id,
            now=turn.now,
            source=turn.hints,
        )
    except NoHintsLeft:
        keyboard = keyboards.problem_keyboard(turn.lang, session_id, problem_id, next_hint=None)
        return [Say(messages.no_hints_left(turn.lang), keyboard)]
    except ProblemNotCurrent:
        return _stale_button(message_id)
    except (SessionExpired, SessionClosed, SessionNotFound) as error:
        return _stale_button(message_id) + _session_gone(turn, error, session_id)
    turn.set_draft(session_id=session_id)
    if view is None:
        view = await practice.get_session_view(turn.db, turn.student.student_id, session_id)
    return _on_problem(turn, session_id, outcome.progress, view, pressed=message_id)


async def _hint_still_offered(
    turn: Turn, session_id: int, problem_id: int, offered: int
) -> tuple[bool, SessionView | None, int | None]:
    """Whether hint `offered` of this problem is the next one, the session (when found), and, when
    the hint was shown already on the problem still open, how many hints it has. The session's row is
    locked, so the hint taken next is the one checked here. A session that is gone or moved on is left to
    next_hint to report."""
    assert turn.student is not None
    try:
        view = await practice.get_session_view(turn.db, turn.student.student_id, session_id, lock=True)
    except SessionNotFound:
        return True, None, None
    current = view.current
    if current is None or current.problem.problem_id != problem_id:
        return True, view, None
    if len(current.hints) + 1 == offered:
        return True, view, None
    return False, view, len(current.hints)


async def _skip(turn: Turn, session_id: int, problem_id: int, *, message_id: int | None) -> list[Reply]:
    assert turn.student is not None
    try:
        outcome = await practice.skip_problem(
            turn.db, turn.student.student_id, session_id, problem_id=problem_id, now=turn.now
        )
    except ProblemNotCurrent:
        return _stale_button(message_id)
    except (SessionExpired, SessionClosed, SessionNotFound) as error:
        return _stale_button(message_id) + _session_gone(turn, error, session_id)
    turn.set_draft(session_id=session_id)
    problem = outcome.progress.problem
    lead = messages.skipped(turn.lang, problem.answer, _last_hint(turn, problem))
    return [*_stale_button(message_id), *await _after_problem(turn, outcome, lead)]


def _stale_button(message_id: int | None) -> list[Reply]:
    """A button whose moment has passed: take the buttons off its message, say nothing."""
    return [Edit(message_id)] if message_id is not None else []


# --- buttons --------------------------------------------------------------------------------------------


async def button(turn: Turn, data: str | None, message_id: int | None) -> list[Reply]:
    """An inline button was pressed (the callback query is already answered)."""
    action = keyboards.parse(data)
    if isinstance(action, ProblemAction):
        if turn.student is None:
            return _stale_button(message_id) + _not_registered(turn)
        if turn.session_id not in (None, action.session_id):
            # An older session's button while another is open: "your practice ran out of time" would be
            # wrong, since the student is practising right now.
            return _stale_button(message_id)
        if action.kind == "hint":
            return await _hint(
                turn, action.session_id, action.problem_id, message_id=message_id, offered=action.hint_number
            )
        return await _skip(turn, action.session_id, action.problem_id, message_id=message_id)
    if isinstance(action, NewSession):
        return await _practice_button(turn, message_id)
    if isinstance(action, ChooseGrade):
        return await _choose_grade(turn, action.grade, message_id)
    if isinstance(action, ChooseLanguage):
        return await _choose_language(turn, action.language, message_id=message_id)
    return _stale_button(message_id)


async def _practice_button(turn: Turn, message_id: int | None) -> list[Reply]:
    """The practice button: today's session. The chat remembers which message's button started (or resumed)
    the session it is in. A second tap of that button, already on its way before the first took the buttons
    away, finds it there and is stale: otherwise the same problem would be sent twice."""
    pressed_before = message_id is not None and turn.chat.draft.get("practice_message") == message_id
    if pressed_before and turn.session_id is not None:
        return _stale_button(message_id)
    replies = _stale_button(message_id) + await practice_command(turn)
    if turn.session_id is not None:
        turn.set_draft(practice_message=message_id)
    return replies


async def _choose_grade(turn: Turn, grade: int, message_id: int | None) -> list[Reply]:
    label = messages.choice_made(turn.lang, messages.button_grade(turn.lang, grade))
    edits: list[Reply] = [Edit(message_id, label)] if message_id is not None else []
    if turn.chat.state == ASK_GRADE:
        return edits + await _take_grade(turn, grade)
    if turn.chat.state == CHOOSE_GRADE and turn.student is not None:
        turn.student = await students.update_profile(turn.db, turn.student.student_id, grade=grade)
        turn.chat.state = IDLE
        return [*edits, Say(messages.grade_changed(turn.lang, grade))]
    return _stale_button(message_id)


async def _choose_language(turn: Turn, language: str, *, message_id: int | None) -> list[Reply]:
    label = messages.choice_made(language, messages.button_language(language))
    edits: list[Reply] = [Edit(message_id, label)] if message_id is not None else []
    state = turn.chat.state
    if state == ASK_LANGUAGE:
        return edits + await _take_language(turn, language)
    if state != CHOOSE_LANGUAGE:
        return _stale_button(message_id)
    turn.chat.language = language
    if turn.student is not None:
        turn.student = await students.update_profile(turn.db, turn.student.student_id, language=language)
    resume = turn.chat.draft.get("resume")
    turn.set_draft(resume=None)
    if resume in REGISTRATION:
        turn.chat.state = str(resume)
        if resume == ASK_LANGUAGE:
            return edits + await _take_language(turn, language)
        return [*edits, Say(messages.language_changed(language)), *_ask_step(turn)]
    turn.chat.state = IDLE
    return [*edits, Say(messages.language_changed(language))]
