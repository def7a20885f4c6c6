"""Run the main job once (as `ccw run` does) and write when each part of it ran.

Started by the benchmark in its own process, which samples its CPU and memory; this
side reports the windows to attribute them to: each Dagster step (from the run's
event log) and each dbt node (from dbt's run_results.json).

Usage: python bench/pipeline_child.py LANDING WAREHOUSE ENGINE RESULT.json
(ENGINE: duckdb or spark, as `ccw run --engine`).
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from pathlib import Path

STARTED = time.time()  # before the imports: start-up is part of a run


def step_windows(instance, run_id: str) -> list[dict[str, object]]:
    import dagster as dg

    started: dict[str, float] = {}
    windows = []
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type == dg.DagsterEventType.STEP_START:
            started[event.step_key] = entry.timestamp
        elif event.event_type in (
            dg.DagsterEventType.STEP_SUCCESS,
            dg.DagsterEventType.STEP_FAILURE,
        ):
            windows.append(
                {"step": event.step_key, "start": started[event.step_key], "end": entry.timestamp}
            )
    return windows


def dbt_node_windows(run_results: Path) -> list[dict[str, object]]:
    """Each dbt node's execution window: models, tests, with their status."""
    if not run_results.exists():
        return []
    windows = []
    for result in json.loads(run_results.read_text())["results"]:
        execute = [t for t in result["timing"] if t["name"] == "execute"]
        if not execute or not execute[0].get("started_at"):
            continue
        windows.append(
            {
                "node": result["unique_id"],
                "status": result["status"],
                "start": _epoch(execute[0]["started_at"]),
                "end": _epoch(execute[0]["completed_at"]),
            }
        )
    return windows


def _epoch(stamp: str) -> float:
    # dbt writes UTC without an offset, e.g. 2026-11-23T10:01:02.123456Z
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def main(landing: Path, warehouse: Path, engine: str, result_path: Path) -> None:
    from ccw.pipeline import run_pipeline
    from ccw.run_history import open_instance
    from orchestration.assets.dbt import dbt_target_path

    run_results = dbt_target_path(warehouse, engine) / "run_results.json"
    run_results.unlink(missing_ok=True)
    # The warehouse's own instance, as `ccw run` records into: its cost is the run's.
    with open_instance(warehouse) as instance:
        outcome = run_pipeline(landing, warehouse, instance=instance, engine=engine)
        steps = step_windows(instance, outcome.run_id)
    result = {
        "process_start": STARTED,
        "ok": outcome.ok,
        "failed": outcome.failed_steps + outcome.failed_checks,
        "rows_loaded": sum(table.rows_loaded for table in outcome.tables),
        "rows_quarantined": sum(table.rows_quarantined for table in outcome.tables),
        "files_new": outcome.files_new,
        "models_built": outcome.models_built,
        "steps": steps,
        "dbt_nodes": dbt_node_windows(run_results),
        "process_end": time.time(),
    }
    result_path.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]))
