"""The queue scorecard: every queue's service, staffing, cost and loyalty figures for a
period, each against its target and against earlier periods, with the change judged
against its noise (ccw/noise.py). Built from ``queries.queue_scorecard`` frames; drawn
as HTML by the app's Scorecard page and by the weekly report, and as rows for a CSV.
No Streamlit here."""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from ccw.dashboard.queries import ALL_QUEUES
from ccw.labels import human
from ccw.noise import Moments, change_z, count_z, standard_error

UP, DOWN = "up", "down"


def _pct(value: float) -> str:
    return f"{value:.1%}"


def _points(change: float) -> str:
    return f"{100 * change:+.1f} pts"


def _signed(change: float, unit: str) -> str:
    """A whole-number change with its sign; one that rounds to nothing is ±0."""
    rounded = round(change)
    return f"±0 {unit}" if rounded == 0 else f"{rounded:+,d} {unit}"


def _seconds(value: float) -> str:
    return f"{value:,.0f} s"


def _minutes(value: float) -> str:
    minutes, seconds = divmod(round(value), 60)
    return f"{minutes}:{seconds:02d}"


def _money(value: float) -> str:
    return f"${value:,.2f}"


def _count(value: float) -> str:
    return f"{value:,.0f}"


def _relative(change: float, before: float) -> str:
    return f"{change / before:+.0%}" if before else f"{change:+,.0f}"


@dataclass(frozen=True)
class Line:
    """One line of the scorecard: how to read, judge and write one figure."""

    key: str
    label: str
    definition: str  # a metric of the catalogue, or another measure (definitions.hover)
    value: Callable[[pd.Series], float | None]
    show: Callable[[float], str]
    change: Callable[[float, float], str]  # (now - before, before) → text
    sample: str | None = None  # the count the figure is over
    unit: str = ""
    better: str | None = None  # UP, DOWN, or None: a change is neither good nor bad
    moments: Callable[[pd.Series], Moments] | None = None
    target: str | None = None  # column of the queue's target
    is_count: bool = False  # judged as a count (Poisson), not a rate
    detail: Callable[[pd.Series], str] | None = None
    empty: str = ""  # why the figure can be missing, when not for want of units


def _column(name: str) -> Callable[[pd.Series], float | None]:
    return lambda row: row.get(name)


def _below_share(row: pd.Series) -> float | None:
    staffed = row["staffed_intervals_with_service_level"]
    if not staffed:
        return None
    return (staffed - row["intervals_meeting_target"]) / staffed


def _below_detail(row: pd.Series) -> str:
    staffed = int(row["staffed_intervals_with_service_level"])
    below = staffed - int(row["intervals_meeting_target"])
    gap = row.get("below_target_gap")
    by = f", short by {100 * gap:.1f} pts on average" if below and _present(gap) else ""
    return f"{below:,} of {staffed:,} intervals{by}"


def _agent_hours_gap(row: pd.Series) -> float | None:
    staffed, required = row.get("staffed_agent_hours"), row.get("required_agent_hours")
    if not (_present(staffed) and _present(required)):
        return None
    return staffed - required


def _agent_hours_detail(row: pd.Series) -> str:
    return (
        f"{row['staffed_agent_hours']:,.0f} staffed of {row['required_agent_hours']:,.0f} "
        "required (Erlang C)"
    )


