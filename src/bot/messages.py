"""Every word the bot says, in Bengali and English: one function per message.

Bengali text uses Bengali digits (০-৯) throughout, including numbers inside answers. The voice is a kind
teacher's: the student is "তুমি", mistakes are normal, effort is praised before results.
"""

from __future__ import annotations

from collections.abc import Sequence

from src.answers.display import display_answer
from src.content.topics import topic_in
from src.models import MILESTONES

Lang = str  # "bn" | "en"

_BENGALI_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")


def _bn(lang: Lang) -> bool:
    return lang != "en"


def bengali_digits(text: str) -> str:
    """0-9 written as ০-৯ (everything else unchanged)."""
    return text.translate(_BENGALI_DIGITS)


def number(lang: Lang, value: int | str) -> str:
    """A number in the language's digits."""
    return bengali_digits(str(value)) if _bn(lang) else str(value)


def answer_text(lang: Lang, answer: str) -> str:
    """A library answer as a student reads it: x^2 as x², * as ×, Bengali digits in Bengali."""
    return display_answer(answer, lang)


def duration(lang: Lang, seconds: int) -> str:
    minutes, rest = divmod(max(0, seconds), 60)
    if _bn(lang):
        if minutes == 0:
            return f"{number(lang, rest)} সেকেন্ড"
        if rest == 0:
            return f"{number(lang, minutes)} মিনিট"
        return f"{number(lang, minutes)} মিনিট {number(lang, rest)} সেকেন্ড"
    if minutes == 0:
        return f"{rest} s"
    if rest == 0:
        return f"{minutes} min"
    return f"{minutes} min {rest} s"


# --- buttons ----------------------------------------------------------------------------------------


def button_hint(lang: Lang) -> str:
    return "💡 ইঙ্গিত" if _bn(lang) else "💡 Hint"


def button_skip(lang: Lang) -> str:
    return "বাদ দাও ⏭" if _bn(lang) else "Skip"


def button_start_practice(lang: Lang) -> str:
    return "▶️ আজকের অনুশীলন" if _bn(lang) else "▶️ Today's practice"


def button_new_session(lang: Lang) -> str:
    return "▶️ নতুন করে শুরু" if _bn(lang) else "▶️ Start again"


def button_grade(lang: Lang, grade: int) -> str:
    if _bn(lang):
        return {6: "৬ষ্ঠ শ্রেণি", 7: "৭ম শ্রেণি", 8: "৮ম শ্রেণি"}.get(grade, number(lang, grade))
    return f"Class {grade}"


def button_language(language: Lang) -> str:
    """Each language is offered in its own words."""
    return "বাংলা" if _bn(language) else "English"


# --- registration -----------------------------------------------------------------------------------


def welcome_ask_name(lang: Lang) -> str:
    if _bn(lang):
        return (
            "স্বাগতম! আমি দারস, তোমার গণিতের সাথী। 📚\n"
            "প্রতিদিন মাত্র ৫টি প্রশ্ন — একটু একটু করেই অনেক দূর যাওয়া যায়।\n\n"
            "প্রথমে বলো তো, তোমার নাম কী?"
        )
    return (
        "Welcome! I'm Dars, your maths companion. 📚\n"
        "Just 5 problems a day — little by little, you will go a long way.\n\n"
        "First, tell me: what is your name?"
    )


def name_not_understood(lang: Lang) -> str:
    if _bn(lang):
        return "নামটা ঠিক বুঝতে পারিনি। শুধু তোমার নামটা লিখে পাঠাও (১০০ অক্ষরের মধ্যে)।"
    return "I couldn't quite read that name. Please send just your name (up to 100 letters)."


def ask_grade(lang: Lang, name: str) -> str:
    if _bn(lang):
        return f"তোমার সাথে পরিচিত হয়ে খুব ভালো লাগল, {name}! তুমি কোন শ্রেণিতে পড়ো?"
    return f"Lovely to meet you, {name}! Which class are you in?"


