"""The same dbt project on DuckDB and on Apache Spark builds the same marts.

A few days of generated exports, built twice from the same files: by the main job
with `--engine spark` (dbt on a local Spark, one session, reading the raw tables the
job wrote to the lake as Parquet; the marts copied back into the warehouse), and with
dbt on DuckDB. Every mart is then compared row for row (ccw/parity.py): equal counts,
equal keys, integers, strings, dates and instants equal, floating-point numbers
within 1e-9 relative.

The days straddle a month end, so the monthly marts have two months, and a month
over month comparison (fct_bad_trades) has rows to compare.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from ccw.generator import GenerateRequest, generate
from ccw.parity import compare_warehouses
from ccw.pipeline import run_pipeline
from ccw.spark.marts import mart_columns
from orchestration.dbt_project import REPOSITORY_ROOT, ccw_dbt_project
from tests.warehouse_support import land_all, query

DAYS = {"start": date(2026, 2, 24), "days": 6, "agents": 20, "customers": 12_000, "seed": 21}


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("parity")
    landing = root / "landing"
    generate(GenerateRequest(out=landing, **DAYS))

    # Spark: the main job as `ccw run --engine spark` runs it (land, write the lake,
    # dbt build on Spark with every test, copy the marts back, check, publish).
    on_spark = root / "spark" / "ccw.duckdb"
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("CCW_SPARK_CORES", "1")  # the suite's other worker has the other
        outcome = run_pipeline(landing, on_spark, engine="spark")
    assert outcome.ok, (outcome.failed_steps, outcome.failed_checks)
    manifest = json.loads(ccw_dbt_project.manifest_path.read_text())
    models = [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]
    assert outcome.models_built == len(models)

    # DuckDB: the same files landed, and every model built with dbt.
    on_duckdb = root / "duckdb" / "ccw.duckdb"
    land_all(landing, on_duckdb)
    _dbt_run(on_duckdb, root / "target-duckdb")
    return on_duckdb, on_spark


def _dbt_run(warehouse: Path, target_path: Path) -> None:
    completed = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "run", "--profiles-dir", ".",
         "--target-path", str(target_path)],
        cwd=REPOSITORY_ROOT,
        env={**os.environ, "CCW_WAREHOUSE": str(warehouse)},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]


def test_every_mart_is_the_same_on_duckdb_and_spark(warehouses):
    on_duckdb, on_spark = warehouses
    comparisons = compare_warehouses(on_duckdb, on_spark)

    assert {comparison.mart for comparison in comparisons} == set(
        mart_columns(ccw_dbt_project.manifest_path)
    )
    different = [comparison.describe() for comparison in comparisons if not comparison.equal]
    assert not different, "\n".join(different)
    # Not vacuous: every mart has rows, on both engines.
    assert all(comparison.rows[0] > 0 for comparison in comparisons), [
        comparison.describe() for comparison in comparisons
    ]


def test_the_comparison_sees_a_difference_in_any_kind_of_column(warehouses, tmp_path):
    on_duckdb, _ = warehouses
    altered = tmp_path / "altered.duckdb"
    shutil.copy(on_duckdb, altered)
    call = query(on_duckdb, "select min(call_id) from marts.fct_calls where is_answered")[0][0]
    with duckdb.connect(str(altered)) as con:
        con.execute(
            """update marts.fct_calls set
                talk_seconds = talk_seconds + 1,
                direction = direction || '!',
                call_cost = call_cost * (1 + 1e-6),
                started_at = started_at + interval 1 second
            where call_id = ?""",
            [call],
        )
        con.execute("delete from marts.fct_daily_service where rowid = 0")

    by_mart = {comparison.mart: comparison for comparison in compare_warehouses(on_duckdb, altered)}

    calls = by_mart["fct_calls"]
    assert set(calls.differing) == {"talk_seconds", "direction", "call_cost", "started_at"}
    assert all(count == 1 for count, _ in calls.differing.values())
    assert by_mart["fct_daily_service"].rows[0] == by_mart["fct_daily_service"].rows[1] + 1
    assert not by_mart["fct_daily_service"].equal
    assert all(
        comparison.equal
        for name, comparison in by_mart.items()
        if name not in ("fct_calls", "fct_daily_service")
    )
