"""What the hint and judge logic need from a model: one budgeted, recorded completion, or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from src.models import CostOperation


@dataclass(frozen=True)
class Completion:
    text: str
    stop_reason: str | None  # "end_turn", "max_tokens", "refusal", ...


class Complete(Protocol):
    async def __call__(
        self,
        db: AsyncSession,
        *,
        student_id: int,
        session_id: int | None,
        operation: CostOperation,
        system: str,
        prompt: str,
        max_tokens: int,
    ) -> Completion | None:
        """The model's reply, or None when no call was made or it failed (the caller falls back).

        Implementations check the student's budget before calling and record what a returned call cost.
        """
