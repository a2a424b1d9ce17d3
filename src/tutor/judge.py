"""AI reading of answers the checker left UNDECIDED (practice.ports.AnswerJudge); code keeps the last word.

The model only points at the student's final value (strict JSON, validated here). Then:
- the value is written in the text and is the one the student committed to (grounding.py) and the checker
  can read it -> check_answer decides, never the model;
- otherwise the model's verdict is taken only when it says "wrong", at low confidence: a "correct" that
  code cannot verify is refused (None: the student is asked to rephrase), so no wording of an answer can
  talk its way to a mark;
- "unclear", or anything but the expected JSON -> None.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from src.answers import infer_kind
from src.answers.check import Confidence, Verdict, check_answer
from src.answers.result import lowest
from src.content.marking import marking_for
from src.models import CostOperation, Problem
from src.practice.ports import Judgement
from src.tutor.completion import Complete
from src.tutor.grounding import committed_to
from src.tutor.prompts import judge_prompt

logger = logging.getLogger(__name__)

JUDGE_MAX_TOKENS = 120
_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL)


class AiVerdict(BaseModel):
    """The only reply accepted from the model."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    verdict: Literal["correct", "wrong", "unclear"]
    extracted_answer: str = Field(max_length=200)


def parse_verdict(text: str) -> AiVerdict | None:
    """The model's JSON verdict, or None for anything else (prose, two objects, extra keys, wrong types)."""
    body = text.strip()
    fenced = _FENCE.match(body)
    if fenced:
        body = fenced.group(1)
    if not body.startswith("{") or not body.endswith("}"):
        return None
    try:
        data = json.loads(body)
        return AiVerdict.model_validate(data)
    except (ValueError, ValidationError, RecursionError):  # RecursionError: nested past the parser's stack
        return None


def decide(verdict: AiVerdict, student_text: str, problem: Problem) -> Judgement | None:
    """The judgement code allows from the model's reading (see the module docstring)."""
    if verdict.verdict == "unclear":
        return None
    extracted = verdict.extracted_answer.strip()
    if extracted:
        marking = marking_for(problem.problem_id, problem.answer)
        check = check_answer(extracted, problem.answer, form=marking.form)
        if check.verdict is Verdict.WRONG_FORM:
            return None  # the right value in another form: never an attempt, whatever the model says
        if check.verdict in (Verdict.CORRECT, Verdict.WRONG) and _grounded(extracted, student_text, problem):
            # Read by code, but found by a model: never more than medium confidence.
            confidence = lowest(check.confidence, Confidence.MEDIUM)
            return Judgement(is_correct=check.verdict is Verdict.CORRECT, confidence=confidence.value)
    if verdict.verdict == "wrong":
        return Judgement(is_correct=False, confidence=Confidence.LOW.value)
    return None  # an unverifiable "correct"


def _grounded(extracted: str, student_text: str, problem: Problem) -> bool:
    try:
        kind = infer_kind(problem.answer)
    except ValueError:
        return False
    return committed_to(extracted, student_text, [problem.question_en, problem.question_bn], kind)


class AiJudge:
    """An AnswerJudge on top of a budgeted completion function."""

    def __init__(self, complete: Complete) -> None:
        self._complete = complete

    async def judge(
        self, db: AsyncSession, student_id: int, session_id: int, problem: Problem, student_text: str
    ) -> Judgement | None:
        if not student_text.strip():
            return None
        prompt = judge_prompt(question=problem.question_en, answer=problem.answer, student_text=student_text)
        completion = await self._complete(
            db,
            student_id=student_id,
            session_id=session_id,
            operation=CostOperation.ANSWER_EVALUATION,
            system=prompt.system,
            prompt=prompt.user,
            max_tokens=JUDGE_MAX_TOKENS,
        )
        if completion is None:
            return None
        verdict = parse_verdict(completion.text) if completion.stop_reason != "max_tokens" else None
        if verdict is None:
            logger.info("AI verdict for problem %s was not the expected JSON", problem.problem_id)
            return None
        judgement = decide(verdict, student_text, problem)
        logger.info(
            "AI verdict for problem %s: model %s, decided %s",
            problem.problem_id,
            verdict.verdict,
            "refused" if judgement is None else ("correct" if judgement.is_correct else "wrong"),
        )
        return judgement
