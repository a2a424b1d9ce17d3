"""`dars content try PROBLEM_ID "ANSWER"`: how Dars would mark an answer to a library problem, and what the
student would read, with no database at all. The marking is the practice service's (src/practice/service.py):
the same check_answer call with the problem's form and common mistakes.
"""

from __future__ import annotations

from typing import Any

from src.answers.check import CheckResult, Verdict, check_answer
from src.answers.nonanswer import NonAnswer, greets_with_salam
from src.content.library import LibraryProblem
from src.content.marking import Marking, feedback, marking_of

MAX_HINTS = 3


def mark(problem: LibraryProblem, text: str) -> tuple[CheckResult, Marking]:
    """The verdict practice gives `text` as an answer to `problem` (before any AI step)."""
    marking = marking_of(problem)
    return check_answer(
        text, problem.answer, form=marking.form, mistakes=marking.values, unit=marking.unit
    ), marking


def _reply(problem: LibraryProblem, text: str, result: CheckResult, marking: Marking, lang: str) -> str:
    """What the bot answers to a first attempt (three tries, no hint taken yet)."""
    from src.bot import messages  # the student's words are the bot's

    said = feedback(result, marking)
    if result.verdict is Verdict.CORRECT:
        return messages.correct(lang)
    if result.verdict is Verdict.WRONG:
        if said is not None:
            return messages.try_again_with_nudge(lang, 2, said)
        return messages.try_again(lang, 2, result.mistake.value if result.mistake else None)
    if result.verdict is Verdict.WRONG_FORM and said is not None:
        return messages.right_value_other_form(lang, said)
    reason = result.non_answer
    if reason in (NonAnswer.HINT, NonAnswer.HELP, NonAnswer.QUESTION):
        hint = problem.hints[0]
        return messages.hint(lang, 1, MAX_HINTS, hint.bn if lang == "bn" else hint.en)
    if reason is NonAnswer.SKIP:
        last = problem.hints[-1]
        return messages.skipped(lang, problem.answer, last.bn if lang == "bn" else last.en)
    if reason is NonAnswer.DONT_KNOW:
        return messages.dont_know(lang)
    if reason is NonAnswer.GREETING:
        return messages.greeting_during_practice(lang, salam=greets_with_salam(text))
    return messages.write_just_the_answer(lang)


def try_answer(problem: LibraryProblem, text: str) -> dict[str, Any]:
    """One JSON object: the verdict, whether it uses an attempt, what was read, and the replies."""
    result, marking = mark(problem, text)
    return {
        "problem_id": problem.id,
        "answer": text,
        "verdict": result.verdict.value,
        "uses_attempt": result.verdict in (Verdict.CORRECT, Verdict.WRONG),
        "confidence": result.confidence.value,
        "parsed": result.parsed,
        "non_answer": result.non_answer.value if result.non_answer else None,
        "mistake": result.mistake.value if result.mistake else None,
        "form": result.form.value if result.form else None,
        "unit": result.unit,
        "misconception": result.misconception,
        "feedback_en": _reply(problem, text, result, marking, "en"),
        "feedback_bn": _reply(problem, text, result, marking, "bn"),
    }


def format_try(outcome: dict[str, Any]) -> str:
    """For a person: the verdict and its details on one line, then what the student reads."""
    details = [
        f"{name} {outcome[name]}"
        for name in ("parsed", "non_answer", "mistake", "form", "unit", "misconception")
        if outcome[name] is not None
    ]
    attempt = "uses an attempt" if outcome["uses_attempt"] else "no attempt used"
    head = f"{outcome['verdict']} ({outcome['confidence']} confidence, {attempt})"
    lines = [head + (": " + ", ".join(details) if details else "")]
    lines += [f"en: {outcome['feedback_en']}", f"bn: {outcome['feedback_bn']}"]
    return "\n".join(lines)