def choose_grade_from_buttons(lang: Lang) -> str:
    if _bn(lang):
        return "নিচের বোতাম থেকে তোমার শ্রেণিটা বেছে নাও: ৬ষ্ঠ, ৭ম নাকি ৮ম?"
    return "Please pick your class from the buttons below: 6, 7 or 8?"


def ask_language() -> str:
    """Asked in both languages, so that either reader understands it."""
    return "কোন ভাষায় অনুশীলন করতে চাও?\nWhich language would you like to practise in?"


def registered(lang: Lang, name: str, grade: int) -> str:
    if _bn(lang):
        return (
            f"সব ঠিকঠাক, {name}! তুমি এখন দারসে {button_grade(lang, grade)}র শিক্ষার্থী। 🎉\n\n"
            "প্রতিদিন ৫টি প্রশ্ন পাবে। প্রতিটি প্রশ্নে ৩ বার চেষ্টা করতে পারবে, আর আটকে গেলে "
            "৩টি ইঙ্গিত তো আছেই। চলো, আজকের অনুশীলন শুরু করি!"
        )
    return (
        f"All set, {name}! You are now a Class {grade} student on Dars. 🎉\n\n"
        "Every day you get 5 problems. You have 3 tries for each one, and 3 hints whenever you are stuck. "
        "Shall we start today's practice?"
    )


def welcome_back(lang: Lang, name: str) -> str:
    if _bn(lang):
        return f"আবার দেখা হয়ে ভালো লাগছে, {name}! 😊 আজকের অনুশীলন শুরু করবে?"
    return f"Good to see you again, {name}! 😊 Shall we start today's practice?"


def not_registered(lang: Lang) -> str:
    if _bn(lang):
        return "আগে তোমার সাথে একটু পরিচিত হয়ে নিই। /start লিখে পাঠাও।"
    return "Let's get to know each other first. Send /start."


def finish_registration_first(lang: Lang) -> str:
    if _bn(lang):
        return "আগে পরিচয়ের কাজটা শেষ করি, তারপর অনুশীলন।"
    return "Let's finish getting to know each other first, then we practise."


def grade_changed(lang: Lang, grade: int) -> str:
    if _bn(lang):
        return f"ঠিক আছে! পরের অনুশীলন থেকে {button_grade(lang, grade)}র প্রশ্ন পাবে।"
    return f"Done! From your next practice you will get Class {grade} problems."


def choose_grade(lang: Lang) -> str:
    if _bn(lang):
        return "তুমি এখন কোন শ্রেণিতে পড়ো? নিচ থেকে বেছে নাও।"
    return "Which class are you in now? Pick one below."


def language_changed(lang: Lang) -> str:
    """Said in the language just chosen."""
    if _bn(lang):
        return "ঠিক আছে, এখন থেকে আমরা বাংলায় অনুশীলন করব।"
    return "Done — from now on we will practise in English."


def choice_made(lang: Lang, choice: str) -> str:
    """What a question with buttons turns into once a button is chosen."""
    return f"✅ {choice}"


# --- practice -----------------------------------------------------------------------------------------


def problem(
    lang: Lang,
    position: int,
    total: int,
    question: str,
    *,
    resumed: bool = False,
    hints: Sequence[str] = (),
    note: str | None = None,
    lead: str | None = None,
) -> str:
    """A problem's one message: the verdict on the previous problem (`lead`), the question, the hints shown
    so far (`hints`, each from `hint`), and a last line: what to do, or what the latest try earned (`note`).
    Hints and verdicts on this problem edit this message rather than add new ones."""
    if _bn(lang):
        intro = "চলো, যেখানে থেমেছিলে সেখান থেকে শুরু করি।\n\n" if resumed else ""
        head = f"{intro}📝 প্রশ্ন {number(lang, position)}/{number(lang, total)}"
        last = note or "উত্তরটা লিখে পাঠাও।"
    else:
        intro = "Let's pick up where you left off.\n\n" if resumed else ""
        head = f"{intro}📝 Problem {position} of {total}"
        last = note or "Type your answer and send it."
    parts = [lead] if lead else []
    parts += [head, question]
    if hints:
        parts.append("\n".join(hints))
    parts.append(last)
    return "\n\n".join(parts)


