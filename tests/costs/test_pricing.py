"""Pricing arithmetic (pure)."""

from __future__ import annotations

import pytest

from src.config import ConfigError, get_settings
from src.costs.pricing import DEFAULT_PRICES, UnknownModelPrice, Usage, cost_usd, worst_case_cost


def test_haiku_45_prices() -> None:
    usage = Usage(input_tokens=1_000_000, output_tokens=1_000_000)
    assert cost_usd("claude-haiku-4-5", usage, DEFAULT_PRICES) == pytest.approx(6.0)


def test_cache_tokens_priced_separately() -> None:
    usage = Usage(
        input_tokens=100, output_tokens=50, cache_creation_input_tokens=2000, cache_read_input_tokens=4000
    )
    expected = (100 * 1.0 + 50 * 5.0 + 2000 * 1.25 + 4000 * 0.10) / 1_000_000
    assert cost_usd("claude-haiku-4-5", usage, DEFAULT_PRICES) == pytest.approx(expected)


def test_dated_snapshot_priced_as_alias_and_unknown_refused() -> None:
    usage = Usage(input_tokens=10, output_tokens=10)
    assert cost_usd("claude-haiku-4-5-20251001", usage, DEFAULT_PRICES) == cost_usd(
        "claude-haiku-4-5", usage, DEFAULT_PRICES
    )
    with pytest.raises(UnknownModelPrice):
        cost_usd("gpt-4o", usage, DEFAULT_PRICES)


def test_worst_case_is_an_upper_bound() -> None:
    bound = worst_case_cost("claude-haiku-4-5", 500, 200, DEFAULT_PRICES)
    real = cost_usd("claude-haiku-4-5", Usage(input_tokens=480, output_tokens=120), DEFAULT_PRICES)
    assert bound >= real > 0


def test_pricing_override_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "DARS_PRICING_JSON", '{"my-model": {"input": 2, "output": 4, "cache_write": 0, "cache_read": 0}}'
    )
    get_settings.cache_clear()
    try:
        prices = get_settings().pricing
        assert prices["my-model"].output == 4 and "claude-haiku-4-5" in prices
        monkeypatch.setenv("DARS_PRICING_JSON", '{"my-model": {"input": -1}}')
        get_settings.cache_clear()
        with pytest.raises(ConfigError, match="DARS_PRICING_JSON"):
            get_settings()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
