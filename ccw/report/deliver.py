"""Write a week's report beside the warehouse and e-mail it: what `ccw report` and the
Dagster job after the nightly run both do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ccw.dashboard import queries
from ccw.dashboard.snapshot import Snapshot
from ccw.publish import published_path
from ccw.report.mail import mail_configured, send_report
from ccw.report.weekly import (
    IsoWeek,
    Report,
    ReportError,
    build_report,
    report_folder,
    write_report,
)


@dataclass(frozen=True)
class Delivered:
    report: Report
    path: Path
    sent_to: list[str]  # empty: not sent


def latest_full_week(warehouse: Path) -> IsoWeek:
    """The latest week the published data holds from Monday to Sunday."""
    span = queries.data_range(Snapshot(published_path(warehouse)))
    if span is None:
        raise ReportError("The published snapshot holds no calls yet: run `ccw run` first.")
    return IsoWeek.last_full(span.last_day)


def deliver_weekly_report(
    warehouse: Path, settings, week: IsoWeek | None = None, send: bool | None = None
) -> Delivered:
    """Write ``week``'s report (default: the latest full week) to reports/ beside the
    warehouse; e-mail it when ``send`` (default: when the settings name a server and
    recipients)."""
    snapshot = Snapshot(published_path(warehouse))
    if not snapshot.path.exists():
        raise ReportError(f"Nothing published at {snapshot.path} yet: run `ccw run` first.")
    week = week or latest_full_week(warehouse)
    report = build_report(snapshot, week)
    path = write_report(report, report_folder(warehouse))
    should_send = mail_configured(settings) if send is None else send
    sent_to = send_report(report, settings) if should_send else []
    return Delivered(report, path, sent_to)
