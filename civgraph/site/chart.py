"""The overview's trend chart: new, resolved and open findings per run, as inline SVG.

This module only computes the geometry (numbers); the template draws it, so every text in the
chart goes through the template's autoescaping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from civgraph.history import TrendPoint

WIDTH = 760
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 56
#: At most this many runs are drawn (the latest ones).
MAX_RUNS = 120
_MAX_LABELS = 12


@dataclass(frozen=True, kw_only=True)
class Bar:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, kw_only=True)
class Column:
    """One run: its two bars, its point on the open line, and its hover text."""

    point: TrendPoint
    new: Bar
    resolved: Bar
    open_x: float
    open_y: float
    label: str | None  #: the date shown under the axis (only every few runs)
    label_x: float


@dataclass(frozen=True, kw_only=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True, kw_only=True)
class Chart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    columns: tuple[Column, ...]
    ticks: tuple[Tick, ...]
    open_path: str  #: SVG polyline points of the open line

    @property
    def baseline(self) -> int:
        return self.height - self.bottom


def layout(points: Sequence[TrendPoint]) -> Chart:
    """Place every run of ``points`` (oldest first) on the chart."""
    shown = list(points)[-MAX_RUNS:]
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    peak = max([1, *(max(p.new, p.resolved, p.open) for p in shown)])
    scale = _nice(peak)
    step = plot_w / max(1, len(shown))
    bar_w = max(1.0, min(18.0, step * 0.35))
    every = max(1, -(-len(shown) // _MAX_LABELS))
    baseline = TOP + plot_h

    def y_of(value: int) -> float:
        return round(baseline - value * plot_h / scale, 2)

    columns: list[Column] = []
    for i, point in enumerate(shown):
        centre = LEFT + step * (i + 0.5)
        new_y, res_y = y_of(point.new), y_of(point.resolved)
        is_labelled = i % every == 0 or i == len(shown) - 1
        columns.append(
            Column(
                point=point,
                new=Bar(
                    x=round(centre - bar_w, 2),
                    y=new_y,
                    width=bar_w,
                    height=round(baseline - new_y, 2),
                ),
                resolved=Bar(
                    x=round(centre, 2), y=res_y, width=bar_w, height=round(baseline - res_y, 2)
                ),
                open_x=round(centre, 2),
                open_y=y_of(point.open),
                label=point.as_of.isoformat() if is_labelled else None,
                label_x=round(centre, 2),
            )
        )
    ticks = tuple(Tick(value=v, y=y_of(v)) for v in (0, scale // 2, scale))
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=RIGHT,
        top=TOP,
        bottom=BOTTOM,
        columns=tuple(columns),
        ticks=ticks,
        open_path=" ".join(f"{c.open_x},{c.open_y}" for c in columns),
    )


def _nice(peak: int) -> int:
    """A round, even top for the axis: ``peak`` rounded up to two significant digits, even.

    >>> [_nice(n) for n in (1, 4, 7, 35, 104, 1234)]
    [2, 4, 8, 36, 120, 1400]
    """
    step = int(2 * 10 ** max(0, len(str(max(1, peak))) - 2))
    return -(-max(1, peak) // step) * step
