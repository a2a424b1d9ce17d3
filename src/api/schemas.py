"""The API's request and response bodies (pydantic), and their construction from the services' results.

Presentation rule kept here, and only here: a problem's answer is shown once the problem is finished
(solved, skipped or out of attempts), never before.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from src.answers.check import Form, Mistake, NonAnswer
from src.answers.display import display_answer
from src.content.topics import topic_in
from src.models import MILESTONES, HintView, Problem, SessionStatus, Student
from src.models import Session as PracticeSession
from src.models.base import INTEGER_MAX
from src.practice.progress import Progress, TopicMastery, TopicProgress
from src.practice.service import MAX_HINTS, AnswerOutcome, HintOutcome
from src.practice.views import ProblemProgress, SessionView
from src.streaks.days import StreakUpdate
from src.streaks.service import StreakState

Grade = Literal[6, 7, 8]
Language = Literal["bn", "en"]
MAX_ID = INTEGER_MAX  # ids are PostgreSQL integers: a larger number is a 422, never a database error


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), AfterValidator(_no_nul)
]
AnswerText = Annotated[str, Field(max_length=500), AfterValidator(_not_blank), AfterValidator(_no_nul)]
ProblemId = Annotated[int, Field(ge=1, le=MAX_ID)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- students -------------------------------------------------------------------------------------------


class RegisterStudent(Body):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"name": "Rahim", "grade": 7, "language": "bn"}]}
    )

    name: Name | None = Field(default=None, description="Display name; the Telegram first name if omitted.")
    grade: Grade
    language: Language = "bn"


class UpdateStudent(Body):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"grade": 8}]})

    name: Name | None = None
    grade: Grade | None = None
    language: Language | None = None


class StudentOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "student_id": 12,
                    "telegram_id": 123456789,
                    "name": "Rahim",
                    "grade": 7,
                    "language": "bn",
                    "created_at": "2026-05-01T04:00:00Z",
                }
            ]
        }
    )

    student_id: int
    telegram_id: int
    name: str
    grade: Grade
    language: Language
    created_at: datetime

    @classmethod
    def of(cls, student: Student) -> StudentOut:
        return cls(
            student_id=student.student_id,
            telegram_id=student.telegram_id,
            name=student.name,
            grade=student.grade,
            language=student.language,
            created_at=student.created_at,
        )


class StreakOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "current": 8,
                    "longest": 12,
                    "last_practice_date": "2026-05-01",
                    "practised_today": True,
                    "milestones": [7],
                    "next_milestone": 14,
                }
            ]
        }
    )

    current: int = Field(description="Consecutive local days practised, 0 once a whole day was missed.")
    longest: int
    last_practice_date: date | None
    practised_today: bool
    milestones: list[int] = Field(description="Milestones reached so far (days).")
    next_milestone: int | None

    @classmethod
    def of(cls, state: StreakState) -> StreakOut:
        upcoming = [m for m in MILESTONES if m > state.current]
        return cls(
            current=state.current,
            longest=state.longest,
            last_practice_date=state.last_practice_date,
            practised_today=state.practised_today,
            milestones=list(state.milestones),
            next_milestone=upcoming[0] if upcoming else None,
        )


class AdminStudentOut(BaseModel):
    student: StudentOut
    streak: StreakOut


class Text(BaseModel):
    en: str
    bn: str

    @classmethod
    def of_answer(cls, answer: str) -> Text:
        return cls(en=display_answer(answer, "en"), bn=display_answer(answer, "bn"))

    @classmethod
    def of_topic(cls, topic: str) -> Text:
        return cls(en=topic, bn=topic_in("bn", topic))


class TopicOut(BaseModel):
    topic: str
    topic_text: Text = Field(
        description="The topic as a student reads it (the textbook chapter's name in `bn`)."
    )
    problems: int = Field(description="Problems met: solved, not solved or skipped (each time one came).")
    solved: int = Field(description="Problems solved (at any try).")
    skipped: int
    solved_share: float | None = Field(description="solved / problems, 0..1; null before the first problem.")
    attempts: int = Field(description="Answers given (skips are not answers).")

    @classmethod
    def of(cls, topic: TopicProgress) -> TopicOut:
        return cls(
            topic=topic.topic,
            topic_text=Text.of_topic(topic.topic),
            problems=topic.problems,
            solved=topic.solved,
            skipped=topic.skipped,
            solved_share=topic.solved_share,
            attempts=topic.attempts,
        )


MasteryLevel = Literal["not_started", "learning", "nearly_there", "mastered"]
MASTERY_LEVELS: tuple[MasteryLevel, ...] = ("not_started", "learning", "nearly_there", "mastered")
# What each ⭐ level says to the student, as the bot's /progress says it.
MASTERY_WORDS = (
    ("not started", "শুরু হয়নি"),
    ("learning", "শিখছ"),
    ("nearly there", "প্রায় পেরেছ"),
    ("mastered", "আয়ত্ত করেছ"),
)


class MasteryOut(BaseModel):
    topic: str
    topic_text: Text
    stars: int = Field(ge=0, le=3, description="0 not started, 1 learning, 2 nearly there, 3 mastered.")
    level: MasteryLevel
    level_text: Text = Field(description="The level in words, for the student.")
    p_known: float | None = Field(
        description="The mastery estimate (BKT P(known)) now, 0..1; null before the first answer."
    )

    @classmethod
    def of(cls, topic: TopicMastery) -> MasteryOut:
        en, bn = MASTERY_WORDS[topic.stars]
        return cls(
            topic=topic.topic,
            topic_text=Text.of_topic(topic.topic),
            stars=topic.stars,
            level=MASTERY_LEVELS[topic.stars],
            level_text=Text(en=en, bn=bn),
            p_known=topic.p_known,
        )


class TopicRef(BaseModel):
    topic: str
    topic_text: Text


class WeekOut(BaseModel):
    week_start: date = Field(description="Monday of the local (DARS_TIMEZONE) week.")
    sessions_completed: int


class ProgressOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "student_id": 12,
                    "problems": 9,
                    "solved": 6,
                    "solved_share": 0.6667,
                    "attempts": 14,
                    "topics": [
                        {
                            "topic": "Fractions",
                            "topic_text": {"en": "Fractions", "bn": "ভগ্নাংশ"},
                            "problems": 4,
                            "solved": 4,
                            "skipped": 0,
                            "solved_share": 1.0,
                            "attempts": 6,
                        },
                        {
                            "topic": "Ratio",
                            "topic_text": {"en": "Ratio", "bn": "অনুপাত"},
                            "problems": 5,
                            "solved": 2,
                            "skipped": 1,
                            "solved_share": 0.4,
                            "attempts": 8,
                        },
                    ],
                    "weeks": [{"week_start": "2026-04-27", "sessions_completed": 4}],
                    "mastery": [
                        {
                            "topic": "Fractions",
                            "topic_text": {"en": "Fractions", "bn": "ভগ্নাংশ"},
                            "stars": 3,
                            "level": "mastered",
                            "level_text": {"en": "mastered", "bn": "আয়ত্ত করেছ"},
                            "p_known": 0.9712,
                        }
                    ],
                    "tomorrow": [{"topic": "Ratio", "topic_text": {"en": "Ratio", "bn": "অনুপাত"}}],
                }
            ]
        }
    )

    student_id: int
    problems: int = Field(description="Problems met in all topics.")
    solved: int
    solved_share: float | None = Field(description="solved / problems, 0..1; null before the first problem.")
    attempts: int = Field(description="Answers given in all topics.")
    topics: list[TopicOut]
    weeks: list[WeekOut] = Field(description="The last 8 local weeks, oldest first.")
    mastery: list[MasteryOut] = Field(description="The grade's topics in syllabus order, with ⭐ levels.")
    tomorrow: list[TopicRef] = Field(description="What tomorrow's practice is planned to cover.")

    @classmethod
    def of(cls, progress: Progress) -> ProgressOut:
        return cls(
            student_id=progress.student_id,
            problems=progress.problems,
            solved=progress.solved,
            solved_share=round(progress.solved / progress.problems, 4) if progress.problems else None,
            attempts=progress.attempts,
            topics=[TopicOut.of(topic) for topic in progress.topics],
            weeks=[WeekOut(**vars(week)) for week in progress.weeks],
            mastery=[MasteryOut.of(topic) for topic in progress.mastery],
            tomorrow=[TopicRef(topic=t, topic_text=Text.of_topic(t)) for t in progress.tomorrow],
        )


# --- sessions -------------------------------------------------------------------------------------------


class HintOut(BaseModel):
    hint_number: int = Field(ge=1, le=MAX_HINTS)
    text: Text
    is_ai_generated: bool

    @classmethod
    def of(cls, hint: HintView) -> HintOut:
        return cls(
            hint_number=hint.hint_number,
            text=Text(en=hint.text_en, bn=hint.text_bn),
            is_ai_generated=hint.is_ai_generated,
        )


class ProblemState(BaseModel):
    """Where one problem of a session stands: what changes while the student works on it, without its texts
    (a client already has them from `current_problem` or `next_problem`; a student pays for every byte)."""

    problem_id: int
    position: int = Field(description="1-based place in the session.")
    attempts: int
    attempts_left: int
    hints_used: int = Field(description="Hints shown so far.")
    hints_left: int
    finished: bool = Field(description="Solved, skipped, or out of attempts.")
    solved: bool
    skipped: bool
    answer: str | None = Field(description="The correct answer; null until the problem is finished.")
    answer_text: Text | None = Field(
        description="The answer as a student reads it (x², ×, Bengali digits in `bn`); null until finished."
    )

    @classmethod
    def state_of(cls, progress: ProblemProgress) -> dict[str, Any]:
        problem = progress.problem
        return {
            "problem_id": problem.problem_id,
            "position": progress.position,
            "attempts": progress.attempts,
            "attempts_left": progress.attempts_left,
            "hints_used": len(progress.hints),
            "hints_left": 0 if progress.finished else max(0, MAX_HINTS - len(progress.hints)),
            "finished": progress.finished,
            "solved": progress.solved,
            "skipped": progress.skipped,
            "answer": problem.answer if progress.finished else None,
            "answer_text": Text.of_answer(problem.answer) if progress.finished else None,
        }

    @classmethod
    def of(cls, progress: ProblemProgress) -> ProblemState:
        return cls(**cls.state_of(progress))


class ProblemOut(ProblemState):
    """A problem in full: its state, the question in both languages and the hints shown so far."""

    topic: str
    topic_text: Text = Field(
        description="The topic as a student reads it (the textbook chapter's name in `bn`)."
    )
    difficulty: int
    question: Text
    hints: list[HintOut] = Field(description="Hints shown so far, in ladder order.")

    @classmethod
    def of(cls, progress: ProblemProgress) -> ProblemOut:
        problem = progress.problem
        return cls(
            **cls.state_of(progress),
            topic=problem.topic,
            topic_text=Text.of_topic(problem.topic),
            difficulty=problem.difficulty,
            question=Text(en=problem.question_en, bn=problem.question_bn),
            hints=[HintOut.of(hint) for hint in progress.hints],
        )


_PROBLEM_EXAMPLE: dict[str, Any] = {
    "problem_id": 41,
    "position": 2,
    "topic": "Profit & Loss",
    "topic_text": {"en": "Profit & Loss", "bn": "লাভ-ক্ষতি"},
    "difficulty": 2,
    "question": {
        "en": "A bat costs ৳450 and sells at 20% profit. Selling price?",
        "bn": "একটি ব্যাট ৪৫০ টাকায় কিনে ২০% লাভে বিক্রি করলে বিক্রয়মূল্য কত?",
    },
    "attempts": 1,
    "attempts_left": 2,
    "hints_used": 1,
    "hints": [
        {
            "hint_number": 1,
            "text": {"en": "Profit is 20% of the cost.", "bn": "লাভ ক্রয়মূল্যের ২০%।"},
            "is_ai_generated": False,
        }
    ],
    "hints_left": 2,
    "finished": False,
    "solved": False,
    "skipped": False,
    "answer": None,
    "answer_text": None,
}


_STATE_EXAMPLE = {key: _PROBLEM_EXAMPLE[key] for key in ProblemState.model_fields}

_SESSION_EXAMPLE: dict[str, Any] = {
    "session_id": 301,
    "status": "in_progress",
    "started_at": "2026-05-01T04:00:00Z",
    "expires_at": "2026-05-01T04:30:00Z",
    "completed_at": None,
    "resumed": True,
    "problems_total": 5,
    "problems_correct": 1,
    "total_time_seconds": 0,
    "current_problem": _PROBLEM_EXAMPLE,
}


class SessionFields(BaseModel):
    """What every view of a session says, whatever it shows of its problems."""

    session_id: int
    status: Literal["in_progress", "completed", "abandoned"]
    started_at: datetime
    expires_at: datetime
    completed_at: datetime | None
    resumed: bool = Field(description="True when this is a session already started (or done) today.")
    problems_total: int
    problems_correct: int = Field(description="Problems solved so far.")
    total_time_seconds: int = Field(description="Set when the session completes.")
    current_problem: ProblemOut | None = Field(
        description="The first unfinished problem, in full; null once the session is completed or abandoned."
    )

    @staticmethod
    def fields_of(view: SessionView) -> dict[str, Any]:
        session: PracticeSession = view.session
        current = view.current if session.status == SessionStatus.IN_PROGRESS else None
        return {
            "session_id": session.session_id,
            "status": session.status.value,
            "started_at": session.date,
            "expires_at": session.expires_at,
            "completed_at": session.completed_at,
            "resumed": view.resumed,
            "problems_total": len(view.problems),
            "problems_correct": view.solved_count,
            "total_time_seconds": session.total_time_seconds,
            "current_problem": ProblemOut.of(current) if current is not None else None,
        }


class SessionOut(SessionFields):
    """A session with every problem in full (questions, hints, answers once finished): to review it."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [_SESSION_EXAMPLE | {"problems": [_PROBLEM_EXAMPLE]}]}
    )

    problems: list[ProblemOut]

    @classmethod
    def of(cls, view: SessionView) -> SessionOut:
        return cls(**cls.fields_of(view), problems=[ProblemOut.of(progress) for progress in view.problems])


