"""Copy the marts Spark built into the DuckDB warehouse's `marts` schema.

After a Spark build, the mart checks, the published snapshot and so the app read the
`marts` schema as after a DuckDB build. Spark writes each table as Parquet under its
warehouse folder (`<spark dir>/tables/marts.db/<table>`, partitioned by day for an
incremental fact); each mart is read from there with its contract's column order and
DuckDB types, all in one transaction, so a failure leaves the previous marts whole.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb

from ccw.landing.sql import identifier, literal

MARTS_SCHEMA = "marts"


def spark_dir(warehouse: Path) -> Path:
    """`CCW_SPARK_DIR`, else `spark/` beside the warehouse file: Spark's catalog and tables."""
    configured = os.environ.get("CCW_SPARK_DIR")
    return Path(configured) if configured else warehouse.parent / "spark"


def spark_table_path(spark: Path, schema: str, table: str) -> Path:
    """Where Spark keeps a managed table (profiles.yml sets its warehouse folder)."""
    return spark / "tables" / f"{schema}.db" / table


def mart_columns(manifest_path: Path) -> dict[str, list[tuple[str, str | None]]]:
    """Each mart of the dbt manifest and its columns (name, contract type), in order."""
    manifest = json.loads(manifest_path.read_text())
    return {
        node["alias"] or node["name"]: [
            (column["name"], column.get("data_type")) for column in node["columns"].values()
        ]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == MARTS_SCHEMA
    }


def copy_spark_marts(
    con: duckdb.DuckDBPyConnection,
    spark: Path,
    marts: dict[str, list[tuple[str, str | None]]],
) -> dict[str, int]:
    """Replace each mart in the warehouse with Spark's table; rows copied by mart."""
    copied = {}
    con.execute(f"create schema if not exists {MARTS_SCHEMA}")
    con.execute("begin transaction")
    try:
        for name, columns in marts.items():
            target = f"{MARTS_SCHEMA}.{identifier(name)}"
            con.execute(f"create or replace table {target} as {_select(spark, name, columns)}")
            copied[name] = con.execute(f"select count(*) from {target}").fetchall()[0][0]
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return copied


def _select(spark: Path, name: str, columns: list[tuple[str, str | None]]) -> str:
    folder = spark_table_path(spark, MARTS_SCHEMA, name)
    if not folder.is_dir():
        raise FileNotFoundError(f"Spark has no table {MARTS_SCHEMA}.{name} at {folder}")
    typed = ", ".join(
        f"cast({identifier(column)} as {kind}) as {identifier(column)}"
        if kind
        else identifier(column)
        for column, kind in columns
    )
    if not any(folder.rglob("*.parquet")):
        # An empty partitioned table has no files at all: its columns come from the
        # contract alone.
        nulls = ", ".join(f"cast(null as {kind}) as {identifier(name)}" for name, kind in columns)
        return f"select {nulls} limit 0"
    files = literal(str(folder / "**" / "*.parquet"))
    return f"select {typed} from read_parquet({files}, hive_partitioning = true)"
