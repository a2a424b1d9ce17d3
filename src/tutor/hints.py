"""Personalised hints (practice.ports.HintSource): after a wrong answer, a hint about that kind of mistake.

Order of work, cheapest first:
1. no wrong answer yet -> the curated hint (None), no call;
2. a hint already written for (problem, level, language, kind of mistake) -> served free, no call;
3. otherwise one budgeted call; the text is checked by code (safety.py) and, when fit, stored for reuse.
A rejected or failed call falls back to the curated hint; a billed call is recorded either way.
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from src.answers.check import Mistake, Verdict
from src.answers.normalize import to_bengali_digits
from src.models import AiHint, CostOperation
from src.practice.ports import HintRequest, HintText
from src.tutor.completion import Complete
from src.tutor.prompts import hint_prompt
from src.tutor.safety import clean_hint, quotes_student, reject_hint

logger = logging.getLogger(__name__)

HINT_MAX_TOKENS = 200


def mistake_of(request: HintRequest) -> Mistake:
    """The kind of mistake the hint is about (and is stored under); OTHER when the checker named none."""
    check = request.last_check
    if check is not None and check.verdict is Verdict.WRONG and check.mistake is not None:
        return check.mistake
    return Mistake.OTHER


def _language(request: HintRequest) -> str:
    return "bn" if request.language == "bn" else "en"


def _hint_text(ai_text: str, curated: dict[str, str], language: str) -> HintText:
    # The AI text in the student's language; the other field keeps the curated hint of the same level.
    if language == "bn":
        return HintText(text_en=curated["text_en"], text_bn=ai_text, is_ai_generated=True)
    return HintText(text_en=ai_text, text_bn=curated["text_bn"], is_ai_generated=True)


class AiHints:
    """A HintSource on top of a budgeted completion function and the ai_hints reuse table."""

    def __init__(self, complete: Complete, model: str) -> None:
        self._complete = complete
        self._model = model

    async def hint(self, db: AsyncSession, request: HintRequest) -> HintText | None:
        if not request.last_answer:
            return None  # nothing to personalise yet: the curated ladder is as good and free
        problem = request.problem
        level = request.hint_number
        if not 1 <= level <= len(problem.hints):
            return None
        curated: dict[str, str] = problem.hints[level - 1]
        language = _language(request)
        mistake = mistake_of(request)

        stored = await self._stored(db, problem.problem_id, level, language, mistake)
        if stored is not None:
            # Re-checked on the way out: the library's answer may have been edited since it was written.
            if reject_hint(stored, "end_turn", canonical=problem.answer, language=language) is None:
                return _hint_text(stored, curated, language)
            # Gone, so that the fresh hint paid for below can take its place (dars tutor recheck-hints
            # does the same for every stored hint at once).
            logger.warning("stored AI hint for problem %s no longer passes the checks", problem.problem_id)
            await db.execute(
                delete(AiHint).where(
                    AiHint.problem_id == problem.problem_id,
                    AiHint.hint_number == level,
                    AiHint.language == language,
                    AiHint.mistake == mistake.value,
                )
            )

        question = problem.question_bn if language == "bn" else problem.question_en
        curated_text = curated["text_bn"] if language == "bn" else curated["text_en"]
        prompt = hint_prompt(
            question=question,
            curated_hint=curated_text,
            last_answer=request.last_answer,
            mistake=mistake,
            level=level,
            language=language,
        )
        completion = await self._complete(
            db,
            student_id=request.student_id,
            session_id=request.session_id,
            operation=CostOperation.HINT_GENERATION,
            system=prompt.system,
            prompt=prompt.user,
            max_tokens=HINT_MAX_TOKENS,
        )
        if completion is None:
            return None
        text = clean_hint(completion.text)
        if language == "bn":  # the prompt asks for Bengali digits; a model that forgets still gets them
            text = to_bengali_digits(text)
        rejection = reject_hint(text, completion.stop_reason, canonical=problem.answer, language=language)
        if rejection is not None:
            logger.info("AI hint for problem %s rejected: %s", problem.problem_id, rejection.value)
            return None
        known = [problem.question_en, problem.question_bn, *(h["text_en"] for h in problem.hints)]
        known += [h["text_bn"] for h in problem.hints]
        if quotes_student(text, request.last_answer, known):
            logger.info("AI hint for problem %s quotes the student's answer: not stored", problem.problem_id)
        else:
            await self._store(db, problem.problem_id, level, language, mistake, text)
        return _hint_text(text, curated, language)

    @staticmethod
    async def _stored(
        db: AsyncSession, problem_id: int, level: int, language: str, mistake: Mistake
    ) -> str | None:
        return (
            await db.execute(
                select(AiHint.text).where(
                    AiHint.problem_id == problem_id,
                    AiHint.hint_number == level,
                    AiHint.language == language,
                    AiHint.mistake == mistake.value,
                )
            )
        ).scalar_one_or_none()

    async def _store(
        self, db: AsyncSession, problem_id: int, level: int, language: str, mistake: Mistake, text: str
    ) -> None:
        # A concurrent request may have stored one first: keep theirs (both were paid for, one is kept).
        await db.execute(
            insert(AiHint)
            .values(
                problem_id=problem_id,
                hint_number=level,
                language=language,
                mistake=mistake.value,
                text=text,
                model=self._model,
            )
            .on_conflict_do_nothing()
        )
