"""The lake: every landed raw row written as Parquet, by source and delivery day."""

from __future__ import annotations

import duckdb
import pytest

from ccw.contract import TABLES
from ccw.landing.lake import export_raw_tables
from ccw.landing.warehouse import open_warehouse
from ccw.vendors import LANDED_TABLES, LEG_TABLES
from tests.warehouse_support import land_all


@pytest.fixture(scope="module")
def landed(pristine_landing, tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("lake") / "ccw.duckdb"
    land_all(pristine_landing, warehouse)
    return warehouse


def _parquet(folder) -> str:
    return f"read_parquet('{folder}/**/*.parquet', hive_partitioning = true)"


def test_every_raw_row_is_in_the_lake_once_and_a_re_export_replaces_it(landed, tmp_path):
    lake = tmp_path / "lake"
    with open_warehouse(landed) as con:
        export_raw_tables(con, lake)
        exported = export_raw_tables(con, lake)  # again: replaces, never appends

        for table in TABLES:
            folder = lake / "raw" / table.source / table.name
            difference = con.execute(
                f"""select count(*) from (
                    (select * exclude (_file_date), _file_date from raw.{table.name}
                     except all
                     select * exclude (_file_date), _file_date from {_parquet(folder)})
                    union all
                    (select * exclude (_file_date), _file_date from {_parquet(folder)}
                     except all
                     select * exclude (_file_date), _file_date from raw.{table.name}))"""
            ).fetchall()[0][0]
            assert difference == 0, table.name
            days = con.execute(f"select count(distinct _file_date) from raw.{table.name}")
            partitions = sorted(path.name for path in folder.iterdir())
            assert len(partitions) == days.fetchall()[0][0], table.name
            assert all(name.startswith("_file_date=") for name in partitions)

        manifest = con.execute(
            f"select count(*) from {_parquet(lake / 'ingest' / 'manifest')}"
        ).fetchall()[0][0]
        assert manifest == con.execute("select count(*) from ingest.manifest").fetchall()[0][0]
    assert {item.name for item in exported} == {
        *(f"raw.{table.name}" for table in LANDED_TABLES + LEG_TABLES),
        "ingest.manifest",
    }
    # Nothing left behind by the swaps.
    assert not [path for path in lake.rglob(".*")]


def test_an_empty_table_still_has_its_columns_in_the_lake(tmp_path):
    warehouse = tmp_path / "empty.duckdb"
    lake = tmp_path / "lake"
    with open_warehouse(warehouse) as con:  # every raw table, none delivered yet
        export_raw_tables(con, lake)
    calls = TABLES[[table.name for table in TABLES].index("calls")]
    with duckdb.connect() as con:
        columns = [
            row[0]
            for row in con.execute(
                f"describe select * from {_parquet(lake / 'raw' / 'telephony' / 'calls')}"
            ).fetchall()
        ]
        rows = con.execute(
            f"select count(*) from {_parquet(lake / 'raw' / 'telephony' / 'calls')}"
        ).fetchall()[0][0]
    assert rows == 0
    assert set(calls.column_names) <= set(columns)
    assert "_file_date" in columns and "_is_current" in columns
