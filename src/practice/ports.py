"""What practice needs from the AI tutor, as protocols: practice works fully without one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from src.answers.check import CheckResult
from src.models import Problem


@dataclass(frozen=True)
class HintRequest:
    student_id: int
    session_id: int
    problem: Problem
    hint_number: int  # 1..3, the ladder position being asked for
    language: str  # "bn" | "en"
    last_answer: str | None  # the student's latest wrong answer to this problem, if any
    last_check: CheckResult | None


@dataclass(frozen=True)
class HintText:
    text_en: str
    text_bn: str
    is_ai_generated: bool


class HintSource(Protocol):
    async def hint(self, db: AsyncSession, request: HintRequest) -> HintText | None:
        """A hint for this request, or None to fall back to the curated ladder."""


@dataclass(frozen=True)
class Judgement:
    is_correct: bool
    confidence: str  # "low" | "medium" | "high"


class AnswerJudge(Protocol):
    async def judge(
        self, db: AsyncSession, student_id: int, session_id: int, problem: Problem, student_text: str
    ) -> Judgement | None:
        """Decide an answer the deterministic checker could not; None when no judgement can be had."""