FOLLOWED = "no call followed long enough yet"
LINES = (
    Line("offered", "Offered", "offered_legs", _column("offered_legs"), _count, _relative,
         is_count=True),
    Line("answered", "Answered", "answered_legs", _column("answered_legs"), _count, _relative,
         is_count=True),
    Line("abandon_rate", "Abandon rate", "abandon_rate", _column("abandon_rate"), _pct,
         lambda change, _: _points(change), "offered_legs", "legs offered", DOWN,
         lambda row: Moments.share(row["abandoned_legs"], row["offered_legs"]),
         "abandon_rate_target"),
    Line("asa", "ASA", "asa_seconds", _column("asa_seconds"), _seconds,
         lambda change, _: _signed(change, "s"), "answered_legs", "legs answered", DOWN,
         lambda row: Moments.mean(row["answered_wait_squared"], row["answered_legs"],
                                  row["answered_wait_seconds"]),
         "asa_target_seconds"),
    Line("wait_p90", "Wait, 90th percentile", "wait_percentiles", _column("wait_p90_seconds"),
         _seconds, lambda change, _: _signed(change, "s"), "offered_legs", "legs offered", DOWN),
    Line("service_level", "Service level", "service_level", _column("service_level"), _pct,
         lambda change, _: _points(change), "service_level_base_legs", "legs measured", UP,
         lambda row: Moments.share(row["service_level_met_legs"],
                                   row["service_level_base_legs"]),
         "service_level_target"),
    Line("intervals_below", "Intervals below target", "share_of_intervals_meeting_target",
         _below_share, _pct, lambda change, _: _points(change),
         "staffed_intervals_with_service_level", "staffed intervals", DOWN,
         lambda row: Moments.share(
             row["staffed_intervals_with_service_level"] - row["intervals_meeting_target"],
             row["staffed_intervals_with_service_level"]),
         detail=_below_detail),
    Line("aht", "AHT (min:s)", "aht_seconds", _column("aht_seconds"), _minutes,
         lambda change, _: _signed(change, "s"), "handled_legs", "legs handled", None,
         lambda row: Moments.mean(row["handle_squared"], row["handled_legs"],
                                  row["handle_seconds"])),
    Line("occupancy", "Occupancy", "occupancy", _column("occupancy"), _pct,
         lambda change, _: _points(change)),
    Line("agent_hours", "Agent-hours, staffed − required", "required_agents", _agent_hours_gap,
         lambda value: f"{value:+,.0f} h", lambda change, _: _signed(change, "h"),
         detail=_agent_hours_detail),
    Line("cost_per_contact", "Cost per contact", "cost_per_contact", _column("cost_per_contact"),
         _money, lambda change, _: f"{'+' if change >= 0 else '−'}${abs(change):,.2f}",
         "answered_calls", "calls answered", DOWN,
         lambda row: Moments(row["cost_squared"], row["answered_cost"], row["answered_calls"],
                             row["answered_calls"])),
    Line("cost_per_resolved", "Cost per resolved contact", "cost_per_resolved_contact",
         _column("cost_per_resolved_contact"), _money,
         lambda change, _: f"{'+' if change >= 0 else '−'}${abs(change):,.2f}",
         "resolved_calls", "calls resolved", DOWN,
         lambda row: Moments(row["observed_cost_squared"], row["resolved_cost"],
                             row["resolved_calls"], row["resolved_calls"]),
         empty=FOLLOWED),
    Line("fcr", "First-contact resolution", "fcr", _column("fcr"), _pct,
         lambda change, _: _points(change), "resolution_observed_calls", "calls followed", UP,
         lambda row: Moments.share(row["resolved_calls"], row["resolution_observed_calls"]),
         empty=FOLLOWED),
    Line("csat", "CSAT (top-2-box)", "csat_top2", _column("csat_top2"), _pct,
         lambda change, _: _points(change), "csat_responses", "responses", UP,
         lambda row: Moments.share(row["csat_top2"] * row["csat_responses"],
                                   row["csat_responses"])),
)  # fmt: skip


# Figures the Overview judges beside the scorecard's: NPS (each response +100, 0 or
# -100) and the customer churn rate of a period (a share of the customers active).
OTHER_LINES = (
    Line("nps", "NPS", "nps", _column("nps"), lambda value: f"{value:.1f}",
         lambda change, _: f"{change:+.1f}", "nps_responses", "responses", UP,
         lambda row: Moments(
             10_000 * (row["nps_promoters"] + row["nps_detractors"]),
             100 * (row["nps_promoters"] - row["nps_detractors"]),
             row["nps_responses"], row["nps_responses"])),
    Line("churn", "Customer churn", "churn_rate", _column("churn_rate"), lambda v: f"{v:.2%}",
         lambda change, _: _points(change), "customers_active_at_start", "customers", DOWN,
         lambda row: Moments.share(row["customers_churned"], row["customers_active_at_start"])),
)  # fmt: skip
JUDGED = {line.key: line for line in (*LINES, *OTHER_LINES)}


@dataclass(frozen=True)
class Change:
    compared_with: str
    before: float | None
    before_sample: float | None
    difference: float | None
    text: str
    z: float | None
    verdict: str  # "better", "worse", "changed", "within noise", "not judged", "no data"


@dataclass(frozen=True)
class Cell:
    queue: str
    line: Line
    value: float | None
    text: str
    sample: float | None
    small_sample: bool
    target: float | None = None
    meets_target: bool | None = None
    detail: str = ""
    changes: list[Change] = field(default_factory=list)


