"""Write the landed raw tables as Parquet, for an engine that reads files (Spark).

The lake holds one folder per source system and table, partitioned by the business
day of the delivery (``_file_date``, the day in the export's file name)::

    <lake>/raw/telephony/calls/_file_date=2026-03-02/data_0.parquet
    <lake>/ingest/manifest/data_0.parquet

Every row of the raw table goes there, lineage columns and ``_is_current`` included,
so staging reads the same rows on every engine. The ingest manifest goes too: dbt's
tests of a staging view read the latest landing run's loads from it.

A table is written into a new folder beside its old one, then renamed into place, so
a crash mid-export leaves the previous export whole. A landing run can change
``_is_current`` on rows of any earlier day, so each export rewrites the table whole
(docs/scale-out.md says how a cluster's landing would write it instead).
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ccw.contract import Table
from ccw.landing.sql import identifier, literal, scalar
from ccw.vendors import LANDED_TABLES, LEG_TABLES

PARTITION_COLUMN = "_file_date"
EMPTY_PARTITION_DAY = "1900-01-01"


def lake_path(warehouse: Path) -> Path:
    """`CCW_LAKE`, else `lake/` beside the warehouse file."""
    configured = os.environ.get("CCW_LAKE")
    return Path(configured) if configured else warehouse.parent / "lake"


@dataclass(frozen=True)
class ExportedTable:
    name: str  # schema.table, as the engine reading the lake names it
    path: Path
    rows: int
    partitions: int


def export_raw_tables(con: duckdb.DuckDBPyConnection, lake: Path) -> list[ExportedTable]:
    """Write every raw table and the ingest manifest to `lake`, replacing what was there."""
    tables = LANDED_TABLES + LEG_TABLES
    return [*(export_raw_table(con, table, lake) for table in tables), export_manifest(con, lake)]


def export_raw_table(con: duckdb.DuckDBPyConnection, table: Table, lake: Path) -> ExportedTable:
    """Write `raw.<table>` to `<lake>/raw/<source>/<table>/`, one folder per delivery day."""
    return _export(
        con,
        f"raw.{identifier(table.name)}",
        lake / "raw" / table.source / table.name,
        f"raw.{table.name}",
        partitioned=True,
    )


def export_manifest(con: duckdb.DuckDBPyConnection, lake: Path) -> ExportedTable:
    """Write `ingest.manifest` (one row per delivered file) to `<lake>/ingest/manifest/`."""
    return _export(con, "ingest.manifest", lake / "ingest" / "manifest", "ingest.manifest", False)


def _export(
    con: duckdb.DuckDBPyConnection, relation: str, path: Path, name: str, partitioned: bool
) -> ExportedTable:
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    rows = scalar(con, f"select count(*) from {relation}")
    staged.mkdir()
    if not partitioned:
        target, options = staged / "data_0.parquet", "format parquet"
    elif rows:
        target, options = staged, f"format parquet, partition_by ({PARTITION_COLUMN})"
    else:
        # An empty table still gets a (row-less) file in the same layout, so the
        # engine reading the lake knows its columns, partition column included.
        empty_partition = staged / f"{PARTITION_COLUMN}={EMPTY_PARTITION_DAY}"
        empty_partition.mkdir()
        relation = f"(select * exclude ({PARTITION_COLUMN}) from {relation})"
        target, options = empty_partition / "data_0.parquet", "format parquet"
    con.execute(f"copy (select * from {relation}) to {literal(str(target))} ({options})")
    _swap_in(staged, path)
    partitions = sum(1 for child in path.iterdir() if child.name.startswith(PARTITION_COLUMN))
    return ExportedTable(name, path, rows, partitions)


def _swap_in(staged: Path, path: Path) -> None:
    """Replace `path` with `staged`: two renames, the old copy removed after."""
    retired = path.with_name(f".{path.name}.retired")
    shutil.rmtree(retired, ignore_errors=True)
    if path.exists():
        path.rename(retired)
    staged.rename(path)
    shutil.rmtree(retired, ignore_errors=True)
