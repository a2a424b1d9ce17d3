"""Bar charts as plain geometry: the templates draw it as inline SVG (no script, nothing from elsewhere).

A chart also carries its numbers as rows, which the page shows as a table for screen readers and for
anyone who wants the figures.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

WIDTH = 640
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 10, 28


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str


@dataclass(frozen=True)
class Tick:
    position: float
    text: str

    @property
    def anchor(self) -> str:
        """Labels at the plot's ends are aligned inwards, so that they are not cut off."""
        if self.position >= WIDTH - RIGHT - 24:
            return "end"
        return "start" if self.position <= LEFT + 4 else "middle"


@dataclass(frozen=True)
class Marker:
    """A vertical line across the plot (the budget on the cost histogram)."""

    x: float
    text: str


@dataclass(frozen=True)
class Chart:
    key: str  # the element id, for tests and for aria-labelledby
    title: str
    bars: list[Bar]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    columns: tuple[str, str]
    rows: list[tuple[str, str]]
    marker: Marker | None = None
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM
    highlight: list[bool] = field(default_factory=list)  # bars drawn in the warning colour

    @property
    def empty(self) -> bool:
        return not any(bar.height > 0 for bar in self.bars)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above `value` (1 for nothing)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * power + 1e-12:
            return step * power
    return 10 * power


def bar_chart(
    key: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    columns: tuple[str, str],
    shown: Callable[[float], str],
    label_every: int = 1,
    highlight: Sequence[bool] = (),
    marker: Marker | None = None,
    edge_labels: Sequence[str] | None = None,
) -> Chart:
    """Vertical bars, one per label, on a 0-based axis with three ticks."""
    top_value = nice_ceiling(max(values, default=0.0))
    plot_width = WIDTH - RIGHT - LEFT
    plot_height = HEIGHT - BOTTOM - TOP
    slot = plot_width / max(1, len(values))
    gap = min(4.0, slot * 0.2)
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = plot_height * (value / top_value) if value > 0 else 0.0
        height = max(height, 1.5) if value > 0 else 0.0  # a tiny value stays visible
        bars.append(
            Bar(
                x=round(LEFT + index * slot + gap / 2, 2),
                y=round(TOP + plot_height - height, 2),
                width=round(slot - gap, 2),
                height=round(height, 2),
                label=label,
                value=shown(value),
            )
        )
    if edge_labels is not None:  # a histogram: the axis names the bins' edges, not their middles
        x_ticks = [
            Tick(round(LEFT + index * slot, 2), label)
            for index, label in enumerate(edge_labels)
            if index % label_every == 0
        ]
    else:
        x_ticks = [
            Tick(round(LEFT + (index + 0.5) * slot, 2), label)
            for index, label in enumerate(labels)
            if index % label_every == 0
        ]
    y_ticks = [
        Tick(round(TOP + plot_height * (1 - fraction), 2), shown(top_value * fraction))
        for fraction in (0.0, 0.5, 1.0)
    ]
    rows = [(label, shown(value)) for label, value in zip(labels, values, strict=True)]
    return Chart(key, title, bars, x_ticks, y_ticks, columns, rows, marker, highlight=list(highlight))


BUDGET_IN_VIEW = 4.0  # the axis reaches the budget when the highest cost is at least a quarter of it


def histogram_edges(budget: float, highest: float, bins: int = 12) -> list[float]:
    """Equal bins from 0 past the highest value, of a round width; past the budget too when the highest
    cost is near enough to it to share an axis (otherwise the spread would vanish into one bar)."""
    span = max(highest, 1e-6)
    if budget > 0 and highest * BUDGET_IN_VIEW >= budget:
        span = max(span, budget)
    width = nice_ceiling(span * 1.05 / bins)
    count = max(1, math.ceil(span * 1.0001 / width))
    return [round(width * i, 10) for i in range(count + 1)]


def marker_at(value: float, edges: Sequence[float], text: str) -> Marker:
    """The line at `value`; at the right edge, pointing on, when the value is past the axis."""
    plot_width = WIDTH - RIGHT - LEFT
    if edges[-1] and value > edges[-1]:
        return Marker(float(WIDTH - RIGHT), f"{text} →")
    fraction = value / edges[-1] if edges[-1] else 0.0
    return Marker(round(LEFT + plot_width * fraction, 2), text)
