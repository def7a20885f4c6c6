"""Publish the marts as a snapshot that readers open while the pipeline writes.

DuckDB lets one process write a file, or several read it, never both at once. So the
pipeline never shares its warehouse: after a good build it copies every table of the
`marts` schema into a new file beside the published one and renames it into place.
A rename is atomic, so a reader opens either the previous snapshot or the new one,
never half of one; readers that already have the old file open keep reading it, and
the next connection sees the new data. The app and analysts only open the snapshot,
read-only (docs/analysts.md).

A nightly run rebuilds a few recent days of the large facts. So the new snapshot
starts as a file copy of the previous one, and only the days rebuilt since (rows
whose `built_at` is newer than the snapshot's) are replaced: the work follows the new
data, not the history. The small marts are copied whole. Without a usable previous
snapshot (the first run, a changed column), every mart is copied.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ccw.integrity import cut_short_reason

PUBLISHED_SCHEMA = "marts"
# What landed and what did not, for operators and analysts, without personal data: the
# quarantine's raw text (which holds whole rows, phone numbers included) stays behind.
LANDING_RECORDS = {
    "manifest": "select * from ingest.manifest",
    "quarantine": "select * exclude (raw_text) from ingest.quarantine",
    "corrections": "select * from ingest.corrections",
}


def published_path(warehouse: Path) -> Path:
    """`CCW_PUBLISHED`, else `published/<name>` beside the warehouse."""
    configured = os.environ.get("CCW_PUBLISHED")
    if configured:
        return Path(configured)
    return warehouse.parent / "published" / warehouse.name


class SnapshotShrinkError(RuntimeError):
    """The new snapshot would start later than the published one: history would go."""


# The fact whose first day says how far back the published history reaches.
HISTORY_TABLE, HISTORY_DAY = "fct_calls", "started_local_date"


@dataclass(frozen=True)
class PublishReport:
    path: Path
    published_at: datetime
    rows_by_table: dict[str, int]
    # Incremental marts whose rebuilt days replaced those of the previous snapshot.
    updated_in_place: tuple[str, ...] = ()
    # The previous snapshot could not be read (cut short, corrupt), so every mart
    # was copied whole into a new one.
    replaced_unreadable: bool = False


def _columns(con: duckdb.DuckDBPyConnection, database: str, table: str) -> list[tuple]:
    return con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = ? and schema_name = ? and table_name = ? order by column_index",
        [database, PUBLISHED_SCHEMA, table],
    ).fetchall()


def _replace_rebuilt_days(con: duckdb.DuckDBPyConnection, table: str, day: str) -> bool:
    """Replace, in the snapshot, the days the warehouse rebuilt since it was taken.

    False when the result would not be the warehouse's table (a snapshot of another
    warehouse, say): the caller then copies the table whole.
    """
    source, copy = f"{PUBLISHED_SCHEMA}.{table}", f"snapshot.{PUBLISHED_SCHEMA}.{table}"
    (since,) = con.execute(f"select max(built_at) from {copy}").fetchone()
    if since is None:
        return False
    rebuilt = f"select * from {source} where built_at > ?"
    con.execute(f"delete from {copy} where {day} in (select {day} from ({rebuilt}))", [since])
    con.execute(f"insert into {copy} {rebuilt}", [since])
    totals = "select count(*), max(built_at) from {}"
    return (
        con.execute(totals.format(copy)).fetchone() == con.execute(totals.format(source)).fetchone()
    )


def publish_marts(
    con: duckdb.DuckDBPyConnection,
    target: Path,
    run_id: str | None = None,
    rebuilt_by_day: dict[str, str] | None = None,
    allow_shrink: bool = False,
    semantic_manifest: str | None = None,
    mart_needs: dict[str, tuple[str, ...]] | None = None,
) -> PublishReport:
    """Copy the marts the connection sees into `target`, replacing it atomically.

    `con` is the pipeline's read-write connection to the warehouse (held under the
    writers' lock), so no build can change the marts while they are copied.
    `rebuilt_by_day` names the incremental marts and the day column their runs
    replace whole (dbt's `unique_key`); those are updated in a copy of the previous
    snapshot rather than copied whole, when the previous snapshot has them.
    Unless `allow_shrink`, a warehouse whose history starts later than the published
    snapshot's (rebuilt from a landing folder that no longer holds every day) is not
    published over it. `semantic_manifest` (dbt's semantic_manifest.json: the metrics
    catalogue the marts were built with) goes into `main.semantic_manifest`, where the
    app reads its metric definitions. `mart_needs` (each mart's `needs_sources`) goes
    into `main.mart_needs`, so the app can say what a center's missing sources leave
    empty.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target)
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tables = [
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() "
            "where database_name = current_database() and schema_name = ? order by 1",
            [PUBLISHED_SCHEMA],
        ).fetchall()
    ]
    warehouse = con.execute("select current_database()").fetchone()[0]
    previous_readable = _attach_copy_of_previous(con, target, staging)
    if not allow_shrink:
        try:
            _refuse_to_drop_history(con, warehouse, target)
        except BaseException:
            con.execute("detach database if exists snapshot")
            remove_leftovers(target)
            raise
    published_at = datetime.now(UTC)
    rows_by_table: dict[str, int] = {}
    updated_in_place: list[str] = []
    try:
        con.execute(f"create schema if not exists snapshot.{PUBLISHED_SCHEMA}")
        for table in _stale_tables(con, tables):
            con.execute(f"drop table snapshot.{PUBLISHED_SCHEMA}.{table}")
        for table in tables:
            day = (rebuilt_by_day or {}).get(table)
            previous = _columns(con, "snapshot", table)
            if (
                day
                and previous
                and previous == _columns(con, warehouse, table)
                and _replace_rebuilt_days(con, table, day)
            ):
                updated_in_place.append(table)
            else:
                con.execute(
                    f"create or replace table snapshot.{PUBLISHED_SCHEMA}.{table} as "
                    f"select * from {PUBLISHED_SCHEMA}.{table}"
                )
            rows_by_table[table] = con.execute(
                f"select count(*) from snapshot.{PUBLISHED_SCHEMA}.{table}"
            ).fetchall()[0][0]
        _publish_landing_records(con)
        con.execute(
            "create or replace table snapshot.main.refresh as select "
            "?::timestamptz as published_at, ?::varchar as run_id, ?::integer as tables",
            [published_at, run_id, len(tables)],
        )
        if semantic_manifest is not None:
            con.execute(
                "create or replace table snapshot.main.semantic_manifest as "
                "select ?::varchar as content",
                [semantic_manifest],
            )
        if mart_needs is not None:
            con.execute(
                "create or replace table snapshot.main.mart_needs "
                "(mart_name varchar, needs_sources varchar[])"
            )
            con.executemany(
                "insert into snapshot.main.mart_needs values (?, ?)",
                [[mart, list(needed)] for mart, needed in sorted(mart_needs.items())],
            )
        con.execute("checkpoint snapshot")
        con.execute("detach snapshot")
    except BaseException:
        con.execute("detach database if exists snapshot")
        remove_leftovers(target)
        raise
    share_with_readers(staging)
    os.replace(staging, target)
    return PublishReport(
        target, published_at, rows_by_table, tuple(updated_in_place), not previous_readable
    )


