"""The daily run of the main job.

``CCW_DAILY_AT`` (``HH:MM``, default ``06:00``) in the center's time zone
(``CCW_TIMEZONE``, default ``America/New_York``).
"""

from __future__ import annotations

import os
import re

import dagster as dg

from orchestration.jobs import ccw_job

DEFAULT_DAILY_AT = "06:00"
DEFAULT_TIMEZONE = "America/New_York"


def daily_cron(daily_at: str) -> str:
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", daily_at.strip())
    if match is None:
        raise ValueError(f"CCW_DAILY_AT must be HH:MM (24-hour), got {daily_at!r}")
    return f"{int(match[2])} {int(match[1])} * * *"


daily_schedule = dg.ScheduleDefinition(
    name="ccw_daily",
    job=ccw_job,
    cron_schedule=daily_cron(os.environ.get("CCW_DAILY_AT", DEFAULT_DAILY_AT)),
    execution_timezone=os.environ.get("CCW_TIMEZONE", DEFAULT_TIMEZONE),
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="The full job once a day: land, check, build, publish.",
)
