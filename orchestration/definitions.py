"""The ccw code location: everything Dagster shows, gathered here and nowhere else."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.dbt import ccw_dbt_models
from orchestration.assets.publish import published_marts
from orchestration.assets.raw import RAW_ASSETS
from orchestration.checks.expectations import EXPECTATION_CHECKS
from orchestration.checks.landing import LANDING_CHECKS
from orchestration.dbt_project import ccw_dbt_resource
from orchestration.jobs import ccw_job
from orchestration.report import (
    daily_alert_job,
    daily_alert_sensor,
    weekly_report_job,
    weekly_report_sensor,
)
from orchestration.resources import warehouse_from_environment
from orchestration.schedules import daily_schedule
from orchestration.sensors import new_files_sensor

defs = dg.Definitions(
    assets=[*RAW_ASSETS, ccw_dbt_models, published_marts],
    asset_checks=[*LANDING_CHECKS, *EXPECTATION_CHECKS],
    jobs=[ccw_job, weekly_report_job, daily_alert_job],
    schedules=[daily_schedule],
    sensors=[new_files_sensor, weekly_report_sensor, daily_alert_sensor],
    resources={
        "warehouse": warehouse_from_environment(),
        "dbt": ccw_dbt_resource(),
    },
)
