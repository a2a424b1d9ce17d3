"""Prices per model (pure). USD per million tokens; the table lives in settings so it can be updated
without a release (DARS_PRICING_JSON), and a model missing from it is refused rather than priced at zero."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, Field


class ModelPrice(BaseModel):
    """USD per million tokens."""

    input: float = Field(ge=0)
    output: float = Field(ge=0)
    cache_write: float = Field(ge=0)
    cache_read: float = Field(ge=0)


# Late-2026 list prices (see ../shared/docs/external-facts.md); verify before changing the default model.
DEFAULT_PRICES: dict[str, ModelPrice] = {
    "claude-haiku-4-5": ModelPrice(input=1.0, output=5.0, cache_write=1.25, cache_read=0.10),
    "claude-haiku-5-5": ModelPrice(input=0.10, output=0.50, cache_write=0.125, cache_read=0.01),
    "claude-sonnet-4-5": ModelPrice(input=3.0, output=15.0, cache_write=3.75, cache_read=0.30),
    "claude-sonnet-4-6": ModelPrice(input=3.0, output=15.0, cache_write=3.75, cache_read=0.30),
}


class UnknownModelPrice(KeyError):
    """No price is configured for a model: we refuse to call what we cannot cost."""


@dataclass(frozen=True)
class Usage:
    input_tokens: int
    output_tokens: int
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0


def price_for(model: str, prices: dict[str, ModelPrice]) -> ModelPrice:
    if model in prices:
        return prices[model]
    # Dated snapshots ("claude-haiku-4-5-20251001") are priced as their family alias.
    for name, price in prices.items():
        if model.startswith(name + "-"):
            return price
    raise UnknownModelPrice(f"no price configured for model {model!r}")


def cost_usd(model: str, usage: Usage, prices: dict[str, ModelPrice]) -> float:
    """The cost of one call's usage, in USD."""
    price = price_for(model, prices)
    return (
        usage.input_tokens * price.input
        + usage.output_tokens * price.output
        + usage.cache_creation_input_tokens * price.cache_write
        + usage.cache_read_input_tokens * price.cache_read
    ) / 1_000_000


def worst_case_cost(
    model: str, input_tokens: int, max_output_tokens: int, prices: dict[str, ModelPrice]
) -> float:
    """An upper bound for a call before it is made (all input uncached, every output token used)."""
    return cost_usd(model, Usage(input_tokens=input_tokens, output_tokens=max_output_tokens), prices)
