"""Service by interval's heatmap as an HTML table: a row per day, a column per interval,
each cell the interval's service level in percent, coloured from red (none met) through
yellow (the target) to green (all met), in bold where the interval missed its own
target. A cell's tooltip gives its sample and staffing; clicking it opens the page on
that interval (``link``).

A table of figures rather than a chart: a manager reads by how much each interval
missed without hovering, and the browser lays out a few thousand cells of text in a
fraction of the time a chart of the same cells takes to draw (bench/findings.md)."""

from __future__ import annotations

import html
import math
from collections.abc import Callable

import pandas as pd

RED, YELLOW, GREEN = "#d73027", "#fee08b", "#1a9850"  # Vega's red-yellow-green ends
STYLE = """
<style>
.ccw-heatmap-wrap {overflow: auto}
.ccw-heatmap {border-collapse: collapse; table-layout: fixed; width: 100%;
  font-size: 11px; font-family: "Source Sans Pro", sans-serif; color: #262730;
  font-variant-numeric: tabular-nums}
.ccw-heatmap th {position: sticky; top: 0; background: #ffffff; font-weight: 400;
  padding: 2px 0; white-space: nowrap; overflow: visible; text-align: left}
.ccw-heatmap th.ccw-day {position: sticky; left: 0; z-index: 1; width: 84px;
  text-align: right; padding-right: 6px}
.ccw-heatmap td {text-align: center; padding: 0; border: 1px solid #ffffff}
.ccw-heatmap td a {display: block; padding: 2px 0; color: inherit; text-decoration: none}
.ccw-heatmap td.ccw-missed {font-weight: 700}
.ccw-heatmap-legend {display: flex; align-items: center; gap: 6px; font-size: 12px;
  color: #6b6f76; margin-top: 6px}
.ccw-heatmap-legend span.ccw-scale {width: 240px; height: 10px; border-radius: 2px}
</style>
"""


def colour(level: float, target: float) -> str:
    """The cell's background: red at 0, yellow at the target, green at 1, blended
    linearly in between."""
    if level < target:
        return _blend(RED, YELLOW, level / target if target > 0 else 1.0)
    return _blend(YELLOW, GREEN, (level - target) / (1 - target) if target < 1 else 1.0)


def _blend(low: str, high: str, share: float) -> str:
    share = min(1.0, max(0.0, share))
    low_rgb, high_rgb = _rgb(low), _rgb(high)
    return "#" + "".join(
        f"{round(a + (b - a) * share):02x}" for a, b in zip(low_rgb, high_rgb, strict=True)
    )


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _text_colour(background: str) -> str:
    """White on the dark ends of the scale, else the page's text colour."""
    red, green, blue = _rgb(background)
    return "#ffffff" if 0.299 * red + 0.587 * green + 0.114 * blue < 140 else "#262730"


def to_html(
    cells: pd.DataFrame,
    target: float,
    measured: str,
    link: Callable[[str], str],
    height: int = 640,
) -> str:
    """``cells``: one row per interval with ``cell`` (its key), ``day``,
    ``interval_label``, ``service_level``, ``service_level_target`` (its queues' own),
    ``against_target``, ``offered_legs``, ``staffed_agents``,
    ``required_agents_erlang_c`` and ``measured`` (the legs its service level is over).
    ``target``: where the scale turns from red to green. ``link``: the address a cell
    opens, given its key. ``height``: the most pixels before it scrolls (its headings
    and days stay)."""
    intervals = sorted(cells["interval_label"].unique())
    shown_columns = ["cell", "day", "interval_label", "service_level", "service_level_target",
                     "against_target", measured, "offered_legs", "staffed_agents",
                     "required_agents_erlang_c"]  # fmt: skip
    # Plain values, column by column: a row at a time through pandas takes 0.3 s or more.
    columns = {name: cells[name].tolist() for name in shown_columns}
    by_day: dict = {}
    for row in (
        dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ):
        by_day.setdefault(row["day"], {})[row["interval_label"]] = row
    head = '<th class="ccw-day"></th>' + "".join(map(_heading, intervals))
    body = []
    for day, rows in sorted(by_day.items()):
        shown = [f'<th class="ccw-day">{day:%a %d %b}</th>']
        for label in intervals:
            row = rows.get(label)
            shown.append("<td></td>" if row is None else _cell(row, measured, target, link))
        body.append(f"<tr>{''.join(shown)}</tr>")
    legend = (
        '<div class="ccw-heatmap-legend">0%<span class="ccw-scale" style="background: '
        f"linear-gradient(to right, {RED} 0%, {YELLOW} {100 * target:.0f}%, {GREEN} 100%)"
        f'"></span>100% · yellow: the target, {target:.0%}</div>'
    )
    return (
        f'{STYLE}<div class="ccw-heatmap-wrap" style="max-height: {height}px">'
        f'<table class="ccw-heatmap"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>{legend}"
    )


def _heading(label: str) -> str:
    """Whole hours are named, across the columns of the hour (too narrow for a time
    each); every column's time shows on hover."""
    shown = label if label.endswith(":00") else ""
    return f'<th title="{label}">{shown}</th>'


def _cell(row: dict, measured: str, target: float, link: Callable[[str], str]) -> str:
    level = row["service_level"]
    background = colour(level, target)
    tooltip = (
        f"{row['day']:%a %d %b} {row['interval_label']} · {level:.1%} of "
        f"{row[measured]:,.0f} legs (target {row['service_level_target']:.0%}, "
        f"{row['against_target']}) · {row['offered_legs']:,.0f} offered · "
        f"{_number(row['staffed_agents'], '{:.1f}')} agents staffed, "
        f"{_number(row['required_agents_erlang_c'], '{:.0f}')} required (Erlang C)"
    )
    missed = ' class="ccw-missed"' if level < row["service_level_target"] else ""
    return (
        f'<td{missed} style="background: {background}; color: {_text_colour(background)}" '
        f'title="{html.escape(tooltip)}"><a href="{html.escape(link(row["cell"]))}" '
        f'target="_self">{_whole_percent(level)}</a></td>'
    )


def _whole_percent(level: float) -> int:
    """The figure a cell shows, rounded down: 79.6% reads 79, never the 80 it missed."""
    return math.floor(100 * level + 1e-9)  # 0.29 * 100 is 28.999…


def _number(value, fmt: str) -> str:
    return "n/a" if value is None or pd.isna(value) else fmt.format(value)
