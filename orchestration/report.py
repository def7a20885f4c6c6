"""The manager's weekly report, after the nightly run.

A run-status sensor watches the main job: after each successful run it asks for the
report job when the published data holds a full week that has no report yet (its
``run_key`` is the week, so each week is written once). The job writes the report to
``reports/`` beside the warehouse and e-mails it when the settings name an SMTP server
and recipients (ccw/report/).
"""

import dagster as dg

from ccw.landing.warehouse import warehouse_path
from ccw.report.deliver import deliver_weekly_report, latest_full_week
from ccw.report.weekly import IsoWeek, ReportError, report_file, report_folder
from ccw.settings import load_settings
from orchestration.jobs import ccw_job

REPORT_JOB_NAME = "ccw_weekly_report"


class WeeklyReportConfig(dg.Config):
    # The ISO week, e.g. 2026-W21; empty: the latest full week published.
    week: str = ""


@dg.op(name="weekly_report", description="Write the week's report; e-mail it if configured.")
def weekly_report_op(context: dg.OpExecutionContext, config: WeeklyReportConfig) -> dg.Output[str]:
    settings = load_settings()
    week = IsoWeek.parse(config.week) if config.week else None
    delivered = deliver_weekly_report(warehouse_path(settings), settings, week)
    context.log.info(delivered.report.subject)
    for alert in delivered.report.alerts:
        context.log.warning(alert)
    return dg.Output(
        str(delivered.path),
        metadata={
            "report": dg.MetadataValue.path(str(delivered.path)),
            "targets_missed": len(delivered.report.alerts),
            "sent_to": ", ".join(delivered.sent_to) or "not sent (no SMTP settings)",
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
