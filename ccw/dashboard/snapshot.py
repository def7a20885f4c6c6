"""Read the published snapshot of the marts, never the warehouse the pipeline writes.

The snapshot is opened read-only, never the working warehouse, so a run never waits
for the app. A publish renames a new file into place; the next query notices (the
file's identity changed), opens the new file and closes the old one. Opening costs
about 20 ms, so one connection per published version is kept and each query runs on
its own cursor. `version()` changes with every publish; the app keys its cache on it.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from ccw.publish import published_path

DEFAULT_WAREHOUSE = Path("warehouse/ccw.duckdb")


def configured_snapshot() -> Path:
    """The snapshot `ccw run` publishes to: `CCW_PUBLISHED`, else beside `CCW_WAREHOUSE`."""
    warehouse = Path(os.environ.get("CCW_WAREHOUSE", DEFAULT_WAREHOUSE))
    return published_path(warehouse)


class SnapshotMissingError(RuntimeError):
    """No snapshot has been published yet at the configured path."""


@dataclass(frozen=True)
class Refresh:
    published_at: datetime
    run_id: str | None


_connections: dict[Path, tuple[str, duckdb.DuckDBPyConnection]] = {}
_connections_lock = threading.Lock()


def _connection(path: Path, version: str) -> duckdb.DuckDBPyConnection:
    with _connections_lock:
        known = _connections.get(path)
        if known is not None and known[0] == version:
            return known[1].cursor()
        connection = duckdb.connect(str(path), read_only=True)
        _connections[path] = (version, connection)
        if known is not None:
            known[1].close()
        return connection.cursor()


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
        cursor = _connection(self.path.resolve(), self.version())
        try:
            return cursor.execute(sql, parameters or []).df()
        finally:
            cursor.close()

    def refresh(self) -> Refresh:
        row = self.query("select published_at, run_id from main.refresh").iloc[0]
        return Refresh(row["published_at"].to_pydatetime(), row["run_id"])
