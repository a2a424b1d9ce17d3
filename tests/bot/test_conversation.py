"""Whole conversations through the webhook, in Bengali and in English, from /start to the streak."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from src.bot.fake import FakeStudent
from src.bot.messages import bengali_digits
from src.bot.webhook import SECRET_HEADER, WEBHOOK_PATH
from src.config import get_settings
from src.database import get_session
from src.models import Response, Session, Streak, Student
from src.streaks.days import local_day
from tests.bot.conftest import SECRET, Bot, answer_in, chat_row, last_word
from tests.factories import make_streak, make_student

ASCII_DIGIT = re.compile(r"[0-9]")


def labels(bot: Bot, chat_id: int) -> list[str]:
    return [label for label, _ in bot.fake.last_with_buttons(chat_id).buttons]


async def registered_student(
    bot: Bot, telegram_id: int, name: str, language: str, grade: int = 7
) -> FakeStudent:
    """A student who registered in the Mini App, writing to the bot for the first time."""
    async with get_session() as db:
        await make_student(db, telegram_id=telegram_id, name=name, grade=grade, language=language)
    return bot.student(telegram_id, first_name=name)


async def test_bengali_conversation_from_start_to_streak(bot: Bot, problems: dict[str, str]) -> None:
    rahim = bot.student(5001)

    [welcome] = await bot.say(rahim, "/start")
    assert "তোমার নাম কী" in welcome
    [ask_grade] = await bot.say(rahim, "  Rahim   Uddin ")
    assert "Rahim Uddin" in ask_grade
    assert labels(bot, rahim.chat_id) == ["৬ষ্ঠ শ্রেণি", "৭ম শ্রেণি", "৮ম শ্রেণি"]

    [ask_language] = await bot.press(rahim, "৭ম শ্রেণি")
    assert "কোন ভাষায়" in ask_language and "Which language" in ask_language
    assert bot.fake.sent(rahim.chat_id, "editMessageText")[-1].text == "✅ ৭ম শ্রেণি"
    [registered] = await bot.press(rahim, "বাংলা")
    assert "৭ম শ্রেণির শিক্ষার্থী" in registered
    async with get_session() as db:
        student = (await db.execute(select(Student).where(Student.telegram_id == 5001))).scalar_one()
    assert (student.name, student.grade, student.language) == ("Rahim Uddin", 7, "bn")

    # Problem 1: a wrong answer, a typed hint request, a hint by button, then the right answer.
    [first] = await bot.press(rahim, "n")
    assert first.startswith("📝 প্রশ্ন ১/৫")
    assert labels(bot, rahim.chat_id) == ["💡 ইঙ্গিত", "বাদ দাও ⏭"]
    answer = answer_in(first, problems)
    bot.clock.advance(minutes=1)
    # A try and the hints are edits of the problem's message (one message per problem).
    [again] = await bot.say(rahim, "৯৯৯")
    assert again.startswith("📝 প্রশ্ন ১/৫") and "আরও ২ বার" in last_word(again)
    [hint1] = await bot.say(rahim, "হিন্ট দাও")
    assert hint1.endswith("💡 ইঙ্গিত ১/৩: ইঙ্গিত 1\n\nউত্তরটা লিখে পাঠাও।")
    [hint2] = await bot.press(rahim, "💡 ইঙ্গিত")
    assert "💡 ইঙ্গিত ১/৩: ইঙ্গিত 1\n💡 ইঙ্গিত ২/৩" in hint2
    assert len(bot.fake.sent(rahim.chat_id)) == 5  # three edits: no new message since the problem
    # The verdict and the next problem travel in one message.
    [second] = await bot.say(rahim, bengali_digits(answer))
    assert second.startswith("✅") and "\n\n📝 প্রশ্ন ২/৫\n\n" in second

    # Problem 2: "I don't know" is understood and never graded; then the Skip button.
    [offer] = await bot.say(rahim, "জানি না")
    assert "ইঙ্গিত নেবে" in last_word(offer)
    assert labels(bot, rahim.chat_id) == ["💡 ইঙ্গিত", "বাদ দাও ⏭"]
    [third] = await bot.press(rahim, "বাদ দাও ⏭")
    skipped = third.split("📝")[0]
    assert bengali_digits(answer_in(second, problems)) in skipped and "ইঙ্গিত 3" in skipped
    assert "\n\n📝 প্রশ্ন ৩/৫\n\n" in third

    # Problem 3: three wrong answers reveal the answer with the last hint step.
    [left2] = await bot.say(rahim, "১০০০১")
    [left1] = await bot.say(rahim, "১০০০২")
    assert "আরও ২ বার" in last_word(left2) and "আরও ১ বার" in last_word(left1)
    # The edited message keeps its opening: the verdict on problem 2 (skipped), then problem 3.
    assert left1.split("📝")[0] == third.split("📝")[0]
    [fourth] = await bot.say(rahim, "১০০০৩")
    reveal = fourth.split("📝")[0]
    assert f"সঠিক উত্তর হলো: {bengali_digits(answer_in(third, problems))}" in reveal
    assert "💡 সমাধানের পথ: ইঙ্গিত 3\nসঠিক উত্তর হলো:" in reveal  # the way there, then the answer
    assert "\n\n📝 প্রশ্ন ৪/৫\n\n" in fourth

    # Problems 4 and 5: right first time; the summary has the score, the time and the streak.
    bot.clock.advance(minutes=2)
    [fifth] = await bot.say(rahim, bengali_digits(answer_in(fourth, problems)))
    assert "📝 প্রশ্ন ৫/৫" in fifth
    [summary] = await bot.say(rahim, answer_in(fifth, problems))  # ASCII digits are fine too
    assert summary.startswith("✅ একদম ঠিক!")  # the last problem's verdict, with the summary
    assert "✅ সঠিক: ৩/৫" in summary
    assert "⏱ সময়: ৩ মিনিট\n" in summary  # whole minutes: no "০ সেকেন্ড"
    assert "টানা ১ দিন" in summary
    for text in (welcome, registered, last_word(again), summary):
        assert not ASCII_DIGIT.search(text), text  # Bengali text, Bengali digits

    [streak] = await bot.say(rahim, "/streak")
    assert "টানা ১ দিন" in streak and "আজকের অনুশীলন: শেষ ✅" in streak
    [progress] = await bot.say(rahim, "/progress")
    assert "📊 তোমার অগ্রগতি" in progress and "এই সপ্তাহে শেষ করা অনুশীলন: ১টি" in progress
    # Problems, not tries: the five problems met, three of them solved, whatever the tries or skips.
    counts = re.findall(r"([০-৯]+)টির মধ্যে ([০-৯]+)টি", progress)
    digits = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")
    assert sum(int(met.translate(digits)) for met, _ in counts) == 5
    assert sum(int(solved.translate(digits)) for _, solved in counts) == 3
    assert "⭐" in progress and "🗓 আগামীকাল অনুশীলন: " in progress and "টি বিষয় এখনো শুরু হয়নি" in progress
    [done] = await bot.say(rahim, "/practice")
    assert "আজকের অনুশীলন তুমি শেষ করে ফেলেছ" in done and "৩টি সঠিক" in done

    async with get_session() as db:
        answers = (await db.execute(select(Response.student_answer))).scalars().all()
    assert "জানি না" not in answers and "হিন্ট দাও" not in answers  # non-answers are never graded
    chat = await chat_row(rahim.chat_id)
    assert chat is not None and chat.state == "idle" and "session_id" not in chat.draft


async def test_english_conversation_with_a_language_change(bot: Bot, problems: dict[str, str]) -> None:
    maya = bot.student(5002, first_name="Maya")
    await bot.say(maya, "/start")
    await bot.say(maya, "Maya")
    [ask_language] = await bot.say(maya, "8")  # the grade may be typed too
    assert "Which language" in ask_language
    [registered] = await bot.press(maya, "English")
    assert registered.startswith("All set, Maya! You are now a Class 8 student")

    await bot.say(maya, "/grade")
    assert labels(bot, maya.chat_id) == ["Class 6", "Class 7", "Class 8"]
    [changed] = await bot.press(maya, "Class 7")
    assert changed == "Done! From your next practice you will get Class 7 problems."

    [first] = await bot.say(maya, "/practice")
    assert first.startswith("📝 Problem 1 of 5") and "what is the answer?" in first
    assert labels(bot, maya.chat_id) == ["💡 Hint", "Skip"]
    [greeting] = await bot.say(maya, "hello")
    assert last_word(greeting) == "Hello to you too! 😊 Now send me your answer to the problem."
    [salam] = await bot.say(maya, "Assalamu alaikum")
    assert last_word(salam) == "Wa alaikum assalam! 😊 Now send me your answer to the problem."
    [unclear] = await bot.say(maya, "the thing with the triangles")
    assert last_word(unclear).startswith("I couldn't quite read that")
    [hint] = await bot.say(maya, "hint")
    assert hint.endswith("\n\n💡 Hint 1 of 3: Hint 1\n\nType your answer and send it.")
    text = first
    for number in range(2, 6):
        bot.clock.advance(seconds=45)
        [text] = await bot.say(maya, answer_in(text, problems))
        assert text.startswith(f"✅ Exactly right! Well done.\n\n📝 Problem {number} of 5")
    [summary] = await bot.say(maya, answer_in(text, problems))
    assert "Correct: 5/5" in summary and "Streak: 1 day" in summary and "every single one right" in summary

    [streak] = await bot.say(maya, "/streak")
    assert streak.startswith("🔥 Your streak: 1 day in a row") and "Next goal: 7 days (6 to go)" in streak
    [progress] = await bot.say(maya, "/progress")
    # Five first answers right: each topic practised is "nearly there" (two stars), not yet mastered.
    assert "⭐⭐ " in progress and "— nearly there (" in progress and "⭐⭐⭐" not in progress
    assert "🗓 Tomorrow's practice: " in progress and "not started yet" in progress
    solved_of_met = [tuple(map(int, pair)) for pair in re.findall(r"(\d+) of (\d+) solved", progress)]
    assert sum(s for s, _ in solved_of_met) == 5 and sum(m for _, m in solved_of_met) == 5  # problems

    await bot.say(maya, "/language")
    [switched] = await bot.press(maya, "বাংলা")
    assert switched == "ঠিক আছে, এখন থেকে আমরা বাংলায় অনুশীলন করব।"
    [help_text] = await bot.say(maya, "/help")
    assert "/practice — আজকের অনুশীলন" in help_text


async def test_a_student_from_the_mini_app_is_recognised_and_a_milestone_celebrated(
    bot: Bot, problems: dict[str, str]
) -> None:
    async with get_session() as db:
        student = await make_student(db, telegram_id=5003, name="Nadia", grade=7, language="en")
        yesterday = local_day(bot.clock.now, get_settings().timezone) - timedelta(days=1)
        await make_streak(db, student, current_streak=6, longest_streak=6, last_practice_date=yesterday)
    nadia = bot.student(5003, first_name="Nadia")
    [back] = await bot.say(nadia, "/start")
    assert back.startswith("Good to see you again, Nadia!")
    [text] = await bot.press(nadia, "n")
    for _ in range(4):
        [text] = await bot.say(nadia, answer_in(text, problems))
    [summary] = await bot.say(nadia, answer_in(text, problems))  # the milestone in the same message
    assert "Streak: 7 days" in summary
    assert summary.split("\n\n")[-1].startswith("🎉🎉 Congratulations! 7 days in a row — a whole week!")
    async with get_session() as db:
        streak = await db.get(Streak, student.student_id)
    assert streak is not None and streak.milestones_achieved == [7]


async def test_a_recognisable_mistake_gets_a_teachers_nudge(bot: Bot, problems: dict[str, str]) -> None:
    async with get_session() as db:
        await make_student(db, telegram_id=5005, name="Tuli", grade=7, language="en")
        await make_student(db, telegram_id=5006, name="Mitu", grade=7, language="bn")
    tuli, mitu = bot.student(5005, first_name="Tuli"), bot.student(5006, first_name="Mitu")

    [text] = await bot.say(tuli, "/practice")
    answer = int(answer_in(text, problems))
    # The right value left as a calculation is not an attempt (issue 19): the student finishes it.
    [unfinished] = await bot.say(tuli, f"{answer - 1} + 1")
    unfinished = last_word(unfinished)
    assert unfinished.endswith(
        "👍 You're on the right track! Finish the calculation and send one number. This did not use up a try."
    )
    [plain] = await bot.say(tuli, "99991")  # wrong in no recognisable way: no nudge
    plain = last_word(plain)
    assert "👉" not in plain and "You have 2 more tries" in plain

    [text] = await bot.say(mitu, "/practice")
    [sign] = await bot.say(mitu, bengali_digits(f"-{answer_in(text, problems)}"))
    sign = last_word(sign)
    assert sign.startswith("❌ এবার হয়নি") and "আরও ২ বার" in sign
    assert sign.endswith("👉 চিহ্নটা একবার দেখো তো — উত্তর ধনাত্মক হবে, না ঋণাত্মক?")
    assert not ASCII_DIGIT.search(sign)


async def test_an_expired_session_is_explained_and_a_new_one_offered(
    bot: Bot, problems: dict[str, str]
) -> None:
    sara = bot.student(5004, first_name="Sara")
    for step in ("/start", "Sara", "6"):
        await bot.say(sara, step)
    await bot.press(sara, "English")
    # Grade 6 has no problems in this library: the student is told so kindly.
    [none] = await bot.say(sara, "/practice")
    assert none.startswith("Sorry, the problems for your class are not ready yet")
    await bot.say(sara, "/grade")
    await bot.press(sara, "Class 7")
    [first] = await bot.say(sara, "/practice")
    bot.clock.advance(minutes=31)
    [expired] = await bot.say(sara, answer_in(first, problems))
    assert expired.startswith("Your last practice ran out of time (30 minutes)")
    assert labels(bot, sara.chat_id) == ["▶️ Start again"]
    [fresh] = await bot.press(sara, "▶️ Start again")
    assert fresh.startswith("📝 Problem 1 of 5")
    async with get_session() as db:
        statuses = sorted(s.value for s in (await db.execute(select(Session.status))).scalars())
    assert statuses == ["abandoned", "in_progress"]


async def test_old_buttons_are_taken_away_quietly(bot: Bot, problems: dict[str, str]) -> None:
    omar = bot.student(5005, first_name="Omar")
    for step in ("/start", "Omar", "7"):
        await bot.say(omar, step)
    await bot.press(omar, "English")
    [first] = await bot.say(omar, "/practice")
    first_call = bot.fake.last_with_buttons(omar.chat_id)
    await bot.say(omar, answer_in(first, problems))  # on to problem 2
    assert first_call.message_id is not None
    stale = omar.press(first_call.buttons[0][1], message_id=first_call.message_id)
    calls = await bot.deliver(stale)
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageReplyMarkup"]
    # Pressed again: the edit now changes nothing, Telegram says "message is not modified", and that is fine.
    calls = await bot.deliver(omar.press(first_call.buttons[0][1], message_id=first_call.message_id))
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageReplyMarkup"]
    async with get_session() as db:
        hints = (await db.execute(select(Response))).all()
    assert len(hints) == 1  # only the answer to problem 1


async def test_unregistered_students_are_sent_to_start(bot: Bot) -> None:
    ali = bot.student(5006, first_name="Ali")
    [reply] = await bot.say(ali, "/practice")
    assert reply == "আগে তোমার সাথে একটু পরিচিত হয়ে নিই। /start লিখে পাঠাও।"
    await bot.say(ali, "/start")
    [reask] = await bot.say(ali, "12345")  # not a name
    assert "নামটা ঠিক বুঝতে পারিনি" in reask
    await bot.say(ali, "Ali")
    again, question = await bot.say(ali, "/streak")  # mid-registration: finish first, then ask again
    assert "আগে পরিচয়ের কাজটা শেষ করি" in again and "কোন শ্রেণিতে" in question
    assert labels(bot, ali.chat_id) == ["৬ষ্ঠ শ্রেণি", "৭ম শ্রেণি", "৮ম শ্রেণি"]
    [unknown] = await bot.say(ali, "/dance")
    assert unknown.startswith("এই নির্দেশটা আমি চিনি না")


async def test_the_language_can_change_during_registration(bot: Bot) -> None:
    joy = bot.student(5007, first_name="Joy")
    await bot.say(joy, "/start")
    await bot.say(joy, "/language")
    switched, ask_name = await bot.press(joy, "English")
    assert switched == "Done — from now on we will practise in English."
    assert ask_name.endswith("First, tell me: what is your name?")
    [ask_grade] = await bot.say(joy, "Joy")
    assert ask_grade == "Lovely to meet you, Joy! Which class are you in?"
    await bot.press(joy, "Class 6")
    [registered] = await bot.press(joy, "English")
    assert registered.startswith("All set, Joy! You are now a Class 6 student")
    chat = await chat_row(joy.chat_id)
    assert chat is not None and chat.language == "en" and chat.draft == {}


async def test_a_name_typed_instead_of_a_language_is_taken_as_the_name(bot: Bot) -> None:
    joy = bot.student(5011, first_name="Joy")
    await bot.say(joy, "/start")
    await bot.say(joy, "/language")

    [ask_grade] = await bot.say(joy, "Joy Das")  # the name, not a language

    assert ask_grade == "তোমার সাথে পরিচিত হয়ে খুব ভালো লাগল, Joy Das! তুমি কোন শ্রেণিতে পড়ো?"
    assert labels(bot, joy.chat_id) == ["৬ষ্ঠ শ্রেণি", "৭ম শ্রেণি", "৮ম শ্রেণি"]
    chat = await chat_row(joy.chat_id)
    assert chat is not None and chat.state == "ask_grade" and chat.language == "bn"
    assert chat.draft == {"name": "Joy Das"}


async def test_a_class_typed_instead_of_a_language_is_taken_as_the_class(bot: Bot) -> None:
    joy = bot.student(5012, first_name="Joy")
    await bot.say(joy, "/start")
    await bot.say(joy, "Joy")
    await bot.say(joy, "/language")

    [ask_language] = await bot.say(joy, "৮")
    [registered] = await bot.press(joy, "English")

    assert ask_language == "কোন ভাষায় অনুশীলন করতে চাও?\nWhich language would you like to practise in?"
    assert registered.startswith("All set, Joy! You are now a Class 8 student")


async def test_a_registration_left_open_by_a_mini_app_sign_up_does_not_swallow_answers(
    bot: Bot, problems: dict[str, str]
) -> None:
    rina = bot.student(5008, first_name="Rina")
    [ask_name] = await bot.say(rina, "/start")
    assert ask_name.endswith("তোমার নাম কী?")
    async with get_session() as db:  # she signs up in the Mini App instead of answering the bot
        await make_student(db, telegram_id=5008, name="Rina", grade=7, language="en")

    [first] = await bot.say(rina, "/practice")
    [again] = await bot.say(rina, "999")
    [second] = await bot.say(rina, answer_in(first, problems))

    assert first.startswith("📝 Problem 1 of 5")
    assert last_word(again).startswith("❌ Not quite")
    assert second.startswith("✅") and "📝 Problem 2 of 5" in second
    chat = await chat_row(rina.chat_id)
    assert chat is not None and chat.state == "idle" and "name" not in chat.draft


async def test_a_pending_grade_choice_asks_again_and_ends_when_practice_starts(
    bot: Bot, problems: dict[str, str]
) -> None:
    sumi = await registered_student(bot, 5009, "Sumi", "bn")
    await bot.say(sumi, "/grade")

    [ask_again] = await bot.say(sumi, "নবম")
    [first] = await bot.say(sumi, "/practice")
    chat = await chat_row(sumi.chat_id)

    assert ask_again == "নিচের বোতাম থেকে তোমার শ্রেণিটা বেছে নাও: ৬ষ্ঠ, ৭ম নাকি ৮ম?"
    assert labels(bot, sumi.chat_id) == ["💡 ইঙ্গিত", "বাদ দাও ⏭"]
    assert first.startswith("📝 প্রশ্ন ১/৫")
    assert chat is not None and chat.state == "idle"  # an "8" after the session is not a class change
    await bot.say(sumi, "/language")
    [resumed] = await bot.say(sumi, "/practice")
    chat = await chat_row(sumi.chat_id)
    assert resumed.startswith("চলো, যেখানে থেমেছিলে")
    assert chat is not None and chat.state == "idle"  # nor is a "বাংলা" typed later a language change


@pytest.mark.parametrize(
    ("language", "stuck", "tries_left", "dont_know"),
    [
        (
            "en",
            "I don't know",
            "❌ Not quite — don't give up! You have 2 more tries. Read the hints above once more.",
            "That's perfectly fine — getting stuck is part of learning. "
            "Would you like to read the hints above once more and try again, or skip this one?",
        ),
        (
            "bn",
            "জানি না",
            "❌ এবার হয়নি, তবে হাল ছেড়ো না! আরও ২ বার চেষ্টা করতে পারবে। ওপরের ইঙ্গিতগুলো আরেকবার পড়ে দেখো।",
            "কোনো সমস্যা নেই, আটকে যাওয়াটা শেখারই অংশ। ওপরের ইঙ্গিতগুলো আরেকবার পড়ে আবার চেষ্টা করবে, নাকি প্রশ্নটা বাদ দেবে?",
        ),
    ],
)
async def test_with_every_hint_shown_no_message_offers_another(
    bot: Bot, problems: dict[str, str], language: str, stuck: str, tries_left: str, dont_know: str
) -> None:
    keya = await registered_student(bot, 5010, "Keya", language)
    await bot.say(keya, "/practice")
    for _ in range(3):
        await bot.say(keya, "hint")

    [tried] = await bot.say(keya, "99999")
    [stuck_reply] = await bot.say(keya, stuck)
    assert (last_word(tried), last_word(stuck_reply)) == (tries_left, dont_know)
    assert len(labels(bot, keya.chat_id)) == 1  # Skip only


async def test_a_salam_is_answered_in_kind(bot: Bot, problems: dict[str, str]) -> None:
    nusrat = await registered_student(bot, 5011, "Nusrat", "bn", grade=6)

    [salam] = await bot.say(nusrat, "আসসালামু আলাইকুম")
    [short_salam] = await bot.say(nusrat, "slm apu")
    [morning] = await bot.say(nusrat, "শুভ সকাল")

    assert salam.startswith("ওয়ালাইকুম আসসালাম! 😊 আজকের অনুশীলন শুরু করতে")
    assert short_salam.startswith("ওয়ালাইকুম আসসালাম!")
    assert morning.startswith("তোমাকেও শুভেচ্ছা! 😊")


async def test_a_name_with_half_an_emoji_is_kept_without_it(bot: Bot, problems: dict[str, str]) -> None:
    # A lone UTF-16 surrogate, escaped in the JSON ("\\ud83d"), can neither be stored nor sent back to
    # Telegram: it is dropped, and the name is kept.
    rupa = bot.student(5012, first_name="Rupa")
    await bot.say(rupa, "/start")
    before = len(bot.fake.calls)
    body = json.dumps(rupa.message("\ud83dRupa Akter")).encode()  # ASCII JSON: the surrogate as an escape
    response = await bot.client.post(
        WEBHOOK_PATH, content=body, headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"}
    )

    assert response.status_code == 200
    [ask_grade] = [call.text for call in bot.fake.calls[before:] if call.method == "sendMessage"]
    assert "Rupa Akter" in ask_grade and "\ud83d" not in ask_grade
    chat = await chat_row(rupa.chat_id)
    assert chat is not None and chat.state == "ask_grade" and chat.draft.get("name") == "Rupa Akter"


async def test_a_session_finished_after_midnight_is_yesterdays_and_today_is_still_to_do(
    bot: Bot, problems: dict[str, str]
) -> None:
    tania = await registered_student(bot, 5013, "Tania", "bn")
    bot.clock.advance(hours=13, minutes=50)  # 23:50 in Dhaka
    [text] = await bot.say(tania, "/practice")
    for _ in range(4):
        [text] = await bot.say(tania, answer_in(text, problems))
    bot.clock.advance(minutes=15)  # 00:05: the last answer comes after midnight
    [summary] = await bot.say(tania, answer_in(text, problems))
    summary = summary.split("\n\n", 1)[1]  # after the last problem's verdict
    [today] = await bot.say(tania, "/practice")

    assert summary.startswith("🏁 গতকালের অনুশীলন শেষ!")
    assert summary.endswith("আজকের অনুশীলনও তোমার জন্য অপেক্ষা করছে।")
    assert "কাল আবার দেখা হবে" not in summary
    assert today.startswith("📝 প্রশ্ন ১/৫")  # and it is there: a new session for the new day
