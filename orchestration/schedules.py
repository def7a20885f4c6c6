"""The daily run of the main job, at the settings' ``daily_at`` in their ``timezone``."""

from __future__ import annotations

import re

import dagster as dg

from ccw.settings import load_settings
from orchestration.jobs import ccw_job


def daily_cron(daily_at: str) -> str:
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", daily_at.strip())
    if match is None:
        raise ValueError(f"daily_at must be HH:MM (24-hour), got {daily_at!r}")
    return f"{int(match[2])} {int(match[1])} * * *"


_settings = load_settings()
daily_schedule = dg.ScheduleDefinition(
    name="ccw_daily",
    job=ccw_job,
    cron_schedule=daily_cron(_settings["daily_at"]),
    execution_timezone=_settings["timezone"],
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="The full job once a day: land, check, build, publish.",
)
