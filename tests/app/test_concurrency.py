"""A pipeline run and the app's queries at the same time: neither waits for the other
or fails, and the app sees the new snapshot as soon as it is published."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time

from ccw.dashboard.filters import Filters
from ccw.dashboard.queries import data_range, page_queries
from ccw.dashboard.snapshot import Snapshot
from ccw.publish import published_path


def test_app_queries_run_while_the_pipeline_writes_and_publishes(built, pristine_landing, tmp_path):
    snapshot_file = tmp_path / "published" / "ccw.duckdb"
    snapshot_file.parent.mkdir()
    shutil.copy(published_path(built), snapshot_file)
    snapshot = Snapshot(snapshot_file)
    first_version = snapshot.version()
    first_run = snapshot.refresh().run_id
    span = data_range(snapshot)
    filters = Filters.from_query_params({}, span.first_day, span.last_day)

    environment = dict(os.environ, CCW_PUBLISHED=str(snapshot_file))
    run = subprocess.Popen(
        [sys.executable, "-m", "ccw.cli", "run", "--landing", str(pristine_landing),
         "--warehouse", str(tmp_path / "warehouse" / "ccw.duckdb")],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    page_loads = 0
    while run.poll() is None:
        for page_calls in page_queries(snapshot, filters).values():
            for function, arguments in page_calls:
                function(snapshot, *arguments)
        page_loads += 1
        # Every page again each second, all through the run: readers and the writer
        # overlap throughout without the reader taking a core the run needs.
        time.sleep(1.0)
    output = run.stdout.read()
    assert run.returncode == 0, output
    assert "Published the marts" in output
    # After the publish the next query reads the new file, without a restart.
    for page_calls in page_queries(snapshot, filters).values():
        for function, arguments in page_calls:
            function(snapshot, *arguments)
    assert snapshot.version() != first_version
    # ... and its content, not the previous file's: the run id the run printed.
    (new_run,) = re.findall(r"Run (\w{8}) finished", output)
    assert snapshot.refresh().run_id.startswith(new_run)
    assert snapshot.refresh().run_id != first_run
    assert page_loads >= 3, "the app should have loaded pages all through the run"
