"""`dars teachers add`: an operator adds a teacher from the command line."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from src.cli import main
from src.database import get_session
from src.models import Teacher


async def test_dars_teachers_add(committed: None, capsys: pytest.CaptureFixture[str]) -> None:
    # The command runs its own event loop (as it does in a terminal): give it a thread.
    code = await asyncio.to_thread(
        main, ["teachers", "add", "--telegram-id", "884001", "--name", " Ayesha  Khatun "]
    )
    assert code == 0
    assert "added: Ayesha Khatun" in capsys.readouterr().out
    async with get_session() as db:
        teacher = (await db.execute(select(Teacher).where(Teacher.telegram_id == 884001))).scalar_one()
    assert (teacher.name, teacher.language) == ("Ayesha Khatun", "bn")
    again = await asyncio.to_thread(main, ["teachers", "add", "--telegram-id", "884001", "--name", "Someone"])
    assert again == 1
    assert "exists" in capsys.readouterr().err
