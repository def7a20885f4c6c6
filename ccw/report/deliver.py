"""Write a week's report, or a day's alert, beside the warehouse and e-mail it: what
`ccw report`, `ccw alert` and the Dagster jobs after the nightly run do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ccw.dashboard import queries
from ccw.dashboard.snapshot import Snapshot
from ccw.publish import published_path
from ccw.report.daily import build_daily_alert
from ccw.report.mail import mail_configured, send_report
from ccw.report.weekly import (
    IsoWeek,
    Report,
    ReportError,
    build_report,
    report_folder,
    write_report,
)

ALERT_RECIPIENTS = "alert_recipients"


class NotSentError(ReportError):
    """The report was written, but the e-mail did not go."""


@dataclass(frozen=True)
class Delivered:
    report: Report
    path: Path
    sent_to: list[str]  # empty: not sent


def latest_day(warehouse: Path) -> date:
    """The latest day of calls the published data holds."""
    span = queries.data_range(Snapshot(published_path(warehouse)))
    if span is None:
        raise ReportError("The published snapshot holds no calls yet: run `ccw run` first.")
    return span.last_day


def latest_full_week(warehouse: Path) -> IsoWeek:
    """The latest week the published data holds from Monday to Sunday."""
    return IsoWeek.last_full(latest_day(warehouse))


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
    sent_to = _send(report, path, settings, "report_recipients") if should_send else []
    return Delivered(report, path, sent_to)


def deliver_daily_alert(
    warehouse: Path, settings, day: date | None = None, send: bool | None = None
) -> Delivered:
    """Write ``day``'s alert (default: the latest published day) to reports/ beside the
    warehouse; e-mail it to ``alert_recipients`` when ``send``, by default when a
    queue missed a target and the settings name a server and those recipients."""
    snapshot = Snapshot(published_path(warehouse))
    if not snapshot.path.exists():
        raise ReportError(f"Nothing published at {snapshot.path} yet: run `ccw run` first.")
    alert = build_daily_alert(snapshot, day or latest_day(warehouse))
    path = write_report(alert, report_folder(warehouse))
    should_send = (
        bool(alert.alerts) and mail_configured(settings, ALERT_RECIPIENTS) if send is None else send
    )
    sent_to = _send(alert, path, settings, ALERT_RECIPIENTS) if should_send else []
    return Delivered(alert, path, sent_to)


def _send(report: Report, path: Path, settings, recipients: str) -> list[str]:
    try:
        return send_report(report, settings, recipients)
    except OSError as error:  # smtplib's errors are OSErrors
        raise NotSentError(f"Wrote {path}, but could not e-mail it: {error}") from error
