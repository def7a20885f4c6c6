"""Read the published snapshot of the marts, never the warehouse the pipeline writes.

Each query opens the snapshot read-only and closes it, so a run publishing a new file
(an atomic rename) never waits for the app, and the next query sees the new data.
`version()` changes with every publish; the app keys its cache on it.
"""

from __future__ import annotations

import os
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
        if not self.path.exists():
            raise SnapshotMissingError(str(self.path))
        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.execute(sql, parameters or []).df()

    def refresh(self) -> Refresh:
        row = self.query("select published_at, run_id from main.refresh").iloc[0]
        return Refresh(row["published_at"].to_pydatetime(), row["run_id"])