def session_end(lead: str, summary_text: str, milestones: Sequence[str] = ()) -> str:
    """The last problem's reply: its verdict, the session's summary and any streak milestone, one message."""
    return "\n\n".join([lead, summary_text, *milestones])


def correct(lang: Lang) -> str:
    return "✅ একদম ঠিক! দারুণ করেছ।" if _bn(lang) else "✅ Exactly right! Well done."


# What a teacher says about a recognisable kind of mistake (src/answers' Mistake values), before "try again".
_MISTAKE_NUDGES: dict[str, tuple[str, str]] = {
    "not_simplified": (
        "প্রায় হয়ে এসেছে — হিসাবটা শেষ করে শুধু চূড়ান্ত উত্তরটা পাঠাও।",
        "You're nearly there — finish the calculation and send just the final answer.",
    ),
    "wrong_form": (
        "তোমার মানটা ঠিক আছে, তবে প্রশ্নে যেভাবে চাওয়া হয়েছে সেভাবে লেখো।",
        "Your value is right, but write it the way the question asks for it.",
    ),
    "sign": (
        "চিহ্নটা একবার দেখো তো — উত্তর ধনাত্মক হবে, না ঋণাত্মক?",
        "Check the sign: should the answer be positive or negative?",
    ),
    "scale": (
        "দশমিক বিন্দু আর শূন্যগুলো আরেকবার মিলিয়ে দেখো।",
        "Check the decimal point and the zeros once more.",
    ),
    "order": ("মান দুটো ঠিক, কিন্তু ক্রম উল্টে গেছে।", "Both values are right, but in the wrong order."),
    "partial": ("কিছু অংশ ঠিক হয়েছে — বাকিটা আরেকবার দেখো।", "Part of it is right — check the rest."),
}


def try_again(lang: Lang, attempts_left: int, mistake: str | None = None, *, hints_left: bool = True) -> str:
    """A wrong answer with tries left: offers a hint while there is one, else the hints already given."""
    nudge = _MISTAKE_NUDGES.get(mistake or "")
    if _bn(lang):
        help_bn = "দরকার হলে 💡 ইঙ্গিত নাও।" if hints_left else "ওপরের ইঙ্গিতগুলো আরেকবার পড়ে দেখো।"
        text = f"❌ এবার হয়নি, তবে হাল ছেড়ো না! আরও {number(lang, attempts_left)} বার চেষ্টা করতে পারবে। {help_bn}"
        return f"{text}\n👉 {nudge[0]}" if nudge else text
    tries = "1 more try" if attempts_left == 1 else f"{attempts_left} more tries"
    help_en = "Take a 💡 hint if you need one." if hints_left else "Read the hints above once more."
    text = f"❌ Not quite — don't give up! You have {tries}. {help_en}"
    return f"{text}\n👉 {nudge[1]}" if nudge else text


def try_again_with_nudge(
    lang: Lang, attempts_left: int, nudge: tuple[str, str], *, hints_left: bool = True
) -> str:
    """A wrong answer that is the problem's common mistake: its nudge (English, Bengali) instead of the
    general one."""
    text = try_again(lang, attempts_left, None, hints_left=hints_left)
    return f"{text}\n👉 {nudge[1] if _bn(lang) else nudge[0]}"


def right_value_other_form(lang: Lang, nudge: tuple[str, str]) -> str:
    """The right value in another form or unit (English, Bengali nudge): no attempt used, try again."""
    if _bn(lang):
        return f"👍 {nudge[1]} এতে তোমার কোনো চেষ্টা কমেনি।"
    return f"👍 {nudge[0]} This did not use up a try."


