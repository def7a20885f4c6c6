"""The snapshot reader shows what was published last, and says so when it cannot."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb
import pytest

from ccw.dashboard.snapshot import Snapshot, SnapshotMissingError, SnapshotUnreadableError


def _publish(target: Path, run_id: str, calls: int) -> None:
    """A two-table snapshot written beside ``target`` and renamed over it, as publish does."""
    staging = target.with_name(f".{target.name}.tmp")
    staging.unlink(missing_ok=True)
    with duckdb.connect(str(staging)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.fct_calls as select range as call_id from range(?)", [calls]
        )
        con.execute(
            "create table main.refresh as select now() as published_at, ?::varchar as run_id",
            [run_id],
        )
    os.replace(staging, target)


def _calls(snapshot: Snapshot) -> int:
    return int(snapshot.query("select count(*) as n from marts.fct_calls")["n"].iloc[0])


def test_a_new_publish_is_read_at_once_without_a_restart(tmp_path):
    target = tmp_path / "ccw.duckdb"
    _publish(target, "first", 3)
    snapshot = Snapshot(target)
    assert (_calls(snapshot), snapshot.refresh().run_id) == (3, "first")

    _publish(target, "second", 5)
    assert (_calls(snapshot), snapshot.refresh().run_id) == (5, "second")
    _publish(target, "third", 2)
    assert (_calls(Snapshot(target)), Snapshot(target).refresh().run_id) == (2, "third")


def test_a_query_running_during_a_publish_finishes_on_the_version_it_began(tmp_path):
    target = tmp_path / "ccw.duckdb"
    _publish(target, "first", 100_000)
    snapshot = Snapshot(target)
    results, started = [], threading.Event()

    def slow_reader() -> None:
        started.set()
        results.append(
            int(snapshot.query("select count(*) as n from marts.fct_calls, range(200)")["n"][0])
        )

    reader = threading.Thread(target=slow_reader)
    reader.start()
    started.wait()
    _publish(target, "second", 10)
    assert _calls(snapshot) == 10
    reader.join()
    assert results in ([100_000 * 200], [10 * 200])  # whichever it opened, never an error


def test_a_missing_or_cut_short_snapshot_is_a_sentence_not_a_traceback(tmp_path):
    target = tmp_path / "ccw.duckdb"
    with pytest.raises(SnapshotMissingError):
        Snapshot(target).version()
    _publish(target, "first", 3)
    data = target.read_bytes()
    target.write_bytes(data[: len(data) // 3])
    with pytest.raises(SnapshotUnreadableError, match=r"cannot be read .*`ccw run`"):
        Snapshot(target).refresh()