class SessionStartOut(SessionFields):
    """Today's session as practice needs it: the current problem in full, the others by their state only
    (each comes in full as `next_problem` when the one before it is finished)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [_SESSION_EXAMPLE | {"problems": [_STATE_EXAMPLE]}]}
    )

    problems: list[ProblemState]

    @classmethod
    def of(cls, view: SessionView) -> SessionStartOut:
        return cls(**cls.fields_of(view), problems=[ProblemState.of(progress) for progress in view.problems])


class SubmitAnswer(Body):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"answer": "৳540", "problem_id": 41}]}
    )

    answer: AnswerText = Field(description="What the student typed, in Bengali or English digits.")
    problem_id: ProblemId | None = Field(
        default=None,
        description="The problem being answered. Send it: a retried or doubled request then fails with "
        "409 `problem_not_current` instead of landing on the next problem.",
    )


class ProblemRef(Body):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"problem_id": 41}]})

    problem_id: ProblemId | None = Field(default=None, description="Guards against acting on the wrong one.")


class Reveal(BaseModel):
    """Shown when a problem ends unsolved: the answer, and the last (most complete) hint."""

    answer: str
    answer_text: Text = Field(description="The answer as a student reads it, in both languages.")
    last_hint: Text | None

    @classmethod
    def of(cls, problem: Problem) -> Reveal:
        last = problem.hints[-1] if problem.hints else None
        text = Text(en=last["text_en"], bn=last["text_bn"]) if last is not None else None
        return cls(answer=problem.answer, answer_text=Text.of_answer(problem.answer), last_hint=text)


class StreakChange(BaseModel):
    current: int
    longest: int
    new_milestones: list[int] = Field(description="Milestones reached by this session, to celebrate.")

    @classmethod
    def of(cls, update: StreakUpdate) -> StreakChange:
        return cls(current=update.current, longest=update.longest, new_milestones=list(update.new_milestones))


class CompletionSummary(BaseModel):
    problems_correct: int
    problems_total: int
    total_time_seconds: int
    streak: StreakChange | None


Verdict = Literal["correct", "wrong", "wrong_form", "not_an_answer", "undecided", "skipped"]


class AnswerOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "verdict": "wrong",
                    "correct": False,
                    "recorded": True,
                    "parsed": "৳500",
                    "non_answer": None,
                    "mistake": "other",
                    "attempts_left": 0,
                    "problem_finished": True,
                    "problem": _STATE_EXAMPLE
                    | {
                        "attempts": 3,
                        "attempts_left": 0,
                        "finished": True,
                        "answer": "৳540",
                        "answer_text": {"en": "৳540", "bn": "৫৪০ টাকা"},
                    },
                    "reveal": {
                        "answer": "৳540",
                        "answer_text": {"en": "৳540", "bn": "৫৪০ টাকা"},
                        "last_hint": {
                            "en": "Add the profit to the cost: 450 + 90.",
                            "bn": "ক্রয়মূল্যের সাথে লাভ যোগ করো: ৪৫০ + ৯০।",
                        },
                    },
                    "session_status": "completed",
                    "session_finished": True,
                    "next_problem": None,
                    "summary": {
                        "problems_correct": 4,
                        "problems_total": 5,
                        "total_time_seconds": 912,
                        "streak": {"current": 7, "longest": 7, "new_milestones": [7]},
                    },
                }
            ]
        }
    )

    verdict: Verdict = Field(
        description="`wrong_form` (the right value, not in the form asked), `not_an_answer`, `undecided`: "
        "nothing was recorded and no attempt was used."
    )
    correct: bool
    recorded: bool = Field(description="Whether this counted as an attempt (or skip).")
    parsed: str | None = Field(description="What was read from the text, normalised: `3/4`, `x = 5`.")
    non_answer: NonAnswer | None = Field(description="Why the text was not taken as an answer.")
    mistake: Mistake | None = Field(description="The kind of a wrong answer, when recognisable.")
    form: Form | None = Field(None, description="`wrong_form`: the form the problem wants the answer in.")
    unit: str | None = Field(None, description="`wrong_form`: the unit wanted (`minute`, `sq_m`, `taka`).")
    misconception: str | None = Field(None, description="`wrong`: the common mistake this answer is.")
    feedback: Text | None = Field(
        None, description="What to tell the student: the form wanted, or the mistake."
    )
    attempts_left: int
    problem_finished: bool
    problem: ProblemState = Field(description="Where the problem answered stands after this answer.")
    reveal: Reveal | None = Field(description="Set when the problem just ended unsolved.")
    session_status: Literal["in_progress", "completed", "abandoned"]
    session_finished: bool
    next_problem: ProblemOut | None = Field(
        description="The problem now current, in full, when the one answered just finished; null while the "
        "same problem goes on (its state is `problem`) and once the session is over."
    )
    summary: CompletionSummary | None = Field(description="Set when this answer completed the session.")

    @classmethod
    def of(cls, outcome: AnswerOutcome, *, skipped: bool = False) -> AnswerOut:
        progress = outcome.progress
        view = outcome.view
        session = view.session
        verdict: Verdict = "skipped" if skipped else outcome.check.verdict.value
        summary = None
        if outcome.session_completed:
            summary = CompletionSummary(
                problems_correct=session.problems_correct,
                problems_total=len(view.problems),
                total_time_seconds=session.total_time_seconds,
                streak=StreakChange.of(outcome.streak) if outcome.streak is not None else None,
            )
        current = view.current
        return cls(
            verdict=verdict,
            correct=outcome.is_correct,
            recorded=outcome.recorded,
            parsed=outcome.check.parsed,
            non_answer=outcome.check.non_answer,
            mistake=outcome.check.mistake,
            form=outcome.check.form,
            unit=outcome.check.unit,
            misconception=outcome.check.misconception,
            feedback=Text(en=outcome.feedback[0], bn=outcome.feedback[1]) if outcome.feedback else None,
            attempts_left=progress.attempts_left,
            problem_finished=progress.finished,
            problem=ProblemState.of(progress),
            reveal=Reveal.of(progress.problem) if progress.finished and not progress.solved else None,
            session_status=session.status.value,
            session_finished=outcome.session_completed,
            next_problem=ProblemOut.of(current) if current is not None and progress.finished else None,
            summary=summary,
        )


class HintResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "problem_id": 41,
                    "position": 2,
                    "hint": {
                        "hint_number": 1,
                        "text": {"en": "Profit is 20% of the cost.", "bn": "লাভ ক্রয়মূল্যের ২০%।"},
                        "is_ai_generated": False,
                    },
                    "hints_left": 2,
                }
            ]
        }
    )

    problem_id: int
    position: int
    hint: HintOut
    hints_left: int

    @classmethod
    def of(cls, outcome: HintOutcome) -> HintResponse:
        return cls(
            problem_id=outcome.progress.problem.problem_id,
            position=outcome.progress.position,
            hint=HintOut.of(outcome.hint),
            hints_left=outcome.hints_left,
        )


class ExpireOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"expired": 3, "at": "2026-05-01T05:00:00Z"}]})

    expired: int = Field(description="Sessions past their expiry now marked abandoned.")
    at: datetime
