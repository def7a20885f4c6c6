"""Marts Spark built come back into the warehouse typed and ordered by their contract,
all or nothing."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from ccw.spark.marts import copy_spark_marts, spark_table_path

CONTRACTS = {
    "fct_days": [("day_id", "varchar"), ("calls", "bigint"), ("started_local_date", "date")],
    "dim_things": [("thing_id", "varchar"), ("share", "double")],
}


@pytest.fixture
def spark(tmp_path):
    """Spark's table folders, written the way Spark writes them: a fact partitioned by
    day (the day only in the folder names), a dimension as plain files."""
    root = tmp_path / "spark"
    days = spark_table_path(root, "marts", "fct_days")
    things = spark_table_path(root, "marts", "dim_things")
    with duckdb.connect() as con:
        con.execute(
            "create table days as select * from (values ('a', 3, date '2026-03-01'), "
            "('b', 4, date '2026-03-02')) as t(day_id, calls, started_local_date)"
        )
        days.mkdir(parents=True)
        con.execute(f"copy days to '{days}' (format parquet, partition_by (started_local_date))")
        things.mkdir(parents=True)
        con.execute(
            f"copy (select 'x' as thing_id, 0.25::float as share) to '{things}/part-0.parquet'"
        )
    return root


def test_marts_come_back_with_their_contract_types_and_order(spark, tmp_path):
    with duckdb.connect(str(tmp_path / "ccw.duckdb")) as con:
        copied = copy_spark_marts(con, spark, CONTRACTS)
        assert copied == {"fct_days": 2, "dim_things": 1}
        assert con.execute("select * from marts.fct_days order by day_id").fetchall() == [
            ("a", 3, date(2026, 3, 1)),
            ("b", 4, date(2026, 3, 2)),
        ]
        types = con.execute(
            "select table_name, column_name, data_type from duckdb_columns() "
            "where schema_name = 'marts' order by table_name, column_index"
        ).fetchall()
    assert types == [
        ("dim_things", "thing_id", "VARCHAR"),
        ("dim_things", "share", "DOUBLE"),
        ("fct_days", "day_id", "VARCHAR"),
        ("fct_days", "calls", "BIGINT"),
        ("fct_days", "started_local_date", "DATE"),
    ]


def test_a_missing_mart_leaves_every_previous_mart_in_place(spark, tmp_path):
    with duckdb.connect(str(tmp_path / "ccw.duckdb")) as con:
        con.execute("create schema marts")
        con.execute("create table marts.fct_days as select 'old' as day_id")
        with pytest.raises(FileNotFoundError, match="fct_missing"):
            copy_spark_marts(con, spark, {**CONTRACTS, "fct_missing": [("id", "varchar")]})
        assert con.execute("select * from marts.fct_days").fetchall() == [("old",)]
        tables = con.execute("select table_name from duckdb_tables()").fetchall()
    assert tables == [("fct_days",)]
