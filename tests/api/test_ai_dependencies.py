"""The API asks the AI tutor only when there is one: without a key, no hint source and no judge."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from src.api.dependencies import answer_judge, hint_source
from src.config import get_settings
from src.tutor import ClaudeProvider, get_provider


@pytest.fixture
def fresh_provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    get_settings.cache_clear()
    get_provider.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()
    get_provider.cache_clear()


async def test_without_a_key_hints_are_curated_and_nothing_is_judged(
    fresh_provider: pytest.MonkeyPatch,
) -> None:
    fresh_provider.delenv("ANTHROPIC_API_KEY", raising=False)
    assert await hint_source() is None  # so a hint does not even look up the student's language
    assert await answer_judge() is None


async def test_with_a_key_claude_gives_hints_and_judges(fresh_provider: pytest.MonkeyPatch) -> None:
    fresh_provider.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key")
    assert isinstance(await hint_source(), ClaudeProvider)
    assert isinstance(await answer_judge(), ClaudeProvider)
