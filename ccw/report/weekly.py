"""Build one week's report from the published snapshot (what the app reads)."""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from ccw.dashboard import queries, scorecard, sentences
from ccw.dashboard.definitions import hover, parameter
from ccw.dashboard.filters import Filters
from ccw.dashboard.snapshot import Snapshot
from ccw.labels import human
from ccw.report import charts


class ReportError(ValueError):
    """A week that cannot be reported, said in one sentence."""


@dataclass(frozen=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """``2026-W21`` (ISO 8601: weeks start on Monday)."""
        match = re.fullmatch(r"(\d{4})-W(\d{1,2})", text.strip())
        if not match:
            raise ReportError(f"{text!r} is not a week: write it as YYYY-Www, e.g. 2026-W21.")
        year, week = int(match[1]), int(match[2])
        try:
            date.fromisocalendar(year, week, 1)
        except ValueError:
            raise ReportError(f"{year} has no week {week}.") from None
        return cls(year, week)

    @classmethod
    def containing(cls, day: date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @classmethod
    def last_full(cls, last_day: date) -> IsoWeek:
        """The latest week whose Sunday is on or before ``last_day``."""
        sunday = last_day - timedelta(days=(last_day.weekday() + 1) % 7)
        return cls.containing(sunday)

    @property
    def start(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"


@dataclass
class Report:
    name: str  # the file's name in reports/, without .html: weekly-2026-W21
    subject: str
    html: str  # images as cid:<name>, as an e-mail carries them
    images: dict[str, bytes] = field(default_factory=dict)
    alerts: list[str] = field(default_factory=list)
    summary: str = ""  # the plain-text part of the e-mail

    def standalone_html(self) -> str:
        """The report as one file: every image inside it."""
        page = self.html
        for name, png in self.images.items():
            page = page.replace(
                f"cid:{name}", "data:image/png;base64," + base64.b64encode(png).decode()
            )
        return page


def report_folder(warehouse: Path) -> Path:
    return warehouse.parent / "reports"


def report_name(week: IsoWeek) -> str:
    return f"weekly-{week}"


def report_file(folder: Path, week: IsoWeek) -> Path:
    return folder / f"{report_name(week)}.html"


def build_report(snapshot: Snapshot, week: IsoWeek) -> Report:
    """The report of ``week``, which the published data must hold whole."""
    span = queries.data_range(snapshot)
    if span is None:
        raise ReportError(f"The published snapshot at {snapshot.path} holds no calls yet.")
    if week.start < span.first_day or week.end > span.last_day:
        raise ReportError(
            f"The published data runs from {span.first_day:%a %d %b %Y} to "
            f"{span.last_day:%a %d %b %Y}; week {week} ({week.start:%d %b} to "
            f"{week.end:%d %b %Y}) is not all in it. The latest full week is "
            f"{IsoWeek.last_full(span.last_day)}."
        )
    filters = Filters(start=week.start, end=week.end, period="last_week")
    min_sample = int(parameter("min_sample_size", snapshot))
    min_z = float(parameter("significant_change_z", snapshot))
    card = scorecard.build(
        queries.queue_scorecard(snapshot, filters),
        [
            (label, queries.queue_scorecard(snapshot, earlier))
            for label, earlier in filters.comparisons(span.first_day)
        ],
        min_sample,
        min_z,
    )
    misses = queries.missed_targets(snapshot, filters, min_sample)
    alerts = sentences.missed_targets(misses)
    worst = queries.worst_intervals(snapshot, filters)
    trades = queries.bad_trades(snapshot, filters)
    trades = trades[trades["is_significant_bad_trade"].fillna(False)]
    attrition = queries.attrition_measures(snapshot, filters)
    teams = queries.team_attrition(snapshot, filters)
    days = queries.daily_service(snapshot, filters)
    targets = snapshot.query("select * from marts.dim_queue_targets")
    images = {
        "service_level": charts.service_level_by_day(days, targets),
        "offered": charts.offered_by_day(days),
    }
    queues_missing = sorted({miss["queue_name"] for _, miss in misses.iterrows()})
    subject = f"Contact center, week {week}: " + (
        f"{len(queues_missing)} queue{'s' if len(queues_missing) != 1 else ''} missed a "
        f"target on {misses['service_date'].nunique()} day"
        f"{'s' if misses['service_date'].nunique() != 1 else ''}"
        if alerts
        else "every queue met its targets"
    )
    body = _page(
        week, snapshot, card, alerts, worst, trades, attrition, teams,
        lambda key: hover(key, snapshot),
    )  # fmt: skip
    return Report(
        report_name(week),
        subject,
        body,
        images,
        alerts,
        plain_text(
            subject,
            alerts,
            "The whole report, with the scorecard, is in the HTML part of this e-mail.",
        ),
    )


def write_report(report: Report, folder: Path) -> Path:
    """Write the report as one HTML file (replacing an earlier one of its name)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{report.name}.html"
    partial = path.with_suffix(".html.partial")
    partial.write_text(report.standalone_html(), encoding="utf-8")
    partial.replace(path)  # whole or not at all
    return path


def plain_text(subject: str, alerts: list[str], closing: str) -> str:
    """The plain-text part of an e-mail: the subject, the first 20 alerts, a closing line."""
    lines = [subject, ""]
    lines += [f"- {alert}" for alert in alerts[:20]]
    if len(alerts) > 20:
        lines.append(f"- and {len(alerts) - 20} more in the report.")
    lines += ["", closing]
    return "\n".join(lines)


STYLE = """
<style>
body {font-family: "Source Sans Pro", Arial, sans-serif; color: #262730; max-width: 1100px;
  margin: 24px auto; padding: 0 16px}
h1 {font-size: 26px; margin-bottom: 4px} h2 {font-size: 19px; margin-top: 28px}
p.lead {color: #6b6b6b; margin-top: 0}
table.plain {border-collapse: collapse; font-size: 13px}
table.plain th, table.plain td {padding: 4px 10px; border-bottom: 1px solid #e6e6e6;
  text-align: right}
table.plain th:first-child, table.plain td:first-child {text-align: left}
li {margin: 3px 0}
.quiet {color: #6b6b6b; font-size: 13px}
</style>
"""


def _page(week, snapshot, card, alerts, worst, trades, attrition, teams, describe) -> str:
    published = snapshot.refresh().published_at
    parts = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>Week {week}</title>",
        f"{STYLE}</head><body>",
        f"<h1>Contact center, week {week}</h1>",
        f"<p class='lead'>Mon {week.start:%d %b} to Sun {week.end:%d %b %Y}, from the data "
        f"published {published:%d %b %Y %H:%M} UTC.</p>",
        "<h2>Queue scorecard</h2>",
        scorecard.to_html(card, describe),
        f"<p class='quiet'>Changes against {' and '.join(card.compared_with) or 'nothing'}; "
        f"coloured only beyond their noise ({card.min_z:g} standard errors), never over "
        f"fewer than {card.min_sample} legs, calls or responses.</p>",
        '<img src="cid:service_level" alt="Service level by day and queue" width="1000">',
        '<img src="cid:offered" alt="Offered legs by day and queue" width="1000">',
        "<h2>Targets missed</h2>",
        bullet_list(alerts, "Every queue met its targets every day of the week."),
        "<h2>The worst intervals</h2>",
        worst_intervals_table(worst),
        "<h2>Bad trades</h2>",
        bullet_list(
            [sentences.bad_trade(trade) for _, trade in trades.iterrows()],
            "No segment or queue cut handle time at a cost in repeats or churn beyond chance "
            "in the months of this week.",
        ),
        "<h2>Agent attrition</h2>",
        _attrition(attrition, teams, week),
        "</body></html>",
    ]
    return "\n".join(parts)


def bullet_list(items: list[str], empty: str) -> str:
    if not items:
        return f"<p>{html.escape(empty)}</p>"
    return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"


def worst_intervals_table(worst: pd.DataFrame) -> str:
    if worst.empty:
        return "<p>No staffed interval fell below its target.</p>"
    rows = "".join(
        f"<tr><td>{row.interval_start_local:%a %d %b %H:%M}</td>"
        f"<td>{html.escape(human(row.queue_name))}</td>"
        f"<td>{row.legs_missing_the_threshold:,}</td><td>{row.offered_legs:,}</td>"
        f"<td>{row.service_level:.0%}</td><td>{row.service_level_target:.0%}</td>"
        f"<td>{row.staffed_agents:.1f}</td><td>{_whole(row.required_agents_erlang_c)}</td></tr>"
        for row in worst.itertuples()
    )
    return (
        "<table class='plain'><tr><th>Interval</th><th>Queue</th>"
        "<th>Callers past the threshold</th><th>Offered</th><th>Service level</th>"
        "<th>Target</th><th>Agents staffed</th><th>Required (Erlang C)</th></tr>"
        f"{rows}</table>"
    )


def _whole(value) -> str:
    return "n/a" if pd.isna(value) else f"{value:.0f}"


def _attrition(measures: dict, teams: pd.DataFrame, week: IsoWeek) -> str:
    months = sorted({week.start.strftime("%B %Y"), week.end.strftime("%B %Y")})
    rate = measures["agent_attrition_annualized"]
    lines = [
        f"<p>In {' and '.join(months)} so far: {measures['agent_exits']:,} exits, "
        f"{'n/a' if pd.isna(rate) else f'{rate:.0%}'} annualized, costing "
        f"${measures['agent_attrition_cost']:,.0f} in hiring and ramp-up.</p>"
    ]
    leaving = teams[teams["exits"] > 0].head(5)
    if not leaving.empty:
        rows = "".join(
            f"<tr><td>{html.escape(human(row.team_name))}</td>"
            f"<td>{html.escape(human(row.site_name))}</td><td>{row.exits:,.0f}</td>"
            f"<td>{row.average_daily_headcount:,.1f}</td></tr>"
            for row in leaving.itertuples()
        )
        lines.append(
            "<table class='plain'><tr><th>Team</th><th>Site</th><th>Exits</th>"
            f"<th>Average headcount</th></tr>{rows}</table>"
        )
    return "\n".join(lines)
