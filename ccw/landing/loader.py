"""Land the files of one contract table, in batches of files, each in one transaction.

For every file in the landing folder, oldest delivery first:

1. skip it when it has not changed since it was last read (``ingest.file_checks``:
   size, modification and inode-change time), or, for a file rejected by its name or
   place alone, when the manifest knows this path, size and modification time; a file
   whose times changed but whose content is what this path last delivered is
   recorded as checked, and nothing else;
2. read it (decompressing), hash the content, and parse it with DuckDB's readers, one
   file ahead in a thread of its own (:mod:`ccw.landing.read_ahead`); record a
   ``duplicate`` when the same content was loaded before, under whatever name;
3. add its parsed rows to a temporary table of pending rows; once about
   ``CHECK_ROWS`` rows are pending (many files of a first load, one of a daily run),
   check every value against the contract in one statement and stage each file's
   valid rows and quarantined ones in temporary tables (one statement per file cost
   three times as much on the days of a large center: docs/benchmarks.md);
4. a file that cannot be loaded at all is ``rejected`` in the manifest with the reason.

Then, in one transaction per batch (up to ``BATCH_FILES`` files or about
``BATCH_ROWS`` rows: a daily run is one file per table, a first load of a year
hundreds), the staged rows go into ``raw.<table>`` and ``ingest.quarantine``, the
files into ``ingest.manifest``, the current version of the keys they touch is
re-ranked, and each file is checked: rows read = loaded + quarantined. Committing and
re-ranking once per batch rather than per file is most of a first load's time saved
(docs/benchmarks.md).

A run killed at any point leaves each file either fully loaded or not at all, and the
next run picks up where it stopped.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from ccw.contract import Table
from ccw.landing import currency
from ccw.landing.content import FileContent
from ccw.landing.files import LandingFile, discover
from ccw.landing.read_ahead import Read, ReadAhead
from ccw.landing.readers import Parsed, empty_rows
from ccw.landing.rules import RowBounds
from ccw.landing.sql import identifier, scalar
from ccw.landing.validation import (
    NO_CLEANING,
    check_rows,
    has_repeated_keys,
    mark_repeated_keys,
    typed_columns,
)
from ccw.landing.warehouse import open_warehouse
from ccw.settings import Settings, load_settings
from ccw.vendors import derive_legs, vendor_of

logger = logging.getLogger("ccw.landing")

LOADED, DUPLICATE, REJECTED = "loaded", "duplicate", "rejected"
# What `ccw replay` leaves of a delivery: the incremental models rebuild its days.
FORGOTTEN = "forgotten"
CHECKPOINT_EVERY = "1GB"
BATCH_FILES = 64
BATCH_ROWS = 2_000_000
# Parsed rows checked in one statement; the files' bytes are kept until then, for the
# raw text of a quarantined record.
CHECK_ROWS = 500_000
STAGED_RAW, STAGED_QUARANTINE = "_staged_raw", "_staged_quarantine"
STAGED_CORRECTIONS = "_staged_corrections"
PENDING = "_pending_rows"


class ReconciliationError(RuntimeError):
    """Rows read did not equal rows loaded plus rows quarantined: a bug, never data."""


@dataclass
class FileReport:
    path: str
    table: str | None
    status: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    message: str | None = None
    load_id: int | None = None


@dataclass
class TableReport:
    table: Table
    files: list[FileReport] = field(default_factory=list)
    current_rows: int = 0

    def count(self, status: str) -> int:
        return sum(1 for report in self.files if report.status == status)

    @property
    def rows_loaded(self) -> int:
        return sum(report.rows_loaded for report in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(report.rows_quarantined for report in self.files)

    @property
    def rejected(self) -> list[FileReport]:
        return [report for report in self.files if report.status == REJECTED]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def known_signatures(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Deliveries already recorded, by path, size and modification time (a forgotten
    one, ``ccw replay``, is read again)."""
    rows = con.execute(
        "select path, size_bytes, modified_ns from ingest.manifest where status <> ?",
        [FORGOTTEN],
    ).fetchall()
    return {f"{path}:{size}:{modified}" for path, size, modified in rows}


def checked_files(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int, int]]:
    rows = con.execute(
        "select path, size_bytes, modified_ns, changed_ns from ingest.file_checks"
    ).fetchall()
    return {path: (size, modified, changed) for path, size, modified, changed in rows}


