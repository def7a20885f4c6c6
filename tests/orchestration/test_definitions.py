"""The Dagster code location: it loads, its job lands data, its sensor and schedule fire."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import shutil
from pathlib import Path

import dagster as dg
import pytest

from ccw.contract import TABLES
from ccw.vendors import LANDED_TABLES, VENDORS
from expectations import SUITES
from orchestration.assets.dbt import dbt_target_path
from orchestration.assets.raw import RAW_ASSETS, raw_asset_key
from orchestration.checks.landing import LANDING_CHECKS
from orchestration.dbt_project import REPOSITORY_ROOT
from orchestration.definitions import defs
from orchestration.jobs import CCW_JOB_NAME
from orchestration.resources import WarehouseResource, warehouse_from_environment
from orchestration.schedules import daily_cron, daily_schedule
from orchestration.sensors import new_files_sensor
from tests.warehouse_support import query


def test_the_whole_definitions_object_loads():
    dg.Definitions.validate_loadable(defs)
    job = defs.resolve_job_def(CCW_JOB_NAME)
    keys = job.asset_layer.executable_asset_keys
    raw_keys = {key.path[1] for key in keys if key.path[0] == "raw"}
    assert raw_keys == {t.name for t in LANDED_TABLES}
    assert dg.AssetKey(["staging", "stg_telephony__call_legs"]) in keys
    graph = defs.resolve_asset_graph()
    # the calls export and the legs derived from each platform's records
    assert graph.get(dg.AssetKey(["staging", "stg_telephony__call_legs"])).parent_keys == {
        dg.AssetKey(["raw", name]) for name in ("calls", *(v.records.name for v in VENDORS))
    }
    landing_checks = {key for key in graph.asset_check_keys if key.name in LANDING_CHECK_NAMES}
    assert len(landing_checks) == 3 * len(LANDED_TABLES) + len(VENDORS)
    for suite in SUITES:  # one check per Great Expectations suite, on the asset it guards
        key = dg.AssetCheckKey(dg.AssetKey(list(suite.asset)), suite.name)
        assert key in graph.asset_check_keys
        assert graph.get_check_spec(key).blocking == suite.blocking
    assert len(graph.asset_check_keys) > len(landing_checks) + len(SUITES)  # and dbt tests
    assert defs.resolve_schedule_def("ccw_daily") and defs.resolve_sensor_def("ccw_new_files")


LANDING_CHECK_NAMES = {
    "rows_reconcile",
    "one_current_version_per_key",
    "no_rejected_files",
    "records_balance",
}


def test_materializing_the_raw_assets_lands_everything_and_passes_the_checks(
    landing: Path, warehouse: Path
):
    result = dg.materialize(
        [*RAW_ASSETS, *LANDING_CHECKS],
        resources={
            "warehouse": WarehouseResource(landing_dir=str(landing), warehouse_path=str(warehouse))
        },
    )
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == 3 * len(LANDED_TABLES) + len(VENDORS)
    assert all(e.passed for e in evaluations)
    calls = result.asset_materializations_for_node("raw__calls")[0].metadata
    landed = query(warehouse, "select count(*) from raw.calls")[0][0]
    assert calls["rows_loaded"].value == landed > 0
    assert calls["files_loaded"].value == 7 and calls["rows_quarantined"].value == 0
    assert "ani" not in calls["preview"].value  # personal data stays out of the UI


def test_a_blocking_check_fails_when_rows_do_not_reconcile(landing: Path, warehouse: Path):
    resources = {
        "warehouse": WarehouseResource(landing_dir=str(landing), warehouse_path=str(warehouse))
    }
    dg.materialize([*RAW_ASSETS], resources=resources)
    import duckdb

    with duckdb.connect(str(warehouse)) as con:  # simulate a lost row
        con.execute("delete from raw.calls where rowid = (select min(rowid) from raw.calls)")
    result = dg.materialize(
        [*RAW_ASSETS, *LANDING_CHECKS],
        resources=resources,
        selection=dg.AssetSelection.assets(raw_asset_key(TABLES[4])),
        raise_on_error=False,
    )
    failed = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
    assert failed == ["rows_reconcile"]


def _sensor_tick(cursor: str | None):
    context = dg.build_sensor_context(cursor=cursor, definitions=defs)
    return new_files_sensor(context)


@pytest.fixture
def sensor_landing(landing: Path, monkeypatch) -> Path:
    monkeypatch.setenv("CCW_LANDING_DIR", str(landing))
    monkeypatch.setenv("CCW_SENSOR_SETTLE_SECONDS", "0")
    return landing


def test_the_sensor_requests_one_run_per_new_file_and_none_for_old_ones(sensor_landing: Path):
    first = _sensor_tick(None)
    assert [r.run_key.split(":")[0] for r in first.run_requests] == ["catch-up"]
    assert isinstance(_sensor_tick(first.cursor), dg.SkipReason)

    calls = sensor_landing / "telephony" / "calls_2026-03-09.csv"
    shutil.copy(sensor_landing / "telephony" / "calls_2026-03-08.csv", calls)
    roster = sensor_landing / "hr" / "agents_2026-03-09.csv"
    shutil.copy2(sensor_landing / "hr" / "agents_2026-03-08.csv", roster)  # an old mtime
    second = _sensor_tick(first.cursor)
    requested = {r.tags["ccw/file"]: r for r in second.run_requests}
    assert set(requested) == {"telephony/calls_2026-03-09.csv", "hr/agents_2026-03-09.csv"}
    assert requested["telephony/calls_2026-03-09.csv"].asset_selection == [
        dg.AssetKey(["raw", "calls"])
    ]
    assert len({r.run_key for r in second.run_requests}) == 2
    assert isinstance(_sensor_tick(second.cursor), dg.SkipReason)

    calls.write_bytes(gzip.compress(b"changed"))  # replaced in place: a new delivery
    third = _sensor_tick(second.cursor)
    assert [r.tags["ccw/file"] for r in third.run_requests] == ["telephony/calls_2026-03-09.csv"]
    assert json.loads(third.cursor)["telephony/calls_2026-03-09.csv"].endswith(
        str(calls.stat().st_mtime_ns)
    )


def test_the_sensor_waits_for_a_file_that_may_still_be_copying(sensor_landing, monkeypatch):
    first = _sensor_tick(None)
    monkeypatch.setenv("CCW_SENSOR_SETTLE_SECONDS", "60")
    fresh = sensor_landing / "telephony" / "calls_2026-03-10.csv"
    fresh.write_text("call_id\n")
    assert isinstance(_sensor_tick(first.cursor), dg.SkipReason)
    old = (dt.datetime.now() - dt.timedelta(minutes=5)).timestamp()
    os.utime(fresh, (old, old))
    assert len(_sensor_tick(first.cursor).run_requests) == 1


def test_the_daily_schedule_requests_the_full_job():
    assert daily_cron("06:00") == "0 6 * * *" and daily_cron("23:45") == "45 23 * * *"
    with pytest.raises(ValueError, match="HH:MM"):
        daily_cron("6am")
    context = dg.build_schedule_context(
        scheduled_execution_time=dt.datetime(2026, 3, 3, 6, tzinfo=dt.UTC)
    )
    requests = daily_schedule.evaluate_tick(context).run_requests
    assert len(requests) == 1 and requests[0].asset_selection is None
    assert daily_schedule.job_name == CCW_JOB_NAME
    assert daily_schedule.execution_timezone == "America/New_York"


def test_dagster_dev_loads_the_location_without_an_activated_environment(tmp_path):
    """`dagster dev` re-parses dbt on start; it must find the venv's dbt off PATH."""
    import subprocess
    import sys

    # dbt writes the re-parsed manifest to a folder of the test's own, not the shared
    # target/ that tests running beside this one read.
    env = {
        **os.environ,
        "DAGSTER_IS_DEV_CLI": "1",
        "PATH": "/usr/bin:/bin",
        "DBT_TARGET_PATH": str(tmp_path / "target"),
    }
    result = subprocess.run(
        [sys.executable, "-c", "import orchestration.definitions"],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_dbt_a_run_starts_is_the_only_dbt_process_and_opens_no_adapter(tmp_path, monkeypatch):
    import subprocess

    import dagster_dbt.core.resource

    dbt = defs.resources["dbt"].model_copy()  # nothing cached from another test
    asked = []
    monkeypatch.setattr(
        dagster_dbt.core.resource, "check_output", lambda *args, **kw: asked.append(args)
    )
    invocation = dbt.cli(["parse"], target_path=tmp_path / "target")
    assert invocation.wait().is_successful()
    assert asked == [] and invocation.adapter is None
    # The version it goes by is what the executable says (dagster-dbt's own question).
    monkeypatch.undo()
    reported = subprocess.run(
        [dbt.dbt_executable, "--version"], check=True, capture_output=True, text=True
    ).stdout
    assert f"installed: {dbt._cli_version}" in reported


def test_the_engine_comes_from_the_environment_and_is_checked(monkeypatch):
    monkeypatch.delenv("CCW_ENGINE", raising=False)
    assert not warehouse_from_environment().on_spark  # DuckDB unless told otherwise
    monkeypatch.setenv("CCW_ENGINE", "spark")
    assert warehouse_from_environment().on_spark
    monkeypatch.setenv("CCW_ENGINE", "sparkle")
    with pytest.raises(ValueError, match="engine must be one of duckdb, spark"):
        _ = warehouse_from_environment().on_spark


def test_a_new_warehouse_reuses_the_parse_the_install_made(sample_marts):
    # The sample's warehouse is new to dbt: its run found the install's parse (made by
    # ccw-dbt with the settings' --vars) and reused it instead of parsing the whole
    # project again because the warehouse's path differs (ccw/spark/dbt_command.py).
    log = (REPOSITORY_ROOT / dbt_target_path(sample_marts) / "dbt.log").read_text()
    assert "Partial parsing enabled" in log
    assert "Unable to do partial parsing" not in log
