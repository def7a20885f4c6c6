"""Request a run when a new export lands.

The cursor is the set of deliveries already requested (path, size, modification and
inode-change time, so a corrected file copied over the old one with the same size and
time counts as new), and each run's ``run_key`` is that identity, so every file
triggers exactly once, however late or out of order it arrives. A file modified in the last
``CCW_SENSOR_SETTLE_SECONDS`` (default 10) may still be copying and waits for the next
tick. On its very first tick the sensor takes the files already there as known and
requests one catch-up run of the whole job instead of one per file.
"""

from __future__ import annotations

import hashlib
import json
import os
import time

import dagster as dg

from ccw.landing.files import discover
from ccw.landing.warehouse import landing_dir
from orchestration.assets.raw import raw_asset_key
from orchestration.jobs import ccw_job

DEFAULT_SETTLE_SECONDS = 10.0


def _identity(landing_file) -> str:
    return f"{landing_file.signature}:{landing_file.delivered_ns}"


def _settled(modified_ns: int, settle_seconds: float) -> bool:
    return time.time() - modified_ns / 1e9 >= settle_seconds


@dg.sensor(
    name="ccw_new_files",
    job=ccw_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="One run per new file in the landing folder.",
)
def new_files_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    folder = landing_dir()
    settle = float(os.environ.get("CCW_SENSOR_SETTLE_SECONDS", DEFAULT_SETTLE_SECONDS))
    known: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    first_tick = context.cursor is None
    new_files = [
        landing_file
        for landing_file in discover(folder)
        if known.get(landing_file.relative_path) != _identity(landing_file)
        and _settled(landing_file.modified_ns, settle)
    ]
    if not new_files:
        return dg.SkipReason(f"no new files in {folder}")
    for landing_file in new_files:
        known[landing_file.relative_path] = _identity(landing_file)
    cursor = json.dumps(known, sort_keys=True)
    if first_tick:
        digest = hashlib.sha256(cursor.encode()).hexdigest()[:16]
        requests = [dg.RunRequest(run_key=f"catch-up:{digest}")]
    else:
        requests = [
            dg.RunRequest(
                run_key=_identity(landing_file),
                asset_selection=[raw_asset_key(landing_file.table)] if landing_file.table else None,
                tags={"ccw/file": landing_file.relative_path},
            )
            for landing_file in new_files
        ]
    return dg.SensorResult(run_requests=requests, cursor=cursor)
