"""Publish the marts as a snapshot that readers open while the pipeline writes.

DuckDB lets one process write a file, or several read it, never both at once. So the
pipeline never shares its warehouse: after a good build it copies every table of the
`marts` schema into a new file beside the published one and renames it into place.
A rename is atomic, so a reader opens either the previous snapshot or the new one,
never half of one; readers that already have the old file open keep reading it, and
the next connection sees the new data. The app and analysts only open the snapshot,
read-only (docs/analysts.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

PUBLISHED_SCHEMA = "marts"


def published_path(warehouse: Path) -> Path:
    """`CCW_PUBLISHED`, else `published/<name>` beside the warehouse."""
    configured = os.environ.get("CCW_PUBLISHED")
    if configured:
        return Path(configured)
    return warehouse.parent / "published" / warehouse.name


@dataclass(frozen=True)
class PublishReport:
    path: Path
    published_at: datetime
    rows_by_table: dict[str, int]


def publish_marts(
    con: duckdb.DuckDBPyConnection, target: Path, run_id: str | None = None
) -> PublishReport:
    """Copy the marts the connection sees into `target`, replacing it atomically.

    `con` is the pipeline's read-write connection to the warehouse (held under the
    writers' lock), so no build can change the marts while they are copied.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    for leftover in (staging, staging.with_name(staging.name + ".wal")):
        leftover.unlink(missing_ok=True)
    tables = [
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() "
            "where database_name = current_database() and schema_name = ? order by 1",
            [PUBLISHED_SCHEMA],
        ).fetchall()
    ]
    published_at = datetime.now(UTC)
    rows_by_table: dict[str, int] = {}
    con.execute(f"attach '{staging}' as snapshot")
    try:
        con.execute(f"create schema snapshot.{PUBLISHED_SCHEMA}")
        for table in tables:
            con.execute(
                f"create table snapshot.{PUBLISHED_SCHEMA}.{table} as "
                f"select * from {PUBLISHED_SCHEMA}.{table}"
            )
            rows_by_table[table] = con.execute(
                f"select count(*) from snapshot.{PUBLISHED_SCHEMA}.{table}"
            ).fetchall()[0][0]
        con.execute(
            "create table snapshot.main.refresh as select "
            "?::timestamptz as published_at, ?::varchar as run_id, ?::integer as tables",
            [published_at, run_id, len(tables)],
        )
        con.execute("checkpoint snapshot")
    finally:
        con.execute("detach snapshot")
    os.replace(staging, target)
    return PublishReport(target, published_at, rows_by_table)


def last_published_at(path: Path) -> datetime | None:
    """When the snapshot at `path` was published, or None if there is none yet."""
    if not path.exists():
        return None
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select published_at from main.refresh").fetchall()[0][0]
