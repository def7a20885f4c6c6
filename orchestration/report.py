"""The manager's weekly report and the day's alert, after the nightly run.

Two run-status sensors watch the main job. After each successful run, one asks for the
report job when the published data holds a full week that has no report yet, the other
for the alert job when its latest day has no alert yet (``run_key``: the week, the
day, so each is written once). The jobs write to ``reports/`` beside the warehouse and
e-mail when the settings name an SMTP server and recipients: the report to
``report_recipients``, the alert to ``alert_recipients`` on a day a queue missed a
target (ccw/report/).
"""

from datetime import date

import dagster as dg

from ccw.landing.warehouse import warehouse_path
from ccw.report.daily import alert_file
from ccw.report.deliver import (
    Delivered,
    deliver_daily_alert,
    deliver_weekly_report,
    latest_day,
    latest_full_week,
)
from ccw.report.weekly import IsoWeek, ReportError, report_file, report_folder
from ccw.settings import load_settings
from orchestration.jobs import ccw_job

REPORT_JOB_NAME = "ccw_weekly_report"
ALERT_JOB_NAME = "ccw_daily_alert"


class WeeklyReportConfig(dg.Config):
    # The ISO week, e.g. 2026-W21; empty: the latest full week published.
    week: str = ""


@dg.op(name="weekly_report", description="Write the week's report; e-mail it if configured.")
def weekly_report_op(context: dg.OpExecutionContext, config: WeeklyReportConfig) -> dg.Output[str]:
    settings = load_settings()
    week = IsoWeek.parse(config.week) if config.week else None
    return _logged(context, deliver_weekly_report(warehouse_path(settings), settings, week))


def _logged(context: dg.OpExecutionContext, delivered: Delivered) -> dg.Output[str]:
    """The subject in the run's log, each missed target as a warning; the file, the
    count of misses and the recipients as the output's metadata."""
    context.log.info(delivered.report.subject)
    for alert in delivered.report.alerts:
        context.log.warning(alert)
    return dg.Output(
        str(delivered.path),
        metadata={
            "file": dg.MetadataValue.path(str(delivered.path)),
            "targets_missed": len(delivered.report.alerts),
            "sent_to": ", ".join(delivered.sent_to) or "not sent",
        },
    )


@dg.job(name=REPORT_JOB_NAME, description="The manager's weekly report (HTML, and e-mail).")
def weekly_report_job() -> None:
    weekly_report_op()


def week_due() -> IsoWeek | None:
    """The latest full published week, when it has no report yet."""
    warehouse = warehouse_path(load_settings())
    try:
        week = latest_full_week(warehouse)
    except (ReportError, OSError):
        return None
    return None if report_file(report_folder(warehouse), week).exists() else week


@dg.run_status_sensor(
    name="ccw_weekly_report_after_run",
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[ccw_job],
    request_job=weekly_report_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="After a good run of the main job: the report of a week just ended.",
)
def weekly_report_sensor(context: dg.RunStatusSensorContext):
    week = week_due()
    if week is None:
        return dg.SkipReason("no full week without its report")
    return dg.RunRequest(
        run_key=f"weekly-report-{week}",
        run_config={"ops": {"weekly_report": {"config": {"week": str(week)}}}},
    )


class DailyAlertConfig(dg.Config):
    # The day, e.g. 2026-05-30; empty: the latest day published.
    day: str = ""


@dg.op(name="daily_alert", description="Write the day's alert; e-mail it on a missed target.")
def daily_alert_op(context: dg.OpExecutionContext, config: DailyAlertConfig) -> dg.Output[str]:
    settings = load_settings()
    day = date.fromisoformat(config.day) if config.day else None
    return _logged(context, deliver_daily_alert(warehouse_path(settings), settings, day))


@dg.job(name=ALERT_JOB_NAME, description="The day's alert: queues that missed a target.")
def daily_alert_job() -> None:
    daily_alert_op()


def day_due() -> date | None:
    """The latest published day, when it has no alert yet."""
    warehouse = warehouse_path(load_settings())
    try:
        day = latest_day(warehouse)
    except (ReportError, OSError):
        return None
    return None if alert_file(report_folder(warehouse), day).exists() else day


@dg.run_status_sensor(
    name="ccw_daily_alert_after_run",
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[ccw_job],
    request_job=daily_alert_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="After a good run of the main job: the alert of the latest day published.",
)
def daily_alert_sensor(context: dg.RunStatusSensorContext):
    day = day_due()
    if day is None:
        return dg.SkipReason("the latest day published has its alert")
    return dg.RunRequest(
        run_key=f"daily-alert-{day}",
        run_config={"ops": {"daily_alert": {"config": {"day": day.isoformat()}}}},
    )