def latest_content(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The content each path delivered last (forgotten deliveries aside)."""
    rows = con.execute(
        "select path, arg_max(content_sha256, load_id) from ingest.manifest "
        "where content_sha256 is not null and status <> ? group by path",
        [FORGOTTEN],
    ).fetchall()
    return dict(rows)


def _is_known(landing_file: LandingFile, known: set[str], checked: dict) -> bool:
    if landing_file.problem or landing_file.table is None:
        return landing_file.signature in known
    return checked.get(landing_file.relative_path) == landing_file.stat_key


def land_table(
    table: Table,
    landing_dir: Path,
    warehouse: Path,
    run_id: str | None = None,
    progress: Callable[[FileReport], None] | None = None,
    settings: Settings | None = None,
) -> TableReport:
    """Load every new file of ``table``; files already in the manifest are skipped.
    ``settings`` (the file's, by default) set the row rules' bounds and the sources the
    center has: a file of another source is rejected."""
    report = TableReport(table)
    files = discover(landing_dir, (table,))
    with open_warehouse(warehouse) as con:
        # DuckDB's default checkpoints every 16 MB of log, several times per day of a
        # large center's exports. Checkpoint once, after the table (the log keeps every
        # commit durable in between).
        con.execute(f"set checkpoint_threshold = '{CHECKPOINT_EVERY}'")
        known, checked = known_signatures(con), checked_files(con)
        batch = Batch(con, table, run_id, latest_content(con), settings or load_settings())
        new_files = []
        for landing_file in files:
            if _is_known(landing_file, known, checked):
                continue
            known.add(landing_file.signature)
            checked[landing_file.relative_path] = landing_file.stat_key
            new_files.append(landing_file)
        reader = ReadAhead(con, batch.sources)
        try:
            for read in reader.reads(new_files):
                batch.accept(read)
                reader.forget(read)
                if batch.full:
                    _report(report, batch.commit(), progress)
        finally:
            reader.close()
        _report(report, batch.commit(), progress)
        batch.close()
        if report.files:
            logger.info(
                "%s/%s: %d new file(s), %s rows loaded, %s quarantined, %d rejected",
                table.source,
                table.name,
                len(report.files),
                f"{report.rows_loaded:,}",
                f"{report.rows_quarantined:,}",
                len(report.rejected),
            )
        report.current_rows = scalar(
            con, f"select count(*) from raw.{identifier(table.name)} where _is_current"
        )
        con.execute("checkpoint")
    return report


def _report(
    report: TableReport,
    committed: list[FileReport],
    progress: Callable[[FileReport], None] | None,
) -> None:
    for file_report in committed:
        report.files.append(file_report)
        if file_report.status != REJECTED:
            logger.debug(
                "%s %s: %d rows, %d quarantined",
                file_report.status,
                file_report.path,
                file_report.rows_loaded,
                file_report.rows_quarantined,
            )
        if progress:
            progress(file_report)


@dataclass
class _Staged:
    """A file read and checked, waiting for its batch to commit."""

    landing_file: LandingFile
    report: FileReport
    started: dt.datetime
    content: FileContent | None
    duplicate_of: int | None = None
    parsed: Parsed | None = None  # parsed, waiting for its rows to be checked


class Batch:
    """Files of one table staged in temporary tables, committed together.

    Parsing and checking run outside the transaction (a file DuckDB cannot read is
    rejected without aborting the batch); the transaction only moves staged rows in.
    Load ids are handed out here: the warehouse lock keeps this the only writer.
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        table: Table,
        run_id: str | None,
        latest_content: dict[str, str],
        settings: Settings,
    ):
        self.con, self.table, self.run_id = con, table, run_id
        self.latest_content = latest_content
        # Files read whose content is what their path last delivered: only checked.
        self.unchanged: list[tuple[LandingFile, str]] = []
        self.raw = f"raw.{identifier(table.name)}"
        self.staged: list[_Staged] = []
        self.rows = 0
        self.pending: list[_Staged] = []  # parsed files whose rows are not yet checked
        self.pending_rows = 0
        self.cleaning = NO_CLEANING  # what the pending files' values can need
        self.next_load_id = _next_load_id(con)
        self.loaded_content: dict[tuple[str, dt.date | None], int] = {}
        self.bounds = RowBounds.from_settings(settings)
        self.sources = settings["sources"]
        con.execute(f"create or replace temp table {STAGED_RAW} as from {self.raw} limit 0")
        con.execute(
            f"create or replace temp table {PENDING} as select null::bigint as _load_id, "
            f"null::varchar as _source_path, null::date as _file_day, * from ({empty_rows(table)})"
        )
        for staged, table_name in (
            (STAGED_QUARANTINE, "quarantine"),
            (STAGED_CORRECTIONS, "corrections"),
        ):
            con.execute(
                f"create or replace temp table {staged} as from ingest.{table_name} limit 0"
            )

    @property
    def full(self) -> bool:
        return len(self.staged) + len(self.unchanged) >= BATCH_FILES or self.rows >= BATCH_ROWS

    def _load_id(self) -> int:
        self.next_load_id += 1
        return self.next_load_id - 1

    def accept(self, read: Read) -> None:
        """Decide what a file read ahead is: unchanged since its path last delivered
        it, a duplicate of a load, rejected, or rows to check. Only a problem with the
        file itself marks it rejected: an error while committing (a full disk, a bug)
        fails the run, and the next run retries."""
        landing_file, content = read.landing_file, read.content
        path = landing_file.relative_path
        if content is None:  # rejected before it could be read, or while reading it
            sha256 = read.rejected.sha256 if read.rejected else None
            if sha256:  # read, but empty or not decompressible: known by its bytes
                content = FileContent(b"", sha256)
                if self.latest_content.get(path) == sha256:  # the same broken file
                    self.unchanged.append((landing_file, sha256))
                    return
            self._reject(read, content)
            return
        if self.latest_content.get(path) == content.sha256:
            self.unchanged.append((landing_file, content.sha256))
            return
        duplicate_of = self._earlier_load_of(landing_file, content)
        if duplicate_of is not None:
            message = f"same content as load {duplicate_of}; nothing loaded"
            report = FileReport(path, self.table.name, DUPLICATE, message=message)
            self._add(landing_file, report, read.started, content, duplicate_of)
            return
        if read.rejected is not None:
            self._reject(read, content)
            return
        self._pend(read)

    def _reject(self, read: Read, content: FileContent | None) -> None:
        landing_file, error = read.landing_file, read.rejected
        table_name = landing_file.table.name if landing_file.table else None
        report = FileReport(landing_file.relative_path, table_name, REJECTED, message=str(error))
        self._add(landing_file, report, read.started, content)
        logger.warning("rejected %s: %s", landing_file.relative_path, error)

    def _add(self, landing_file, report, started, content, duplicate_of=None) -> None:
        report.load_id = self._load_id()
        self.staged.append(_Staged(landing_file, report, started, content, duplicate_of))

    def _earlier_load_of(self, landing_file: LandingFile, content: FileContent) -> int | None:
        earlier = _earlier_load_of(self.con, landing_file, content)
        if earlier is None:
            earlier = self.loaded_content.get(_content_key(landing_file, content))
        return earlier

    def _pend(self, read: Read) -> None:
        """Keep a parsed file's rows until enough are pending to check."""
        landing_file, content, parsed = read.landing_file, read.content, read.parsed
        report = FileReport(
            landing_file.relative_path, self.table.name, LOADED, rows_read=parsed.rows_read
        )
        self._add(landing_file, report, read.started, content)  # its load id, in order
        staged = self.staged[-1]
        staged.parsed = parsed
        self.con.execute(
            f"insert into {PENDING} by name select ?::bigint as _load_id, "
            f"?::varchar as _source_path, ?::date as _file_day, * from {read.rows}",
            [report.load_id, landing_file.relative_path, landing_file.file_date],
        )
        self.pending.append(staged)
        self.pending_rows += parsed.rows_read
        self.cleaning = self.cleaning.combined(read.cleaning)
        self.loaded_content[_content_key(landing_file, content)] = report.load_id
        self.rows += parsed.rows_read
        if self.pending_rows >= CHECK_ROWS:
            self._check_pending()

    def _check_pending(self) -> None:
        """Check the pending files' rows against the contract in one statement, then
        stage each file's valid rows, quarantined records and corrections."""
        if not self.pending:
            return
        con, table = self.con, self.table
        con.execute(check_rows(table, self.bounds, "_file_day", self.cleaning, rows=PENDING))
        # A vendor's record may be in a file twice (at-least-once delivery, an update
        # within one buffer): its versions are ranked like any others.
        if not table.is_vendor and scalar(con, has_repeated_keys(table, "_load_id")):
            con.execute(mark_repeated_keys(table, "_load_id"))
        quarantine = _quarantine_frame(con, self.pending)
        valid = dict(
            con.execute(
                "select _load_id, count(*) from _checked where len(_problems) = 0 group by 1"
            ).fetchall()
        )
        quarantined = quarantine["load_id"].value_counts().to_dict()
        for staged in self.pending:
            report = staged.report
            report.rows_loaded = valid.get(report.load_id, 0)
            report.rows_quarantined = quarantined.get(report.load_id, 0)
            if report.rows_quarantined:
                logger.warning(
                    "quarantined %d of %d rows of %s",
                    report.rows_quarantined,
                    report.rows_read,
                    report.path,
                )
        loaded_at = _now()
        con.execute(
            f"insert into {STAGED_RAW} select {typed_columns(table)}, "
            "_source_path, _line_number, _load_id, ?, _file_day, true from _checked "
            "where len(_problems) = 0 order by _load_id, _line_number",
            [loaded_at],
        )
        con.register("_quarantine", quarantine)
        con.execute(
            f"insert into {STAGED_QUARANTINE} select load_id, ?, ?, path, line_number, "
            "column_name, reason, raw_text, ? from _quarantine",
            [table.source, table.name, loaded_at],
        )
        con.unregister("_quarantine")
        con.execute(
            f"insert into {STAGED_CORRECTIONS} select _load_id, ?, ?, _source_path, "
            "_line_number, change.column, change.reason, ? from ("
            "  select _load_id, _source_path, _line_number,"
            "    unnest(_changes || _corrections) as change"
            "  from _checked where len(_problems) = 0"
            ")",
            [table.source, table.name, loaded_at],
        )
        con.execute(f"delete from {PENDING}")
        for staged in self.pending:
            staged.parsed = None  # its bytes are no longer needed
        self.pending, self.pending_rows, self.cleaning = [], 0, NO_CLEANING

    def commit(self) -> list[FileReport]:
        """Move the staged files into the warehouse in one transaction."""
        self._check_pending()
        if not self.staged and not self.unchanged:
            return []
        con, table = self.con, self.table
        con.begin()
        try:
            _record_checks(
                con,
                [(s.landing_file, s.content.sha256 if s.content else None) for s in self.staged]
                + self.unchanged,
            )
            for staged in self.staged:
                _insert_manifest(
                    con, staged.report.load_id, staged.landing_file, self.run_id,
                    staged.started, staged.report.status, staged.content, staged.report,
                    staged.duplicate_of,
                )  # fmt: skip
            con.execute(f"insert into {self.raw} from {STAGED_RAW} order by _load_id, _line_number")
            con.execute(f"insert into ingest.quarantine from {STAGED_QUARANTINE}")
            con.execute(f"insert into ingest.corrections from {STAGED_CORRECTIONS}")
            touched = [
                staged.duplicate_of or staged.report.load_id
                for staged in self.staged
                if staged.report.status in (LOADED, DUPLICATE)
            ]
            if touched:
                # A duplicate delivery makes its earlier load the latest version again.
                currency.collect_affected(con, table, touched)
                currency.refresh(con, table)
                vendor = vendor_of(table)
                if vendor is not None:
                    derive_legs(con, vendor)
            for staged in self.staged:
                if staged.report.status == LOADED:
                    _reconcile(con, self.raw, staged.report.load_id, staged.report)
            con.commit()
        except BaseException:
            con.rollback()
            raise
        committed = [staged.report for staged in self.staged]
        self.staged, self.rows, self.unchanged = [], 0, []
        con.execute(f"delete from {STAGED_RAW}")
        con.execute(f"delete from {STAGED_QUARANTINE}")
        con.execute(f"delete from {STAGED_CORRECTIONS}")
        return committed

    def close(self) -> None:
        self.con.execute(f"drop table if exists {PENDING}")
        self.con.execute(f"drop table if exists {STAGED_RAW}")
        self.con.execute(f"drop table if exists {STAGED_QUARANTINE}")
        self.con.execute(f"drop table if exists {STAGED_CORRECTIONS}")


def _record_checks(
    con: duckdb.DuckDBPyConnection, files: list[tuple[LandingFile, str | None]]
) -> None:
    """Remember what each file was when read, so an unchanged file is not read again."""
    now = _now()
    rows = [
        (f.relative_path, f.size_bytes, f.modified_ns, f.delivered_ns, sha256, now)
        for f, sha256 in files
        if f.table is not None and not f.problem
    ]
    if rows:
        con.executemany("insert or replace into ingest.file_checks values (?, ?, ?, ?, ?, ?)", rows)


def _content_key(landing_file: LandingFile, content: FileContent) -> tuple[str, dt.date | None]:
    """What makes a delivery a duplicate: its content and, for a snapshot, its day."""
    table = landing_file.table
    return content.sha256, landing_file.file_date if table and table.snapshot else None


def _earlier_load_of(
    con: duckdb.DuckDBPyConnection, landing_file: LandingFile, content: FileContent
) -> int | None:
    """The load that already holds this content, whatever the file was called.

    A snapshot's rows belong to the day in its name, so an unchanged roster delivered
    for the next day is a new snapshot, not a duplicate: there the day must match too.
    """
    same_day = " and file_date = ?" if landing_file.table and landing_file.table.snapshot else ""
    parameters = [content.sha256, LOADED] + ([landing_file.file_date] if same_day else [])
    return scalar(
        con,
        f"select min(load_id) from ingest.manifest where content_sha256 = ? and status = ?"
        f"{same_day}",
        parameters,
    )


def _next_load_id(con: duckdb.DuckDBPyConnection) -> int:
    return scalar(con, "select coalesce(max(load_id), 0) + 1 from ingest.manifest")


def _insert_manifest(
    con: duckdb.DuckDBPyConnection,
    load_id: int,
    landing_file: LandingFile,
    run_id: str | None,
    started: dt.datetime,
    status: str,
    content: FileContent | None,
    report: FileReport,
    duplicate_of: int | None = None,
) -> None:
    con.execute(
        "insert into ingest.manifest values (?, ?, ?, ?, ?, ?, ?, "
        "make_timestamp(? // 1000)::timestamptz, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            run_id,
            landing_file.source,
            landing_file.table.name if landing_file.table else None,
            landing_file.relative_path,
            landing_file.file_date,
            landing_file.size_bytes,
            landing_file.modified_ns,
            landing_file.modified_ns,
            landing_file.delivered_ns,
            content.sha256 if content else None,
            status,
            report.rows_read,
            report.rows_loaded,
            report.rows_quarantined,
            duplicate_of,
            report.message,
            started,
            _now(),
        ],
    )