@dataclass(frozen=True)
class Scorecard:
    queues: list[str]
    cells: dict[tuple[str, str], Cell]
    compared_with: list[str]
    min_sample: int
    min_z: float


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _number(value) -> float | None:
    return float(value) if _present(value) else None


def build(
    now: pd.DataFrame,
    earlier: list[tuple[str, pd.DataFrame]],
    min_sample: int,
    min_z: float,
) -> Scorecard:
    """The scorecard of one period (``now``) against each ``(label, frame)`` earlier."""
    now = now.set_index("key")
    earlier = [(label, frame.set_index("key")) for label, frame in earlier]
    cells = {}
    for queue, row in now.iterrows():
        for line in LINES:
            cells[(queue, line.key)] = _cell(queue, line, row, earlier, min_sample, min_z)
    return Scorecard(list(now.index), cells, [label for label, _ in earlier], min_sample, min_z)


def _sample(line: Line, row) -> float | None:
    return _number(row.get(line.sample)) if line.sample else None


def _cell(queue, line: Line, row, earlier, min_sample: int, min_z: float) -> Cell:
    value = _number(line.value(row))
    sample = _sample(line, row)
    small = value is not None and sample is not None and sample < min_sample
    target = _number(row.get(line.target)) if line.target else None
    meets = None
    if value is not None and target is not None and not small:
        meets = value >= target if line.better == UP else value <= target
    changes = [
        _change(label, line, row, frame.loc[queue] if queue in frame.index else None,
                min_sample, min_z)
        for label, frame in earlier
    ]  # fmt: skip
    return Cell(
        queue=queue,
        line=line,
        value=value,
        text="n/a" if value is None else line.show(value),
        sample=sample,
        small_sample=small,
        target=target,
        meets_target=meets,
        detail=line.detail(row) if line.detail and value is not None else "",
        changes=changes,
    )


def _change(label, line: Line, row, before_row, min_sample: int, min_z: float) -> Change:
    value = _number(line.value(row))
    before = _number(line.value(before_row)) if before_row is not None else None
    if value is None or before is None:
        return Change(label, before, None, None, "", None, "no data")
    before_sample = _sample(line, before_row)
    difference = value - before
    text = line.change(difference, before)
    if line.is_count:
        z = count_z(value, before)
    elif line.moments is None:
        return Change(label, before, before_sample, difference, text, None, "not judged")
    else:
        z = change_z(
            value, standard_error(value, line.moments(row)),
            before, standard_error(before, line.moments(before_row)),
        )  # fmt: skip
    too_few = any(
        sample is not None and sample < min_sample for sample in (_sample(line, row), before_sample)
    )
    if z is None or too_few:
        verdict = "not judged"
    elif abs(z) < min_z:
        verdict = "within noise"
    elif line.better is None:
        verdict = "changed"
    else:
        rose = difference > 0
        verdict = "better" if rose == (line.better == UP) else "worse"
    return Change(label, before, before_sample, difference, text, z, verdict)


def judge(key: str, now: dict, before: dict, min_sample: int, min_z: float) -> Change:
    """One figure of a period against another (rows as dicts of the queries' columns)."""
    return _change("", JUDGED[key], pd.Series(now), pd.Series(before), min_sample, min_z)


def rows(scorecard: Scorecard) -> pd.DataFrame:
    """The scorecard as one row per queue, figure and comparison (for a CSV)."""
    records = []
    for (queue, _), cell in scorecard.cells.items():
        base = {
            "queue": queue,
            "figure": cell.line.label,
            "value": cell.value,
            "sample": cell.sample,
            "small_sample": cell.small_sample,
            "target": cell.target,
            "meets_target": cell.meets_target,
        }
        for change in cell.changes or [None]:
            records.append(
                base
                | (
                    {
                        "compared_with": change.compared_with,
                        "value_before": change.before,
                        "change": change.difference,
                        "z": change.z,
                        "verdict": change.verdict,
                    }
                    if change
                    else {}
                )
            )
    return pd.DataFrame(records)