def _way_then_answer(lang: Lang, opening: str, last_hint: str | None, answer_line: str) -> str:
    # The last hint stops one step short of the answer ("…Now subtract."): it is shown as the way there,
    # before the answer, not after it, where it would ask for a step already done.
    if not last_hint:
        return f"{opening} {answer_line}"
    way = "সমাধানের পথ" if _bn(lang) else "The way there"
    return f"{opening}\n💡 {way}: {last_hint}\n{answer_line}"


def reveal(lang: Lang, answer: str, last_hint: str | None) -> str:
    """After the last attempt: the last step of the hint ladder, then the right answer."""
    if _bn(lang):
        line = f"সঠিক উত্তর হলো: {answer_text(lang, answer)}"
        return _way_then_answer(lang, "এবার হলো না, মন খারাপ কোরো না।", last_hint, line)
    line = f"The right answer is: {answer_text(lang, answer)}"
    return _way_then_answer(lang, "Not this time — and that's all right.", last_hint, line)


def skipped(lang: Lang, answer: str, last_hint: str | None) -> str:
    if _bn(lang):
        line = f"সঠিক উত্তর ছিল: {answer_text(lang, answer)}"
        return _way_then_answer(lang, "ঠিক আছে, এটা বাদ দিলাম।", last_hint, line)
    line = f"The right answer was: {answer_text(lang, answer)}"
    return _way_then_answer(lang, "All right, we'll skip this one.", last_hint, line)


def hint(lang: Lang, hint_number: int, total: int, text: str) -> str:
    if _bn(lang):
        return f"💡 ইঙ্গিত {number(lang, hint_number)}/{number(lang, total)}: {text}"
    return f"💡 Hint {hint_number} of {total}: {text}"


def no_hints_left(lang: Lang) -> str:
    if _bn(lang):
        return "তিনটি ইঙ্গিতই দেখা হয়ে গেছে। এবার নিজে একবার চেষ্টা করো — না পারলে প্রশ্নটা বাদ দিতে পারো।"
    return "You have seen all three hints. Give it a try yourself now — or skip this one if you like."


def dont_know(lang: Lang, *, hints_left: bool = True) -> str:
    """Stuck: a hint or a skip while hints are left, else another look at the hints given, or a skip."""
    if _bn(lang):
        offer = (
            "একটা ইঙ্গিত নেবে, নাকি প্রশ্নটা বাদ দেবে?"
            if hints_left
            else "ওপরের ইঙ্গিতগুলো আরেকবার পড়ে আবার চেষ্টা করবে, নাকি প্রশ্নটা বাদ দেবে?"
        )
        return f"কোনো সমস্যা নেই, আটকে যাওয়াটা শেখারই অংশ। {offer}"
    offer = (
        "Would you like a hint, or skip this one?"
        if hints_left
        else "Would you like to read the hints above once more and try again, or skip this one?"
    )
    return f"That's perfectly fine — getting stuck is part of learning. {offer}"


def write_just_the_answer(lang: Lang) -> str:
    if _bn(lang):
        return "তোমার উত্তরটা ঠিক বুঝতে পারলাম না। শুধু উত্তরটা লিখে পাঠাও — যেমন ১২, ৩/৪ বা x = ৫।"
    return "I couldn't quite read that. Please send just the answer — like 12, 3/4 or x = 5."


def edit_not_read(lang: Lang) -> str:
    if _bn(lang):
        return "পাঠানো মেসেজ এডিট করলে আমি সেটা দেখতে পাই না। উত্তরটা নতুন একটা মেসেজে আবার লিখে পাঠাও।"
    return "I can't see changes to a message once it is sent. Please send your answer again as a new message."


def _greeted_back(lang: Lang, salam: bool) -> str:
    if salam:
        return "ওয়ালাইকুম আসসালাম! 😊" if _bn(lang) else "Wa alaikum assalam! 😊"
    return "তোমাকেও শুভেচ্ছা! 😊" if _bn(lang) else "Hello to you too! 😊"


def greeting_during_practice(lang: Lang, *, salam: bool = False) -> str:
    if _bn(lang):
        return f"{_greeted_back(lang, salam)} এখন প্রশ্নটার উত্তর লিখে পাঠাও।"
    return f"{_greeted_back(lang, salam)} Now send me your answer to the problem."


