"""The same dbt project on DuckDB and on Apache Spark builds the same marts.

A few days of generated exports, landed once; dbt then builds every model twice from
those raw tables: on DuckDB in the warehouse file, and on a local Spark (one session,
the profile's `spark` target through `ccw-dbt`) from the raw tables written to the
lake as Parquet, as `ccw run --engine spark` does. The marts Spark built are copied
into a second warehouse as that job does, and every mart is compared row for row
(ccw/parity.py): equal counts, equal keys, integers, strings, dates and instants
equal, floating-point numbers within 1e-9 relative.

Models only: the whole `--engine spark` job, with every dbt test on Spark, takes
twice as long, more than the suite's budget allows; `bench/run.py --parts spark`
runs it and compares its marts the same way (docs/scale-out.md).

The days straddle a month end, so the monthly marts have two months, and a month
over month comparison (fct_bad_trades) has rows to compare.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from ccw.generator import GenerateRequest, generate
from ccw.landing.lake import export_raw_tables
from ccw.landing.warehouse import open_warehouse
from ccw.parity import compare_warehouses
from ccw.spark.marts import copy_spark_marts, mart_columns
from orchestration.dbt_project import REPOSITORY_ROOT, ccw_dbt_project
from tests.warehouse_support import land_all, query

DAYS = {"start": date(2026, 2, 24), "days": 6, "agents": 20, "customers": 12_000, "seed": 21}
BIN = Path(sys.executable).parent


def _dbt(executable: str, environment: dict[str, str], *arguments: str) -> None:
    completed = subprocess.run(
        [str(BIN / executable), "run", "--profiles-dir", ".", *arguments],
        cwd=REPOSITORY_ROOT,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("parity")
    landing = root / "landing"
    generate(GenerateRequest(out=landing, **DAYS))
    landed = root / "landed.duckdb"
    land_all(landing, landed)

    on_duckdb = root / "duckdb" / "ccw.duckdb"
    on_spark = root / "spark" / "ccw.duckdb"
    for copy in (on_duckdb, on_spark):
        copy.parent.mkdir()
        shutil.copy(landed, copy)

    _dbt(
        "dbt",
        {"CCW_WAREHOUSE": str(on_duckdb)},
        "--target-path",
        str(root / "target-duckdb"),
    )

    lake, spark_dir = root / "lake", root / "spark-engine"
    with open_warehouse(on_spark) as con:
        export_raw_tables(con, lake)
    _dbt(
        "ccw-dbt",
        {
            "CCW_LAKE": str(lake),
            "CCW_SPARK_DIR": str(spark_dir),
            "SPARK_LOCAL_IP": "127.0.0.1",
            # One core: the suite's other worker has the other (CI has two).
            "CCW_SPARK_CORES": "1",
        },
        "--target",
        "spark",
        "--target-path",
        str(root / "target-spark"),
    )
    with open_warehouse(on_spark) as con:
        copy_spark_marts(con, spark_dir, mart_columns(ccw_dbt_project.manifest_path))
    return on_duckdb, on_spark


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
