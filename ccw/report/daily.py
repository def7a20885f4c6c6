"""The day's alert: the queues that missed a target on one published day.

Written after each nightly run for the latest day it published (``alerts-YYYY-MM-DD.html``
in reports/), and e-mailed to ``alert_recipients`` when a queue missed: the weekly
report's "targets missed" and "worst intervals" for that day alone, the morning after.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from ccw.dashboard import queries, sentences
from ccw.dashboard.definitions import parameter
from ccw.dashboard.filters import Filters
from ccw.dashboard.snapshot import Snapshot
from ccw.report.weekly import (
    STYLE,
    Report,
    ReportError,
    bullet_list,
    plain_text,
    worst_intervals_table,
)


def alert_name(day: date) -> str:
    return f"alerts-{day.isoformat()}"


def alert_file(folder: Path, day: date) -> Path:
    return folder / f"{alert_name(day)}.html"


def build_daily_alert(snapshot: Snapshot, day: date) -> Report:
    """The queues that missed a target on ``day`` (over at least ``min_sample_size``
    offered legs), and that day's worst intervals."""
    span = queries.data_range(snapshot)
    if span is None:
        raise ReportError(f"The published snapshot at {snapshot.path} holds no calls yet.")
    if not span.first_day <= day <= span.last_day:
        raise ReportError(
            f"The published data runs from {span.first_day:%a %d %b %Y} to "
            f"{span.last_day:%a %d %b %Y}; {day:%a %d %b %Y} is not in it."
        )
    filters = Filters(start=day, end=day, period="custom")
    min_sample = int(parameter("min_sample_size", snapshot))
    misses = queries.missed_targets(snapshot, filters, min_sample)
    alerts = sentences.missed_targets(misses)
    queues = misses["queue_name"].nunique()
    subject = f"Contact center, {day:%a %d %b %Y}: " + (
        f"{queues} queue{'s' if queues != 1 else ''} missed a target"
        if alerts
        else "every queue met its targets"
    )
    worst = queries.worst_intervals(snapshot, filters, limit=5)
    published = snapshot.refresh().published_at
    body = "\n".join(
        [
            f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(subject)}"
            f"</title>{STYLE}</head><body>",
            f"<h1>Targets missed, {day:%a %d %b %Y}</h1>",
            f"<p class='lead'>From the data published {published:%d %b %Y %H:%M} UTC. Each "
            "queue against its own targets, on days with at least "
            f"{min_sample} offered legs.</p>",
            bullet_list(alerts, "Every queue met its targets."),
            "<h2>The day's worst intervals</h2>",
            worst_intervals_table(worst),
            "<p class='quiet'>The queue scorecard and Service by interval in the app show "
            "the day in full; the weekly report sums up the week.</p>",
            "</body></html>",
        ]
    )
    closing = "The day's worst intervals are in the HTML part of this e-mail."
    return Report(alert_name(day), subject, body, {}, alerts, plain_text(subject, alerts, closing))