def greeting(lang: Lang, *, salam: bool = False) -> str:
    if _bn(lang):
        return f"{_greeted_back(lang, salam)} আজকের অনুশীলন শুরু করতে নিচের বোতামটা চাপো।"
    return f"{_greeted_back(lang, salam)} Press the button below to start today's practice."


def idle_prompt(lang: Lang) -> str:
    if _bn(lang):
        return "এখন কোনো প্রশ্ন চলছে না। অনুশীলন শুরু করতে নিচের বোতাম চাপো, বা /practice লেখো।"
    return "There's no problem open right now. Press the button below, or send /practice, to start."


def session_expired(lang: Lang) -> str:
    if _bn(lang):
        return "আগের অনুশীলনের সময় (৩০ মিনিট) শেষ হয়ে গেছে। চিন্তা কোরো না — চলো নতুন করে শুরু করি!"
    return "Your last practice ran out of time (30 minutes). No worries — let's start a fresh one!"


def session_over(lang: Lang) -> str:
    if _bn(lang):
        return "এই অনুশীলনটা শেষ হয়ে গেছে। নতুন অনুশীলন শুরু করতে নিচের বোতাম চাপো।"
    return "That practice is already over. Press the button below to start a new one."


def no_problems(lang: Lang) -> str:
    if _bn(lang):
        return "দুঃখিত, তোমার শ্রেণির প্রশ্নগুলো এখনো তৈরি হয়নি। একটু পরে আবার চেষ্টা করো।"
    return "Sorry, the problems for your class are not ready yet. Please try again a little later."


def already_done_today(lang: Lang, solved: int, total: int, streak: int) -> str:
    if _bn(lang):
        text = (
            f"আজকের অনুশীলন তুমি শেষ করে ফেলেছ — {number(lang, total)}টির মধ্যে "
            f"{number(lang, solved)}টি সঠিক! 🌟"
        )
        if streak > 0:
            text += f"\n🔥 টানা {number(lang, streak)} দিন"
        return text + "\nকাল আবার নতুন প্রশ্ন নিয়ে দেখা হবে।"
    text = f"You have finished today's practice — {solved} of {total} correct! 🌟"
    if streak > 0:
        text += f"\n🔥 {streak}-day streak"
    return text + "\nSee you tomorrow with new problems."


def summary(
    lang: Lang, solved: int, total: int, seconds: int, streak: int, *, yesterdays: bool = False
) -> str:
    """The end of a session: score, time and streak, with a word of encouragement. `yesterdays`: the session
    began before midnight, so it counted for yesterday and today's practice is still to do."""
    if _bn(lang):
        if solved == total:
            cheer = "অসাধারণ! সবগুলোই ঠিক! 🌟"
        elif solved * 2 >= total:
            cheer = "খুব ভালো করেছ! 👏"
        else:
            cheer = "চেষ্টাটাই আসল — প্রতিদিনের অনুশীলনেই উন্নতি হয়। 💪"
        if yesterdays:
            heading, closing = "🏁 গতকালের অনুশীলন শেষ!", "আজকের অনুশীলনও তোমার জন্য অপেক্ষা করছে।"
        else:
            heading, closing = "🏁 আজকের অনুশীলন শেষ!", "কাল আবার দেখা হবে!"
        return (
            f"{heading}\n"
            f"✅ সঠিক: {number(lang, solved)}/{number(lang, total)}\n"
            f"⏱ সময়: {duration(lang, seconds)}\n"
            f"🔥 ধারাবাহিকতা: টানা {number(lang, streak)} দিন\n\n"
            f"{cheer}\n{closing}"
        )
    if solved == total:
        cheer = "Outstanding — every single one right! 🌟"
    elif solved * 2 >= total:
        cheer = "Very well done! 👏"
    else:
        cheer = "Trying is what counts — daily practice is how we improve. 💪"
    days = "1 day" if streak == 1 else f"{streak} days"
    if yesterdays:
        heading, closing = "🏁 Yesterday's practice is done!", "Today's practice is waiting for you too."
    else:
        heading, closing = "🏁 Today's practice is done!", "See you tomorrow!"
    return (
        f"{heading}\n"
        f"✅ Correct: {solved}/{total}\n"
        f"⏱ Time: {duration(lang, seconds)}\n"
        f"🔥 Streak: {days}\n\n"
        f"{cheer}\n{closing}"
    )