def _publish_landing_records(con: duckdb.DuckDBPyConnection) -> None:
    """``ingest.manifest``, ``ingest.quarantine`` (file, line, column, reason) and
    ``ingest.corrections`` in the snapshot, where readers can open them during a run."""
    con.execute("create schema if not exists snapshot.ingest")
    for name, select in LANDING_RECORDS.items():
        present = con.execute(
            "select count(*) from duckdb_tables() where database_name = current_database() "
            "and schema_name = 'ingest' and table_name = ?",
            [name],
        ).fetchall()[0][0]
        if present:
            con.execute(f"create or replace table snapshot.ingest.{name} as {select}")


def _first_day(con: duckdb.DuckDBPyConnection, database: str):
    present = con.execute(
        "select count(*) from duckdb_tables() where database_name = ? and schema_name = ? "
        "and table_name = ?",
        [database, PUBLISHED_SCHEMA, HISTORY_TABLE],
    ).fetchall()[0][0]
    if not present:
        return None
    return con.execute(
        f"select min({HISTORY_DAY}) from {database}.{PUBLISHED_SCHEMA}.{HISTORY_TABLE}"
    ).fetchall()[0][0]


def _refuse_to_drop_history(con: duckdb.DuckDBPyConnection, warehouse: str, target: Path) -> None:
    published, built = _first_day(con, "snapshot"), _first_day(con, warehouse)
    if published is not None and (built is None or built > published):
        raise SnapshotShrinkError(
            f"The warehouse's calls start on {built}, the published snapshot's on "
            f"{published} ({target}): publishing would drop the days between, which "
            "the landing folder no longer holds. Put the missing files back in the landing "
            "folder and run `ccw run --full-refresh`; or, if dropping them is intended, "
            "run `ccw run --allow-shrink`."
        )


def share_with_readers(snapshot: Path) -> None:
    """Owner-only, or readable by the group ``CCW_READERS_GROUP`` names (analysts' and
    the app's accounts): the snapshot holds no personal data, but it is the center's."""
    group = os.environ.get("CCW_READERS_GROUP")
    if not group:
        snapshot.chmod(0o600)
        return
    shutil.chown(snapshot, group=group)
    snapshot.chmod(0o640)


def remove_leftovers(target: Path) -> list[Path]:
    """Delete the temporary snapshots a killed or failed publish left beside ``target``.

    Only a writer holding the warehouse lock publishes, so none of them is in use.
    """
    leftovers = [
        path
        for path in target.parent.glob(f".{target.name}.*")
        if path.name.endswith((".tmp", ".tmp.wal"))
    ]
    for path in leftovers:
        path.unlink(missing_ok=True)
    return leftovers


def _attach_copy_of_previous(con: duckdb.DuckDBPyConnection, target: Path, staging: Path) -> bool:
    """Attach ``staging`` as ``snapshot``, starting as a copy of the previous snapshot.

    False when the previous snapshot cannot be read (cut short, corrupt): then
    ``staging`` starts empty and every mart is copied whole.
    """
    if target.exists():
        shutil.copyfile(target, staging)
        try:
            con.execute(f"attach {_quoted(staging)} as snapshot")
            if cut_short_reason(con, "snapshot", staging) is None:
                return True
        except duckdb.Error:
            pass
        con.execute("detach database if exists snapshot")
        remove_leftovers(target)
        con.execute(f"attach {_quoted(staging)} as snapshot")
        return False
    con.execute(f"attach {_quoted(staging)} as snapshot")
    return True


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _stale_tables(con: duckdb.DuckDBPyConnection, tables: list[str]) -> list[str]:
    """Tables of the previous snapshot that are no longer marts."""
    return [
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() "
            "where database_name = 'snapshot' and schema_name = ?",
            [PUBLISHED_SCHEMA],
        ).fetchall()
        if name not in tables
    ]


def last_published_at(path: Path) -> datetime | None:
    """When the snapshot at `path` was published, or None if there is none yet."""
    if not path.exists():
        return None
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select published_at from main.refresh").fetchall()[0][0]
