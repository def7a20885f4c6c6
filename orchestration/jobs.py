"""The main job: every asset and its checks, one step at a time.

Land → checks → dbt (models and their tests) → publish the marts for readers. Steps
run in one process: they all write the same DuckDB file, one writer at a time anyway.
"""

from __future__ import annotations

import dagster as dg

CCW_JOB_NAME = "ccw_job"

ccw_job = dg.define_asset_job(
    CCW_JOB_NAME,
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Land every new export into DuckDB, check it, and build on it.",
)
