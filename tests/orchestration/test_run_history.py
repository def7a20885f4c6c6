"""Every run of a warehouse is recorded in its Dagster instance beside it, and the
Dagster UI that `ccw ui` starts shows `ccw run`'s runs: their materializations with
row counts and their checks' results."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import dagster as dg

from ccw.dashboard.browser import free_port
from ccw.run_history import instance_dir, open_instance
from ccw.run_history_storage import RunHistoryEventLogStorage
from orchestration.jobs import CCW_JOB_NAME
from tests.warehouse_support import query


def test_ccw_run_records_its_run_materializations_and_checks_beside_the_warehouse(built):
    # `built`: the main job's one run on the tiny landing folder (tests/conftest.py).
    assert instance_dir(built) == built.parent / "dagster"
    with open_instance(built) as instance:
        assert isinstance(instance.event_log_storage, RunHistoryEventLogStorage)
        (run,) = instance.get_runs()
        assert (run.job_name, run.status) == (CCW_JOB_NAME, dg.DagsterRunStatus.SUCCESS)
        raw_calls = _latest_metadata(instance, ["raw", "calls"])
        ((loaded,),) = query(
            built, "select sum(rows_loaded) from ingest.manifest where table_name = 'calls'"
        )
        ((current,),) = query(built, "select count(*) from raw.calls where _is_current")
        assert (raw_calls["rows_loaded"], raw_calls["dagster/row_count"]) == (loaded, current)
        # A mart built by dbt carries its table's rows.
        ((legs,),) = query(built, "select count(*) from marts.fct_call_legs")
        assert legs > 0
        assert _latest_metadata(instance, ["marts", "fct_call_legs"])["dagster/row_count"] == legs
        checks = instance.get_records_for_run(
            run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION, limit=10_000
        ).records
        evaluations = [
            record.event_log_entry.dagster_event.event_specific_data for record in checks
        ]
        names = {evaluation.check_name for evaluation in evaluations}
        # Landing's own checks, the GX suites and dbt's tests, all recorded.
        assert {"rows_reconcile", "raw_calls_rules", "mart_fct_calls"} <= names
        assert len(evaluations) > 100 and all(evaluation.passed for evaluation in evaluations)


def _latest_metadata(instance, path: list[str]) -> dict:
    (record,) = instance.fetch_materializations(dg.AssetKey(path), limit=1).records
    return {name: value.value for name, value in record.asset_materialization.metadata.items()}


RUNS_AND_CHECKS = """{
  runsOrError { ... on Runs { results { runId jobName status } } }
  assetNodes(assetKeys: [{path: ["raw", "calls"]}]) {
    assetMaterializations(limit: 1) {
      runId metadataEntries { label ... on IntMetadataEntry { intValue } }
    }
    assetChecksOrError {
      ... on AssetChecks { checks { name executionForLatestMaterialization { status runId } } }
    }
  }
}"""


def test_ccw_ui_shows_the_runs_ccw_run_made(built, tmp_path):
    # A copy of the built warehouse's folder: the UI's daemon writes to its instance.
    folder = Path(shutil.copytree(built.parent, tmp_path / "warehouse"))
    empty_landing = tmp_path / "landing"
    empty_landing.mkdir()
    port = free_port()
    environment = {name: value for name, value in os.environ.items() if name != "DAGSTER_HOME"}
    # `dagster dev` parses dbt on start: into a folder of the test's own, not the shared
    # target/ that tests running beside this one read.
    environment["DBT_TARGET_PATH"] = str(tmp_path / "target")
    ui = subprocess.Popen(
        [sys.executable, "-m", "ccw.cli", "ui", "--landing", str(empty_landing),
         "--warehouse", str(folder / built.name), "-p", str(port)],
        env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,  # dagster dev's webserver, daemon and code server with it
    )  # fmt: skip
    try:
        answer = _graphql(f"http://127.0.0.1:{port}/graphql", RUNS_AND_CHECKS, ui)
    finally:
        os.killpg(ui.pid, signal.SIGTERM)
        output, _ = ui.communicate(timeout=60)
    assert f"Run history: {folder / 'dagster'}" in output
    with open_instance(built) as instance:
        (run,) = instance.get_runs()
    runs = answer["runsOrError"]["results"]
    assert runs == [{"runId": run.run_id, "jobName": CCW_JOB_NAME, "status": "SUCCESS"}]
    (calls,) = answer["assetNodes"]
    (materialization,) = calls["assetMaterializations"]
    entries = {
        entry["label"]: entry.get("intValue") for entry in materialization["metadataEntries"]
    }
    ((current,),) = query(built, "select count(*) from raw.calls where _is_current")
    assert (materialization["runId"], entries["dagster/row_count"]) == (run.run_id, current)
    checks = calls["assetChecksOrError"]["checks"]
    assert {check["name"] for check in checks} >= {"rows_reconcile", "raw_calls_rules"}
    assert all(
        check["executionForLatestMaterialization"] == {"status": "SUCCEEDED", "runId": run.run_id}
        for check in checks
    )


def _graphql(url: str, document: str, process: subprocess.Popen, wait_seconds: float = 120):
    """The answer of the webserver at ``url``, once it serves (it starts in ~15 s)."""
    request = urllib.request.Request(
        url, json.dumps({"query": document}).encode(), {"Content-Type": "application/json"}
    )
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                answer = json.loads(reply.read())
            assert "errors" not in answer, answer["errors"]
            return answer["data"]
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("`ccw ui` did not serve the Dagster UI") from None
            time.sleep(1)
