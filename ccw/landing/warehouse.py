"""The warehouse file: where it is, its ``raw`` and ``ingest`` schemas, and its lock.

DuckDB lets one process write a database file at a time. Every writer in ccw (a
Dagster run, ``ccw run``, ``ccw replay``) takes an exclusive lock on
``<warehouse>.lock`` first, so overlapping runs wait their turn instead of failing
half-way or corrupting anything.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ccw.contract import DUCKDB_TYPES, TABLES, Table
from ccw.landing.sql import identifier

DEFAULT_WAREHOUSE = "warehouse/ccw.duckdb"
DEFAULT_LANDING = "landing"
DEFAULT_LOCK_TIMEOUT_SECONDS = 1800.0
# DuckDB's default is 80% of the machine's memory; the pipeline's connection and
# dbt's (profiles.yml) each get this much, and spill to disk beyond it.
DEFAULT_MEMORY_LIMIT = "4GB"

LINEAGE_COLUMNS = {
    "_source_file": "VARCHAR NOT NULL",  # relative to the landing folder
    "_line_number": "BIGINT NOT NULL",  # physical line the record starts on (parquet: row)
    "_load_id": "BIGINT NOT NULL",  # the ingest.manifest row of the delivery
    "_loaded_at": "TIMESTAMPTZ NOT NULL",
    "_file_date": "DATE NOT NULL",  # the business day in the file name
    "_is_current": "BOOLEAN NOT NULL",  # the version of the key staging reads
}

MANIFEST_DDL = """
create table if not exists ingest.manifest (
    load_id BIGINT PRIMARY KEY,
    run_id VARCHAR,
    source VARCHAR NOT NULL,
    table_name VARCHAR,
    path VARCHAR NOT NULL,
    file_date DATE,
    size_bytes BIGINT NOT NULL,
    modified_at TIMESTAMPTZ NOT NULL,
    modified_ns BIGINT NOT NULL,
    delivered_ns BIGINT NOT NULL,
    content_sha256 VARCHAR,
    status VARCHAR NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    duplicate_of BIGINT,
    message VARCHAR,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL
)"""

QUARANTINE_DDL = """
create table if not exists ingest.quarantine (
    load_id BIGINT NOT NULL,
    source VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    line_number BIGINT NOT NULL,
    column_name VARCHAR,
    reason VARCHAR NOT NULL,
    raw_text VARCHAR,
    quarantined_at TIMESTAMPTZ NOT NULL
)"""


CORRECTIONS_DDL = """
create table if not exists ingest.corrections (
    load_id BIGINT NOT NULL,
    source VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    line_number BIGINT NOT NULL,
    column_name VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    corrected_at TIMESTAMPTZ NOT NULL
)"""


class WarehouseBusyError(RuntimeError):
    """Another run held the warehouse for longer than we were willing to wait."""


def warehouse_path() -> Path:
    return Path(os.environ.get("CCW_WAREHOUSE", DEFAULT_WAREHOUSE))


def landing_dir() -> Path:
    return Path(os.environ.get("CCW_LANDING_DIR", DEFAULT_LANDING))


def memory_limit() -> str:
    return os.environ.get("CCW_DUCKDB_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT)


def raw_table_ddl(table: Table) -> str:
    columns = [f"{identifier(column.name)} {DUCKDB_TYPES[column.type]}" for column in table.columns]
    columns += [f"{name} {kind}" for name, kind in LINEAGE_COLUMNS.items()]
    body = ",\n    ".join(columns)
    return f"create table if not exists raw.{identifier(table.name)} (\n    {body}\n)"


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every raw table, so a source that never delivered still reads as empty."""
    con.execute("create schema if not exists raw")
    con.execute("create schema if not exists ingest")
    con.execute(MANIFEST_DDL)
    con.execute(QUARANTINE_DDL)
    con.execute(CORRECTIONS_DDL)
    for table in TABLES:
        con.execute(raw_table_ddl(table))


@contextmanager
def exclusive_lock(path: Path, timeout_seconds: float) -> Iterator[None]:
    lock_path = path.with_name(path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        deadline = time.monotonic() + timeout_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusyError(
                        f"another ccw run has held {lock_path} for over "
                        f"{timeout_seconds:.0f} s; "
                        "wait for it to finish (see the Dagster UI or `ps`) and run again"
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def open_warehouse(
    path: Path | None = None, timeout_seconds: float = DEFAULT_LOCK_TIMEOUT_SECONDS
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to the warehouse, held under the writers' lock."""
    path = path or warehouse_path()
    with exclusive_lock(path, timeout_seconds):
        path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path))
        try:
            con.execute("set TimeZone = 'UTC'")
            con.execute(f"set memory_limit = '{memory_limit()}'")
            ensure_schema(con)
            yield con
        finally:
            con.close()
