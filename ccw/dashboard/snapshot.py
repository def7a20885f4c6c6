"""Read the published snapshot of the marts, never the warehouse the pipeline writes.

The snapshot is opened read-only, never the working warehouse, so a run never waits
for the app. A publish renames a new file into place; the next query notices (the
file's identity changed) and opens the new file.

Each published version is attached to a database of its own (an in-memory DuckDB
with the file attached read-only). Opening the file directly would not do: DuckDB
keeps one database per path in a process, so a second `connect()` to the same path
hands back the one still open, with the previous file's content. Opening costs about
20 ms, so one database per published version is kept, and each query runs on its own
cursor; a query still running on the previous version finishes there, and that
database goes when its last cursor does. `version()` changes with every publish; the
app keys its cache on it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from ccw.integrity import cut_short_reason
from ccw.landing.sql import literal
from ccw.landing.warehouse import warehouse_path
from ccw.metrics import Catalogue
from ccw.publish import published_path

SNAPSHOT_CATALOG = "snapshot"


def configured_snapshot() -> Path:
    """The snapshot `ccw run` publishes to: `CCW_PUBLISHED`, else beside `CCW_WAREHOUSE`."""
    return published_path(warehouse_path())


class SnapshotMissingError(RuntimeError):
    """No snapshot has been published yet at the configured path."""


class SnapshotUnreadableError(RuntimeError):
    """The file at the snapshot's path is not a readable snapshot (cut short, corrupt)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"The published snapshot {path} cannot be read ({reason}). The next good "
            "`ccw run` publishes a new one in its place: run it now, or wait for the "
            "schedule."
        )


@dataclass(frozen=True)
class Refresh:
    published_at: datetime
    run_id: str | None


_databases: dict[Path, tuple[str, duckdb.DuckDBPyConnection]] = {}
_databases_lock = threading.Lock()


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    database = duckdb.connect(":memory:")
    try:
        database.execute(f"attach {literal(str(path))} as {SNAPSHOT_CATALOG} (read_only)")
        reason = cut_short_reason(database, SNAPSHOT_CATALOG, path)
        if reason:
            raise SnapshotUnreadableError(path, reason)
        database.execute("select published_at from snapshot.main.refresh").fetchall()
    except SnapshotUnreadableError:
        database.close()
        raise
    except duckdb.Error as error:
        database.close()
        raise SnapshotUnreadableError(path, str(error).splitlines()[0]) from error
    return database


def _cursor(path: Path, version: str) -> duckdb.DuckDBPyConnection:
    with _databases_lock:
        known = _databases.get(path)
        if known is None or known[0] != version:
            # The previous version's database is only dropped here, not closed: cursors
            # other threads still run on keep it open until they are done.
            _databases[path] = (version, _open(path))
        cursor = _databases[path][1].cursor()
    cursor.execute(f"use {SNAPSHOT_CATALOG}")
    return cursor


@lru_cache(maxsize=4)
def _catalogue(path: Path, version: str) -> Catalogue:
    content = Snapshot(path).query("select content from main.semantic_manifest")["content"][0]
    return _catalogue_of(content)


@lru_cache(maxsize=4)
def _catalogue_of(semantic_manifest: str) -> Catalogue:
    """One catalogue per semantic manifest: a publish of the same model keeps the
    request plans the catalogue has made (its SQL names the snapshot's tables by the
    catalog every version is attached as, not by file)."""
    return Catalogue(semantic_manifest, SNAPSHOT_CATALOG)


class Snapshot:
    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else configured_snapshot()

    def version(self) -> str:
        """Changes whenever a new snapshot is renamed into place."""
        try:
            stat = self.path.stat()
        except FileNotFoundError as missing:
            raise SnapshotMissingError(str(self.path)) from missing
        return f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}"

    def query(self, sql: str, parameters: list | None = None) -> pd.DataFrame:
        cursor = _cursor(self.path.resolve(), self.version())
        try:
            return cursor.execute(sql, parameters or []).df()
        finally:
            cursor.close()

    def catalogue(self) -> Catalogue:
        """The metrics catalogue the published marts were built with."""
        return _catalogue(self.path.resolve(), self.version())

    def refresh(self) -> Refresh:
        row = self.query("select published_at, run_id from main.refresh").iloc[0]
        return Refresh(row["published_at"].to_pydatetime(), row["run_id"])
