"""The warehouse file: where it is, its ``raw`` and ``ingest`` schemas, and its locks.

DuckDB lets one process write a database file at a time. Two locks keep ccw's
writers apart:

- a run (the Dagster job, from ``ccw run``, the schedule or the sensor) holds
  ``<warehouse>.run.lock`` from its first step to its last, so a second run waits for
  the whole of the first, never interleaving its steps with it;
- every connection that writes (a step, ``ccw replay``) holds ``<warehouse>.lock``.

A reader that opened the warehouse itself (it should read the published snapshot)
makes a writer wait up to ``CCW_READER_WAIT_SECONDS``, then stop with a message that
names the reader's process. A warehouse DuckDB cannot read (cut short, damaged) stops
the run with what to do, before any step fails on it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ccw.contract import DUCKDB_TYPES, Table
from ccw.integrity import cut_short_reason
from ccw.landing.sql import identifier
from ccw.settings import Settings, load_settings
from ccw.vendors import LANDED_TABLES, LEG_TABLES

logger = logging.getLogger("ccw.landing")

DEFAULT_LOCK_TIMEOUT_SECONDS = 1800.0
DEFAULT_READER_WAIT_SECONDS = 120.0
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


# What each path held when last read: a file is known by its content, and re-read
# only when the kernel says it changed (size, modification or inode-change time),
# so a corrected file copied over the old one with the same size and time is seen.
FILE_CHECKS_DDL = """
create table if not exists ingest.file_checks (
    path VARCHAR PRIMARY KEY,
    size_bytes BIGINT NOT NULL,
    modified_ns BIGINT NOT NULL,
    changed_ns BIGINT NOT NULL,
    content_sha256 VARCHAR,
    checked_at TIMESTAMPTZ NOT NULL
)"""


class WarehouseBusyError(RuntimeError):
    """Another run held the warehouse for longer than we were willing to wait."""


class WarehouseHeldError(RuntimeError):
    """Another process (not a ccw run) has the warehouse file open."""


class WarehouseDamagedError(RuntimeError):
    """DuckDB cannot read the warehouse file."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"The warehouse {path} cannot be read ({reason}). Everything in it can be "
            "rebuilt from the landing folder: move the damaged file aside "
            f"(mv {path} {path}.damaged), then run `ccw run --full-refresh`. Readers keep "
            "the published snapshot until the rebuild publishes a new one."
        )


def reader_wait_seconds() -> float:
    return float(os.environ.get("CCW_READER_WAIT_SECONDS", DEFAULT_READER_WAIT_SECONDS))


def warehouse_path(settings: Settings | None = None) -> Path:
    """``CCW_WAREHOUSE``, else the settings' ``warehouse_path``."""
    configured = os.environ.get("CCW_WAREHOUSE", "").strip()
    return Path(configured or (settings or load_settings())["warehouse_path"])


def landing_dir(settings: Settings | None = None) -> Path:
    """``CCW_LANDING_DIR``, else the settings' ``landing_dir``."""
    configured = os.environ.get("CCW_LANDING_DIR", "").strip()
    return Path(configured or (settings or load_settings())["landing_dir"])


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
    con.execute(FILE_CHECKS_DDL)
    for table in LANDED_TABLES + LEG_TABLES:
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


def _holder(message: str) -> str:
    """The process DuckDB names as holding the file, with its command line."""
    start = message.find("Conflicting lock is held in ")
    if start < 0:
        return "another process"
    held = message[start + len("Conflicting lock is held in ") :].split(")", maxsplit=1)[0] + ")"
    pid = held.rsplit("PID ", 1)[-1].rstrip(")")
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        return f"process {pid} ({' '.join(command.split())[:100]})"
    except (OSError, ValueError):
        return held


def connect_for_writing(
    path: Path, wait_seconds: float | None = None, verify: bool = False
) -> duckdb.DuckDBPyConnection:
    """A read-write connection, once no other process has the file open (waiting up to
    ``wait_seconds``); a clear error for a damaged file or a reader that stays. With
    ``verify`` (once a run), a file cut short is found before any step reads it."""
    wait_seconds = reader_wait_seconds() if wait_seconds is None else wait_seconds
    deadline = time.monotonic() + wait_seconds
    told = False
    while True:
        try:
            con = duckdb.connect(str(path))
            break
        except duckdb.IOException as error:
            message = str(error)
            if "Permission denied" in message:
                raise WarehouseHeldError(
                    f"ccw may not open the warehouse {path} ({message.splitlines()[0]}): run "
                    "it as the user that owns the warehouse folder"
                ) from error
            if "Conflicting lock" not in message:
                raise WarehouseDamagedError(path, message.splitlines()[0]) from error
            holder = _holder(message)
            if time.monotonic() >= deadline:
                raise WarehouseHeldError(
                    f"{holder} has the warehouse {path} open, and still had it after "
                    f"{wait_seconds:.0f} s (CCW_READER_WAIT_SECONDS). Readers must open the "
                    "published snapshot, never the warehouse (docs/analysts.md): close that "
                    "session and run again."
                ) from None
            if not told:
                logger.warning("waiting for %s to close the warehouse %s", holder, path)
                told = True
            time.sleep(1.0)
        except duckdb.Error as error:
            raise WarehouseDamagedError(path, str(error).splitlines()[0]) from error
    owner_only(path)
    if verify:
        database = con.execute("select current_database()").fetchall()[0][0]
        reason = cut_short_reason(con, database, path)
        if reason:
            con.close()
            raise WarehouseDamagedError(path, reason)
    return con


def owner_only(path: Path) -> None:
    """The warehouse holds personal data (raw rows, quarantined text): only its owner
    reads it, whatever the umask. Readers use the published snapshot."""
    for file in (path, path.with_name(path.name + ".wal")):
        if file.exists() and file.stat().st_mode & 0o077:
            file.chmod(0o600)


@contextmanager
def run_lock(path: Path, timeout_seconds: float = DEFAULT_LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Held for a whole run: a second run waits for the first to end, then goes on.

    The lock file says which process holds it and since when, for the waiting run's
    message. The kernel releases the lock when its holder dies, however it dies.
    """
    lock_path = path.with_name(path.name + ".run.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        deadline = time.monotonic() + timeout_seconds
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                if time.monotonic() >= deadline:
                    raise WarehouseBusyError(
                        f"another ccw run ({holder}) has held {path} for over "
                        f"{timeout_seconds / 60:.0f} min; if it is still working, let it "
                        "finish; if it hangs, stop it (kill <pid>) and run again"
                    ) from None
                if not told:
                    logger.warning(
                        "another ccw run (%s) is running on %s: waiting for it to finish "
                        "(up to %.0f min)",
                        holder,
                        path,
                        timeout_seconds / 60,
                    )
                    told = True
                time.sleep(0.5)
        started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {started}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def open_warehouse(
    path: Path | None = None,
    timeout_seconds: float = DEFAULT_LOCK_TIMEOUT_SECONDS,
    verify: bool = False,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to the warehouse, held under the writers' lock
    (``verify``: check first that the file was not cut short)."""
    path = path or warehouse_path()
    with exclusive_lock(path, timeout_seconds):
        path.parent.mkdir(parents=True, exist_ok=True)
        con = connect_for_writing(path, verify=verify)
        try:
            con.execute("set TimeZone = 'UTC'")
            con.execute(f"set memory_limit = '{memory_limit()}'")
            ensure_schema(con)
            yield con
        finally:
            con.close()