VERDICT_COLOURS = {"better": "#2e7d32", "worse": "#c62828", "changed": "#1f5f8b"}
STYLE = """
<style>
.ccw-scorecard {border-collapse: collapse; width: 100%; font-size: 13px;
  font-family: "Source Sans Pro", sans-serif; color: #262730}
.ccw-scorecard th {text-align: right; padding: 6px 8px; border-bottom: 2px solid #ccc;
  font-weight: 600}
.ccw-scorecard th:first-child, .ccw-scorecard td:first-child {text-align: left}
.ccw-scorecard td {vertical-align: top; text-align: right; padding: 5px 8px;
  border-bottom: 1px solid #e6e6e6}
.ccw-scorecard td.figure {font-weight: 600; width: 11em}
.ccw-scorecard .value {font-size: 15px; font-weight: 600; white-space: nowrap}
.ccw-scorecard .sub {font-size: 11.5px; color: #6b6b6b; line-height: 1.3}
.ccw-scorecard .small {color: #9a9a9a; font-weight: 400; font-style: italic}
.ccw-scorecard .miss {border-right: 4px solid #c62828}
.ccw-scorecard .meet {border-right: 4px solid #2e7d32}
.ccw-scorecard .total {background: #f6f8fa}
</style>
"""


def to_html(scorecard: Scorecard, hover: Callable[[str], str] | None = None) -> str:
    """The scorecard as an HTML table: figures down, queues across (all queues first).
    Every cell's tooltip says its sample and each comparison's numbers."""
    head = "".join(
        f'<th class="{"total" if queue == ALL_QUEUES else ""}">'
        f"{html.escape(_queue_label(queue))}</th>"
        for queue in scorecard.queues
    )
    body = []
    for line in LINES:
        title = html.escape(hover(line.definition)) if hover else ""
        cells = "".join(
            _cell_html(scorecard.cells[(queue, line.key)], scorecard) for queue in scorecard.queues
        )
        body.append(
            f'<tr><td class="figure" title="{title}">{html.escape(line.label)}</td>{cells}</tr>'
        )
    return (
        f'{STYLE}<table class="ccw-scorecard"><thead><tr><th></th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _queue_label(queue: str) -> str:
    return "All queues" if queue == ALL_QUEUES else human(queue)


def _cell_html(cell: Cell, scorecard: Scorecard) -> str:
    classes = ["total"] if cell.queue == ALL_QUEUES else []
    if cell.meets_target is not None:
        classes.append("meet" if cell.meets_target else "miss")
    lines = [f'<div class="value{" small" if cell.small_sample else ""}">{cell.text}</div>']
    if cell.small_sample:
        lines.append(f'<div class="sub small">small sample ({cell.sample:,.0f})</div>')
    if cell.target is not None:
        lines.append(f'<div class="sub">target {cell.line.show(cell.target)}</div>')
    if cell.detail:
        lines.append(f'<div class="sub">{html.escape(cell.detail)}</div>')
    if cell.value is None:
        why = cell.line.empty or (f"no {cell.line.unit}" if cell.line.unit else "no data")
        lines.append(f'<div class="sub">{html.escape(why)}</div>')
    for change in cell.changes:
        if change.verdict == "no data":
            continue
        colour = VERDICT_COLOURS.get(change.verdict, "#6b6b6b")
        weight = "600" if change.verdict in VERDICT_COLOURS else "400"
        lines.append(
            f'<div class="sub" style="color:{colour};font-weight:{weight}">'
            f"{html.escape(change.text)} vs {html.escape(_short(change.compared_with))}</div>"
        )
    return (
        f'<td class="{" ".join(classes)}" title="{html.escape(_tooltip(cell, scorecard))}">'
        f"{''.join(lines)}</td>"
    )


def _short(compared_with: str) -> str:
    """The period before is "prev."; an earlier one its weeks ("4 wk ago")."""
    if compared_with.startswith("the "):
        return "prev."
    return compared_with.replace(" weeks earlier", " wk ago")


def _tooltip(cell: Cell, scorecard: Scorecard) -> str:
    parts = [f"{_queue_label(cell.queue)} · {cell.line.label}: {cell.text}"]
    if cell.sample is not None:
        parts.append(f"over {cell.sample:,.0f} {cell.line.unit}")
    if cell.small_sample:
        parts.append(f"fewer than {scorecard.min_sample}: too few to judge")
    if cell.meets_target is not None:
        parts.append(f"{'meets' if cell.meets_target else 'misses'} its target")
    for change in cell.changes:
        if change.verdict == "no data":
            parts.append(f"{change.compared_with}: no data")
            continue
        over = (
            f" over {change.before_sample:,.0f} {cell.line.unit}"
            if change.before_sample is not None
            else ""
        )
        z = f", z = {change.z:+.1f}" if change.z is not None else ""
        parts.append(
            f"{change.compared_with}: {cell.line.show(change.before)}{over}; "
            f"{change.text}{z}: {change.verdict}"
        )
    return "\n".join(parts)