def _quarantine_frame(con: duckdb.DuckDBPyConnection, pending: list[_Staged]) -> pd.DataFrame:
    """Every quarantined record of the pending files: the reader's rejects and the
    invalid rows, by load and line."""
    parsed = {staged.report.load_id: staged.parsed for staged in pending}
    bad_rows = con.execute(
        "select _load_id, _source_path, _line_number, _position, _problems, _raw_text "
        "from _checked where len(_problems) > 0 order by _load_id, _line_number"
    ).fetchall()
    records = []
    for load_id, path, line_number, position, problems, text in bad_rows:
        raw_text, file = text, parsed[load_id]
        if raw_text is None and file is not None and file.records is not None:
            raw_text = file.records.text(file.data, position)
        reason = "; ".join(
            f"{problem['column']}: {problem['reason']}" if problem["column"] else problem["reason"]
            for problem in problems
        )
        records.append((load_id, path, line_number, problems[0]["column"], reason, raw_text))
    for staged in pending:
        records += [
            (staged.report.load_id, staged.report.path, r.line_number, r.column, r.reason,
             r.raw_text)
            for r in staged.parsed.rejects
        ]  # fmt: skip
    records.sort(key=lambda record: (record[0], record[2]))
    columns = ["load_id", "path", "line_number", "column_name", "reason", "raw_text"]
    return pd.DataFrame(records, columns=columns).astype(
        {"load_id": "int64", "line_number": "int64", "column_name": "string", "reason": "string"}
    )


def _reconcile(con: duckdb.DuckDBPyConnection, raw: str, load_id: int, report: FileReport) -> None:
    """Rows read = rows loaded + rows quarantined, counted in the tables themselves."""
    loaded = scalar(con, f"select count(*) from {raw} where _load_id = ?", [load_id])
    quarantined = scalar(con, "select count(*) from ingest.quarantine where load_id = ?", [load_id])
    if loaded + quarantined != report.rows_read or loaded != report.rows_loaded:
        raise ReconciliationError(
            f"{report.path}: read {report.rows_read} rows but loaded {loaded} and "
            f"quarantined {quarantined}; nothing from this file was committed"
        )
