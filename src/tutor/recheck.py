"""`dars tutor recheck-hints`: every AI hint kept for reuse, checked again by today's filter.

A hint stored before the filter learnt a disguise ("4 6", a zero-width space inside a number, digits
spelled one by one) would be shown to every student with the same kind of mistake. This reads each row of
`ai_hints` with its problem's current answer, runs the same checks a fresh hint passes (safety.reject_hint),
and deletes the rows that fail; the next student who needs one gets a fresh, checked hint (one paid call).
The service flushes; the command commits.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from src.models import AiHint, Problem
from src.tutor.safety import reject_hint

logger = logging.getLogger(__name__)


@dataclass
class RecheckResult:
    checked: int = 0
    dropped: int = 0
    reasons: Counter[str] = field(default_factory=Counter)  # rejection -> rows dropped for it

    def summary(self) -> str:
        reasons = ", ".join(f"{reason} {count}" for reason, count in sorted(self.reasons.items()))
        return f"checked {self.checked} stored AI hint(s), dropped {self.dropped}" + (
            f" ({reasons})" if reasons else ""
        )


async def recheck_hints(db: AsyncSession, *, dry_run: bool = False) -> RecheckResult:
    """Delete (unless `dry_run`) every stored AI hint that the checks refuse for its problem's answer."""
    result = RecheckResult()
    rows = await db.execute(
        select(
            AiHint.problem_id,
            AiHint.hint_number,
            AiHint.language,
            AiHint.mistake,
            AiHint.text,
            Problem.answer,
        )
        .join(Problem, Problem.problem_id == AiHint.problem_id)
        .order_by(AiHint.problem_id, AiHint.hint_number, AiHint.language, AiHint.mistake)
    )
    for problem_id, hint_number, language, mistake, text, answer in rows.all():
        result.checked += 1
        rejection = reject_hint(text, "end_turn", canonical=answer, language=language)
        if rejection is None:
            continue
        result.dropped += 1
        result.reasons[rejection.value] += 1
        logger.info(
            "stored AI hint of problem %s (hint %s, %s, %s) fails: %s",
            problem_id,
            hint_number,
            language,
            mistake,
            rejection.value,
        )
        if not dry_run:
            await db.execute(
                delete(AiHint).where(
                    AiHint.problem_id == problem_id,
                    AiHint.hint_number == hint_number,
                    AiHint.language == language,
                    AiHint.mistake == mistake,
                )
            )
    await db.flush()
    return result