_MILESTONE_NAMES_BN = {
    7: "এক সপ্তাহ",
    14: "দুই সপ্তাহ",
    30: "এক মাস",
    60: "দুই মাস",
    90: "তিন মাস",
    180: "ছয় মাস",
    365: "পুরো এক বছর",
}
_MILESTONE_NAMES_EN = {
    7: "a whole week",
    14: "two weeks",
    30: "a whole month",
    60: "two months",
    90: "three months",
    180: "half a year",
    365: "a whole year",
}


def milestone(lang: Lang, days: int) -> str:
    """A streak milestone (7, 14, 30, 60, 90, 180, 365 days) reached today."""
    if _bn(lang):
        name = _MILESTONE_NAMES_BN.get(days, f"{number(lang, days)} দিন")
        return (
            f"🎉🎉 অভিনন্দন! টানা {number(lang, days)} দিন অনুশীলন — {name}! "
            "তোমার এই নিয়মিত চেষ্টার জন্য আমি সত্যিই গর্বিত। 🏆"
        )
    name = _MILESTONE_NAMES_EN.get(days, f"{days} days")
    return f"🎉🎉 Congratulations! {days} days in a row — {name}! I am truly proud of your hard work. 🏆"


def streak(lang: Lang, current: int, longest: int, practised_today: bool) -> str:
    upcoming = next((m for m in MILESTONES if m > current), None)
    if _bn(lang):
        if current == 0:
            text = "এখনো কোনো ধারাবাহিকতা নেই। আজ অনুশীলন করলেই শুরু হয়ে যাবে! 🌱"
        else:
            text = f"🔥 তোমার ধারাবাহিকতা: টানা {number(lang, current)} দিন"
        text += f"\n🏆 সবচেয়ে দীর্ঘ ধারাবাহিকতা: {number(lang, longest)} দিন"
        text += "\n📅 আজকের অনুশীলন: " + ("শেষ ✅" if practised_today else "এখনো বাকি")
        if upcoming is not None and current > 0:
            text += (
                f"\n🎯 পরের লক্ষ্য: {number(lang, upcoming)} দিন (আর {number(lang, upcoming - current)} দিন)"
            )
        return text
    if current == 0:
        text = "No streak yet. Practise today and it starts! 🌱"
    else:
        text = f"🔥 Your streak: {current} day{'s' if current != 1 else ''} in a row"
    text += f"\n🏆 Longest: {longest} day{'s' if longest != 1 else ''}"
    text += "\n📅 Today's practice: " + ("done ✅" if practised_today else "not yet")
    if upcoming is not None and current > 0:
        text += f"\n🎯 Next goal: {upcoming} days ({upcoming - current} to go)"
    return text


PROGRESS_LEVELS = {
    "bn": ("শুরু হয়নি", "শিখছ", "প্রায় পেরেছ", "আয়ত্ত করেছ"),
    "en": ("not started", "learning", "nearly there", "mastered"),
}


