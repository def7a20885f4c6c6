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
