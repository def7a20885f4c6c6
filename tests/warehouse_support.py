"""Helpers for tests that land data: load everything, query, and compare warehouses."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from ccw.landing.loader import TableReport, land_table
from ccw.pii import register_key
from ccw.vendors import LANDED_TABLES, LEG_TABLES


def land_all(landing: Path, warehouse: Path) -> dict[str, TableReport]:
    return {table.name: land_table(table, landing, warehouse) for table in LANDED_TABLES}


def copy_warehouse(warehouse: Path, folder: Path) -> Path:
    """A private copy to write to: the session's shared warehouses are read-only."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(warehouse, folder / warehouse.name))


def query(warehouse: Path, sql: str, parameters: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        register_key(con)  # the staging views hash personal data, as in dbt
        return con.execute(sql, parameters or []).fetchall()


def differing_rows(first: Path, second: Path, table: str, limit: int = 5) -> dict[str, list]:
    """Rows of ``table`` ("schema.name") in one warehouse and not the other, counting
    repeats, up to ``limit`` each way; compared inside DuckDB. Doubles are rounded to
    six places; ``built_at`` (when a row was built) differs by design and is left out."""
    schema, name = table.split(".")
    with duckdb.connect() as con:
        con.execute(f"attach '{first}' as first (read_only)")
        con.execute(f"attach '{second}' as second (read_only)")
        columns = con.execute(
            "select column_name, data_type from duckdb_columns() where database_name = "
            "'first' and schema_name = ? and table_name = ? order by column_index",
            [schema, name],
        ).fetchall()
        select = ", ".join(
            f"round({column}, 6)" if data_type == "DOUBLE" else column
            for column, data_type in columns
            if column != "built_at"
        )

        def only_in(this: str, other: str) -> list[tuple]:
            return con.execute(
                f"select {select} from {this}.{table} except all "
                f"select {select} from {other}.{table} order by all limit {limit}"
            ).fetchall()

        return {
            label: rows
            for label, rows in (
                (f"only in {first}", only_in("first", "second")),
                (f"only in {second}", only_in("second", "first")),
            )
            if rows
        }


def fingerprint(warehouse: Path) -> dict[str, list[tuple]]:
    """Everything landed, minus load times: equal fingerprints mean equal warehouses."""
    tables = {
        table.name: f"select * exclude (_loaded_at, _load_id) from raw.{table.name} order by all"
        for table in LANDED_TABLES + LEG_TABLES
    }
    tables["manifest"] = (
        "select path, status, rows_read, rows_loaded, rows_quarantined, content_sha256 "
        "from ingest.manifest order by all"
    )
    tables["quarantine"] = (
        "select source_file, line_number, column_name, reason from ingest.quarantine order by all"
    )
    return {name: query(warehouse, sql) for name, sql in tables.items()}
