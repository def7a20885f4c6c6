"""A run killed mid-load or mid-build, or two runs at once, end with the same warehouse
as one run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from ccw.contract import TABLES
from ccw.landing import audit
from tests.warehouse_support import fingerprint, land_all, query

CCW = [sys.executable, "-m", "ccw.cli"]
# Guards against a run that hangs, not speed checks (docs/benchmarks.md measures speed):
# a whole `ccw run` here takes one to two minutes, more on a loaded machine.
RUN_TIMEOUT_SECONDS = 900


def _ccw_run(landing: Path, warehouse: Path, **popen) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [*CCW, "run", "--verbose", "--landing", str(landing), "--warehouse", str(warehouse)]
    return subprocess.Popen(command, env=env, text=True, **popen)


@pytest.fixture(scope="module")
def uninterrupted(pristine_landing, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("uninterrupted")
    # A copy made the way the tests make theirs, so files arrive in the same order.
    landing = Path(shutil.copytree(pristine_landing, root / "landing"))
    warehouse = root / "ccw.duckdb"
    land_all(landing, warehouse)
    return fingerprint(warehouse)


# Two kill points: mid-load here (the first table committed, the second staging), and
# mid-build below. (A kill after 31 files, in a later table, exercised the same
# per-batch transaction as this one and cost the suite a whole run.)
@pytest.mark.parametrize("kill_after_files", [6])
def test_a_run_killed_mid_load_is_completed_by_the_next_run(
    landing, warehouse, uninterrupted, kill_after_files
):
    process = _ccw_run(landing, warehouse, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    landed = 0
    for line in process.stdout:
        landed += line.startswith(("loaded ", "duplicate "))
        if landed == kill_after_files:
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    files_after_kill = query(warehouse, "select count(*) from ingest.manifest")[0][0]
    assert kill_after_files <= files_after_kill < len(uninterrupted["manifest"])
    with duckdb.connect(str(warehouse), read_only=True) as con:  # no partial file visible
        for table in TABLES:
            assert audit.unreconciled_files(con, table) == [], table.name
            orphans = con.execute(
                f"select count(*) from raw.{table.name} "
                "where _load_id not in (select load_id from ingest.manifest)"
            ).fetchall()
            assert orphans == [(0,)], table.name

    finish = _ccw_run(landing, warehouse, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, errors = finish.communicate(timeout=RUN_TIMEOUT_SECONDS)
    assert finish.returncode == 0, errors
    assert fingerprint(warehouse) == uninterrupted


def test_overlapping_runs_wait_for_each_other_and_load_everything_once(
    landing, warehouse, uninterrupted, tmp_path
):
    # Each run's output goes to a file: a pipe nobody reads while the other run is
    # awaited would fill up and stall the run that writes to it.
    logs = [tmp_path / f"run-{number}.log" for number in range(2)]
    runs = []
    for log in logs:
        with log.open("w") as output:
            runs.append(_ccw_run(landing, warehouse, stdout=output, stderr=subprocess.STDOUT))
    outputs = []
    for run, log in zip(runs, logs, strict=True):
        run.wait(timeout=RUN_TIMEOUT_SECONDS)
        assert run.returncode == 0, log.read_text()
        outputs.append(" ".join(log.read_text().split()))
    assert fingerprint(warehouse) == uninterrupted
    # The second run waited for the whole of the first, said so, then found nothing new:
    # no step of one ran between steps of the other.
    waited = [output for output in outputs if "waiting for it to finish" in output]
    assert len(waited) == 1, outputs
    assert "Nothing new to load" in waited[0]
    shutil.rmtree(tmp_path / "landing")


def test_a_run_killed_while_dbt_builds_stops_dbt_and_the_next_run_finishes(
    landing, warehouse, uninterrupted
):
    run = _ccw_run(landing, warehouse, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(run.pid)
    deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
    dbt = None
    while dbt is None and time.monotonic() < deadline and run.poll() is None:
        dbt = next(
            (child for child in parent.children(recursive=True)
             if any("ccw-dbt" in part for part in child.cmdline())),
            None,
        )  # fmt: skip
        time.sleep(0.2)
    assert dbt is not None, "dbt never started"
    time.sleep(3)  # well into the build
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=60)
    # dbt stops with the run that started it, rather than holding the warehouse.
    gone, alive = psutil.wait_procs([dbt], timeout=60)
    assert dbt in gone and not alive

    finish = _ccw_run(landing, warehouse, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, errors = finish.communicate(timeout=RUN_TIMEOUT_SECONDS)
    assert finish.returncode == 0, errors
    assert fingerprint(warehouse) == uninterrupted
    published = warehouse.parent / "published"
    assert sorted(path.name for path in published.iterdir()) == ["ccw.duckdb"]