def progress(
    lang: Lang,
    topics: Sequence[tuple[str, int, int, int]],
    not_started: int,
    tomorrow: Sequence[str],
    this_week: int,
    last_week: int,
) -> str:
    """Mastery per practised topic as (topic, stars 1..3, solved, met), how many of the grade's topics are not
    started, tomorrow's planned topics, and sessions completed this week and last. A problem counts once
    however many tries it took; a skipped one is met and not solved."""
    bn = _bn(lang)
    levels = PROGRESS_LEVELS["bn" if bn else "en"]
    lines = ["📊 তোমার অগ্রগতি" if bn else "📊 Your progress", ""]
    if not topics:
        lines.append(
            "এখনো কোনো উত্তর দাওনি। আজকের অনুশীলন দিয়েই শুরু হোক!"
            if bn
            else "No answers yet. Let today's practice be the start!"
        )
    for topic, stars, solved, met in topics:
        shown = (
            f"{number(lang, met)}টির মধ্যে {number(lang, solved)}টির সমাধান"
            if bn
            else f"{solved} of {met} solved"
        )
        lines.append(f"{'⭐' * stars} {topic_in(lang, topic)} — {levels[stars]} ({shown})")
    if topics and not_started:
        lines.append(
            f"▫️ আরও {number(lang, not_started)}টি বিষয় এখনো শুরু হয়নি"
            if bn
            else f"▫️ {not_started} more topic{'s' if not_started != 1 else ''} not started yet"
        )
    lines.append("")
    if tomorrow:
        names = ", ".join(topic_in(lang, t) for t in tomorrow)
        lines.append(f"🗓 আগামীকাল অনুশীলন: {names}" if bn else f"🗓 Tomorrow's practice: {names}")
    if bn:
        lines += [
            f"📅 এই সপ্তাহে শেষ করা অনুশীলন: {number(lang, this_week)}টি",
            f"📅 গত সপ্তাহে: {number(lang, last_week)}টি",
        ]
    else:
        lines += [f"📅 Practices finished this week: {this_week}", f"📅 Last week: {last_week}"]
    return "\n".join(lines)


def help_text(lang: Lang) -> str:
    if _bn(lang):
        return (
            "আমি দারস — প্রতিদিন ৫টি গণিতের প্রশ্ন নিয়ে তোমার পাশে আছি। 📚\n\n"
            "/practice — আজকের অনুশীলন\n"
            "/streak — তোমার ধারাবাহিকতা\n"
            "/progress — তোমার অগ্রগতি\n"
            "/language — ভাষা বদলাও (বাংলা/English)\n"
            "/grade — শ্রেণি বদলাও\n"
            "/help — এই তালিকা\n\n"
            'প্রশ্নের উত্তর শুধু লিখে পাঠাও। আটকে গেলে "ইঙ্গিত" লেখো বা 💡 বোতাম চাপো, '
            'আর প্রশ্ন বাদ দিতে "বাদ দাও" লেখো।'
        )
    return (
        "I'm Dars — here for you with 5 maths problems every day. 📚\n\n"
        "/practice — today's practice\n"
        "/streak — your streak\n"
        "/progress — your progress\n"
        "/language — change language (বাংলা/English)\n"
        "/grade — change your class\n"
        "/help — this list\n\n"
        'Just type your answer to a problem. If you are stuck, write "hint" or press 💡, '
        'and write "skip" to move on.'
    )


def reminder(lang: Lang, name: str, streak_days: int) -> str:
    if _bn(lang):
        text = f"{name}, আজকের ৫টি প্রশ্ন তোমার জন্য অপেক্ষা করছে! 📚"
        if streak_days > 0:
            text += f"\nটানা {number(lang, streak_days)} দিনের ধারাবাহিকতাটা ধরে রাখো 🔥"
        return text + "\nমাত্র কয়েক মিনিট লাগবে।"
    text = f"{name}, today's 5 problems are waiting for you! 📚"
    if streak_days > 0:
        text += f"\nKeep your {streak_days}-day streak going 🔥"
    return text + "\nIt only takes a few minutes."


def something_went_wrong(lang: Lang) -> str:
    if _bn(lang):
        return "দুঃখিত, কিছু একটা গোলমাল হয়েছে। একটু পরে আবার চেষ্টা করো।"
    return "Sorry, something went wrong on my side. Please try again in a little while."


def unknown_command(lang: Lang) -> str:
    if _bn(lang):
        return "এই নির্দেশটা আমি চিনি না। যা যা করতে পারি:\n\n" + help_text(lang)
    return "I don't know that command. Here is what I can do:\n\n" + help_text(lang)
