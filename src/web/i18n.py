"""Every word of the web pages in English and Bengali, and numbers in the reader's digits.

Templates call `t("key", name=...)` for text and `t.n(...)`, `t.pct(...)`, `t.usd(...)`, `t.day(...)` for
numbers, so a Bengali page never shows a Latin digit it did not mean to.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from src.answers.normalize import to_bengali_digits
from src.content.topics import topic_in

Language = Literal["bn", "en"]
LANGUAGES: tuple[Language, ...] = ("bn", "en")

MONTHS_BN = (
    "জানুয়ারি",
    "ফেব্রুয়ারি",
    "মার্চ",
    "এপ্রিল",
    "মে",
    "জুন",
    "জুলাই",
    "আগস্ট",
    "সেপ্টেম্বর",
    "অক্টোবর",
    "নভেম্বর",
    "ডিসেম্বর",
)
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

TEXTS: dict[str, tuple[str, str]] = {  # key: (English, Bengali)
    "dars": ("Dars", "দারস"),
    "operators": ("Operators", "পরিচালনা"),
    "switch_language": ("বাংলা", "English"),
    "nav_overview": ("Overview", "সারসংক্ষেপ"),
    "nav_costs": ("Costs", "খরচ"),
    "nav_learning": ("Learning", "শেখা"),
    "nav_health": ("Health", "সিস্টেমের অবস্থা"),
    "nav_teachers": ("Teachers", "শিক্ষক"),
    "sign_in": ("Sign in", "প্রবেশ করুন"),
    "sign_out": ("Sign out", "বের হোন"),
    "signed_out": ("You are signed out.", "আপনি বের হয়ে এসেছেন।"),
    "admin_login_title": ("Operator sign-in", "অপারেটরের প্রবেশ"),
    "admin_token": ("Operator token (ADMIN_TOKEN)", "অপারেটর টোকেন (ADMIN_TOKEN)"),
    "wrong_token": ("That token is not valid.", "টোকেনটি সঠিক নয়।"),
    "admin_off": (
        "Operator access is off: ADMIN_TOKEN is not set on the server.",
        "অপারেটরের প্রবেশ বন্ধ: সার্ভারে ADMIN_TOKEN দেওয়া নেই।",
    ),
    "csrf_failed": (
        "This form has expired or did not come from this site. Reload the page and try again.",
        "ফর্মটির মেয়াদ শেষ, অথবা এটি এই সাইট থেকে আসেনি। পাতাটি আবার খুলে চেষ্টা করুন।",
    ),
    "forbidden_title": ("Not yours to see", "এটি দেখার অনুমতি নেই"),
    "forbidden_class": (
        "This class belongs to another teacher.",
        "এই শ্রেণিটি অন্য একজন শিক্ষকের।",
    ),
    "not_found": ("Not found.", "পাওয়া যায়নি।"),
    "back": ("Back", "ফিরে যান"),
    "numbers": ("The numbers", "সংখ্যাগুলো"),
    "day": ("Day", "দিন"),
    "count": ("Count", "সংখ্যা"),
    "students": ("Students", "শিক্ষার্থী"),
    # overview
    "overview_title": ("Overview", "সারসংক্ষেপ"),
    "registered": ("Students registered", "নিবন্ধিত শিক্ষার্থী"),
    "active_today": ("Active today", "আজ সক্রিয়"),
    "active_7": ("Active, last 7 days", "গত ৭ দিনে সক্রিয়"),
    "active_30": ("Active, last 30 days", "গত ৩০ দিনে সক্রিয়"),
    "sessions_per_day": ("Sessions completed per day, last 30 days", "প্রতিদিন শেষ করা অনুশীলন, গত ৩০ দিন"),
    "sessions": ("Sessions", "অনুশীলন"),
    "streaks_title": ("Current streaks", "চলতি ধারাবাহিকতা"),
    "streak_days": ("Days in a row", "টানা দিন"),
    "milestones_title": ("Milestones reached", "যে মাইলফলকে পৌঁছেছে"),
    "milestone": ("Milestone", "মাইলফলক"),
    "days_n": ("{n} days", "{n} দিন"),
    "none_yet": ("Nothing yet.", "এখনো কিছু নেই।"),
    # costs
    "costs_title": ("AI costs for {month}", "{month} মাসের এআই খরচ"),
    "month": ("Month", "মাস"),
    "show": ("Show", "দেখুন"),
    "bad_month": ("Pick a month as YYYY-MM.", "মাসটি YYYY-MM আকারে দিন।"),
    "within_target": ("Within the target", "লক্ষ্যের মধ্যে"),
    "over_target": ("Over the target", "লক্ষ্যের বাইরে"),
    "target": ("Budget per student per month", "প্রতি শিক্ষার্থীর মাসিক বাজেট"),
    "mean": ("Mean", "গড়"),
    "median": ("Median", "মধ্যমা"),
    "p95": ("95th percentile", "৯৫তম শতাংশক"),
    "max": ("Highest", "সর্বোচ্চ"),
    "total": ("Total", "মোট"),
    "students_paid": ("Students paid for", "যত শিক্ষার্থীর খরচ"),
    "active_students": ("Students who practised", "যারা অনুশীলন করেছে"),
    "near_budget": ("Near the budget (80–100%)", "বাজেটের কাছাকাছি (৮০–১০০%)"),
    "over_budget": ("Over the budget", "বাজেট ছাড়িয়েছে"),
    "per_student_title": ("Cost per student, against the budget", "শিক্ষার্থীপ্রতি খরচ, বাজেটের তুলনায়"),
    "cost_range": ("Cost in the month", "মাসের খরচ"),
    "budget_line": ("budget", "বাজেট"),
    "by_operation": ("By operation", "কাজ অনুযায়ী"),
    "by_provider": ("By provider", "সেবাদাতা অনুযায়ী"),
    "hint_generation": ("Hints", "ইঙ্গিত"),
    "answer_evaluation": ("Answer judging", "উত্তর যাচাই"),
    "claude": ("Claude", "Claude"),
    "twilio": ("Twilio", "Twilio"),
    "calls_title": ("AI calls", "এআই কল"),
    "calls_made": ("Calls made (paid)", "করা কল (খরচসহ)"),
    "ai_hints_shown": ("AI hints shown", "দেখানো এআই ইঙ্গিত"),
    "ai_hints_reused": ("AI hints served from the store, at least", "সংরক্ষিত ইঙ্গিত থেকে দেওয়া, অন্তত"),
    "budget_refused": ("Calls the budget refused", "বাজেটের কারণে না-করা কল"),
    "per_session": ("Cost per completed session", "প্রতিটি শেষ করা অনুশীলনের খরচ"),
    "sessions_completed": ("Sessions completed", "শেষ করা অনুশীলন"),
    "trend_title": ("Cost by day", "দিনভিত্তিক খরচ"),
    "cost": ("Cost", "খরচ"),
    "share": ("Share", "অংশ"),
    "same_as_cli_before": ("The same numbers as", "এখানে"),
    "same_as_cli_after": (".", "-এর সঙ্গে একই সংখ্যা।"),
    # learning
    "learning_title": ("Learning", "শেখা"),
    "accuracy_title": ("Accuracy by grade and topic", "শ্রেণি ও বিষয়ভিত্তিক সঠিক উত্তরের হার"),
    "topic": ("Topic", "বিষয়"),
    "answers_n": ("{n} answers", "{n}টি উত্তর"),
    "hints_title": ("Hints per problem", "প্রতি প্রশ্নে ইঙ্গিত"),
    "hints_mean": ("Hints per problem seen, on average", "দেখা প্রতিটি প্রশ্নে গড় ইঙ্গিত"),
    "hints_n": ("{n} hints", "{n}টি ইঙ্গিত"),
    "problems_seen": ("Problems seen", "দেখা প্রশ্ন"),
    "todo_title": ("Problems to look at", "যে প্রশ্নগুলো দেখা দরকার"),
    "todo_help": (
        "Problems seen at least {n} times, with the highest rates.",
        "অন্তত {n} বার দেখা প্রশ্ন, সবচেয়ে বেশি হার আগে।",
    ),
    "wrong_rate": ("Wrong answers", "ভুল উত্তর"),
    "skip_rate": ("Skipped", "বাদ দেওয়া"),
    "hint_rate": ("Hints asked", "ইঙ্গিত চাওয়া"),
    "problem": ("Problem", "প্রশ্ন"),
    "rate": ("Rate", "হার"),
    "seen": ("Seen", "দেখা"),
    "wrong_answers_title": ("Commonest wrong answers", "সবচেয়ে বেশি দেওয়া ভুল উত্তর"),
    "answer": ("Answer", "উত্তর"),
    "correct_answer": ("Correct answer", "সঠিক উত্তর"),
    "times": ("Times", "বার"),
    "question": ("Question", "প্রশ্ন"),
    "hints": ("Hints", "ইঙ্গিত"),
    # health
    "health_title": ("Health", "সিস্টেমের অবস্থা"),
    "database": ("Database", "ডেটাবেস"),
    "db_ok": ("answers", "সাড়া দিচ্ছে"),
    "db_down": ("does not answer", "সাড়া দিচ্ছে না"),
    "bot": ("Telegram bot", "টেলিগ্রাম বট"),
    "bot_webhook": ("webhook", "ওয়েবহুক"),
    "bot_polling": ("long polling", "লং পোলিং"),
    "bot_off": ("off (TELEGRAM_BOT_TOKEN not set)", "বন্ধ (TELEGRAM_BOT_TOKEN দেওয়া নেই)"),
    "bot_waiting": ("waiting for the Bot API to answer", "বট এপিআই-এর সাড়ার অপেক্ষায়"),
    "running": ("running", "চলছে"),
    "stopped": ("stopped", "থেমে আছে"),
    "webhook_errors": ("Webhook, as Telegram sees it", "টেলিগ্রামের চোখে ওয়েবহুক"),
    "pending_updates": ("Updates waiting", "অপেক্ষমাণ আপডেট"),
    "last_error": ("Last error", "সর্বশেষ ত্রুটি"),
    "no_errors": ("none", "নেই"),
    "webhook_unknown": ("Telegram could not be asked", "টেলিগ্রামকে জিজ্ঞেস করা যায়নি"),
    "not_webhook": ("not in webhook mode", "ওয়েবহুক মোডে নেই"),
    "jobs": ("Periodic jobs", "নিয়মিত কাজ"),
    "job_expiry": ("Session expiry", "অনুশীলনের মেয়াদ শেষ করা"),
    "job_reminders": ("Reminders", "অনুস্মারক"),
    "last_run": ("Last run", "সর্বশেষ চালানো"),
    "last_success": ("Last success", "সর্বশেষ সফল"),
    "result": ("Result", "ফল"),
    "ok": ("ok", "ঠিক আছে"),
    "failed": ("failed", "ব্যর্থ"),
    "done_expiry": ("ok: {n} sessions marked abandoned", "ঠিক আছে: {n}টি অনুশীলন বাতিল ধরা হয়েছে"),
    "done_reminders": ("ok: {n} reminders sent", "ঠিক আছে: {n}টি অনুস্মারক পাঠানো হয়েছে"),
    "never_ran": ("has not run yet", "এখনো চলেনি"),
    "runs_failures": ("{runs} runs, {failures} failed", "{runs} বার চলেছে, {failures} বার ব্যর্থ"),
    # teachers (operator side)
    "teachers_title": ("Teachers", "শিক্ষক"),
    "add_teacher": ("Add a teacher", "শিক্ষক যোগ করুন"),
    "name": ("Name", "নাম"),
    "telegram_id": ("Telegram user id", "টেলিগ্রাম ইউজার আইডি"),
    "language": ("Language", "ভাষা"),
    "classes": ("Classes", "শ্রেণি"),
    "add": ("Add", "যোগ করুন"),
    "teacher_added": ("Teacher added: {name}.", "শিক্ষক যোগ হয়েছে: {name}।"),
    "teacher_exists": ("A teacher with this Telegram id exists.", "এই টেলিগ্রাম আইডির শিক্ষক আগে থেকেই আছেন।"),
    "bad_telegram_id": ("A Telegram id is a positive whole number.", "টেলিগ্রাম আইডি একটি ধনাত্মক পূর্ণসংখ্যা।"),
    "name_needed": ("A name is needed (up to 100 letters).", "একটি নাম দিন (১০০ অক্ষরের মধ্যে)।"),
    "teacher_how": (
        "The teacher then sends /teacher to the bot and gets a sign-in link.",
        "এরপর শিক্ষক বটে /teacher লিখে পাঠালে প্রবেশের লিংক পাবেন।",
    ),
    # teachers' pages
    "teach_title": ("My classes", "আমার শ্রেণিগুলো"),
    "teach_login_title": ("Sign in as a teacher", "শিক্ষক হিসেবে প্রবেশ"),
    "teach_login_how": (
        "Send /teacher to the Dars bot in Telegram. It answers with a sign-in link that works once, "
        "for 10 minutes. No password is needed.",
        "টেলিগ্রামে দারস বটকে /teacher লিখে পাঠান। বট একটি প্রবেশের লিংক পাঠাবে, যা একবারই এবং "
        "১০ মিনিটের জন্য কাজ করে। কোনো পাসওয়ার্ড লাগে না।",
    ),
    "teach_link_confirm": ("Sign in to Dars as a teacher?", "শিক্ষক হিসেবে দারসে প্রবেশ করবেন?"),
    "teach_link_invalid": (
        "This sign-in link has been used or has expired. Send /teacher to the bot for a new one.",
        "এই লিংকটি ব্যবহার হয়ে গেছে বা মেয়াদ শেষ। নতুন লিংকের জন্য বটকে /teacher লিখে পাঠান।",
    ),
    "new_class": ("New class", "নতুন শ্রেণি"),
    "class_name": ("Class name (e.g. 7 B, morning shift)", "শ্রেণির নাম (যেমন: ৭ খ, প্রভাতি শাখা)"),
    "grade": ("Grade", "শ্রেণি"),
    "any_grade": ("Mixed", "মিশ্র"),
    "create": ("Create", "তৈরি করুন"),
    "class_created": ("Class created. Its join code is {code}.", "শ্রেণি তৈরি হয়েছে। যোগ দেওয়ার কোড {code}।"),
    "class_name_taken": ("You already have a class of this name.", "এই নামে আপনার একটি শ্রেণি আছে।"),
    "join_code": ("Join code", "যোগ দেওয়ার কোড"),
    "join_how": (
        "Students send /class {code} to the Dars bot to join.",
        "শিক্ষার্থীরা দারস বটে /class {code} লিখে পাঠালে এই শ্রেণিতে যোগ দেবে।",
    ),
    "no_classes": ("No classes yet: create one below.", "এখনো কোনো শ্রেণি নেই: নিচে একটি তৈরি করুন।"),
    "no_students": ("No student has joined yet.", "এখনো কোনো শিক্ষার্থী যোগ দেয়নি।"),
    "student": ("Student", "শিক্ষার্থী"),
    "streak": ("Streak", "ধারাবাহিকতা"),
    "last_practice": ("Last practice", "শেষ অনুশীলন"),
    "this_week": ("Sessions this week", "এই সপ্তাহের অনুশীলন"),
    "accuracy": ("Correct", "সঠিক"),
    "by_topic": ("Correct answers by topic", "বিষয়ভিত্তিক সঠিক উত্তর"),
    "never": ("never", "কখনো না"),
    "summary_title": ("This week, to read out in class", "এই সপ্তাহ — ক্লাসে পড়ে শোনানোর জন্য"),
}


class Translator:
    """The page's language: texts and numbers for the templates."""

    def __init__(self, language: Language) -> None:
        self.language: Language = language

    @property
    def bn(self) -> bool:
        return self.language == "bn"

    def __call__(self, key: str, **values: object) -> str:
        english, bengali = TEXTS[key]
        text = bengali if self.bn else english
        if values:
            text = text.format(**{name: self.shown(value) for name, value in values.items()})
        return text

    def shown(self, value: object) -> str:
        """A value placed in a text: numbers in the page's digits."""
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int):
            return self.n(value)
        return self.digits(str(value))

    def digits(self, text: str) -> str:
        return to_bengali_digits(text) if self.bn else text

    def n(self, value: int | float, decimals: int = 0) -> str:
        return self.digits(f"{value:,.{decimals}f}")

    def pct(self, fraction: float | None) -> str:
        if fraction is None:
            return "–"
        return self.digits(f"{round(fraction * 100):d}%")

    def usd(self, value: float, decimals: int = 4) -> str:
        return self.digits(f"${value:,.{decimals}f}")

    def day(self, value: date | datetime | None) -> str:
        if value is None:
            return self("never")
        if self.bn:
            return self.digits(f"{value.day} {MONTHS_BN[value.month - 1]}")
        return f"{value.day} {MONTHS_EN[value.month - 1]}"

    def full_day(self, value: date | datetime | None) -> str:
        if value is None:
            return self("never")
        return f"{self.day(value)} {self.digits(str(value.year))}"

    def moment(self, value: datetime | None) -> str:
        if value is None:
            return self("never")
        return self.digits(value.strftime("%Y-%m-%d %H:%M UTC"))

    def month_name(self, month: str) -> str:
        year, number = month.split("-")
        names = MONTHS_BN if self.bn else MONTHS_EN
        return self.digits(f"{names[int(number) - 1]} {year}")

    def grade(self, grade: int | None) -> str:
        if grade is None:
            return self("any_grade")
        if self.bn:
            return {6: "৬ষ্ঠ শ্রেণি", 7: "৭ম শ্রেণি", 8: "৮ম শ্রেণি"}.get(grade, self.digits(f"{grade}"))
        return f"Grade {grade}"

    def topic(self, topic: str) -> str:
        return topic_in(self.language, topic)


def pick_language(asked: str | None, cookie: str | None, default: Language = "bn") -> Language:
    for candidate in (asked, cookie):
        if candidate == "bn":
            return "bn"
        if candidate == "en":
            return "en"
    return default
