"""A run killed mid-load, or two runs at once, end with the same warehouse as one run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
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


@pytest.mark.parametrize("kill_after_files", [6, 31])
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
    runs = [
        _ccw_run(landing, warehouse, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for run in runs:
        _, errors = run.communicate(timeout=RUN_TIMEOUT_SECONDS)
        assert run.returncode == 0, errors
    assert fingerprint(warehouse) == uninterrupted
    shutil.rmtree(tmp_path / "landing")
