"""Read and parse the next file in a thread of its own while its batch checks the last.

A file's reading (decompressing, hashing, indexing its records) and parsing (DuckDB's
readers) need nothing from the batch it joins, and both let go of Python's lock. So
the loader asks for them one file ahead, on a second DuckDB connection: the parsed
rows wait in a table of an in-memory database both connections see, and the batch
decides what the file is (unchanged, a duplicate, rejected or rows to check) in
delivery order, as before. Landing used one of the two cores; now both.

A file whose content turns out unchanged or a duplicate was parsed for nothing: rare,
and what the batch records for it does not change.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ccw.contract import Table
from ccw.landing.content import (
    FileContent,
    FileRejectedError,
    read_content,
    with_unix_newlines,
)
from ccw.landing.files import LandingFile
from ccw.landing.readers import Parsed, parse
from ccw.landing.validation import Cleaning
from ccw.landing.vendor_records import parse_vendor_records

READS = "_landing_reads"  # the in-memory database the parsed rows wait in
AHEAD = 1  # files read beyond the one the batch is deciding on


@dataclass
class Read:
    """One file read and parsed, or rejected, ahead of its batch."""

    landing_file: LandingFile
    started: dt.datetime
    content: FileContent | None = None  # None: rejected before it could be read
    parsed: Parsed | None = None
    rows: str | None = None  # the table holding its parsed rows (``_rows``' shape)
    cleaning: Cleaning | None = None  # what its values can need
    rejected: FileRejectedError | None = None


def read_file(
    con: duckdb.DuckDBPyConnection, landing_file: LandingFile, sources: list[str], rows: str
) -> Read:
    """Read, hash and parse one file into the table ``rows``; only a problem with the
    file itself is a rejection (anything else fails the run, as before)."""
    read = Read(landing_file, dt.datetime.now(dt.UTC))
    table = landing_file.table
    try:
        if landing_file.problem or table is None:
            raise FileRejectedError(landing_file.problem or "not a contract table")
        if table.source not in sources:
            raise FileRejectedError(
                f"the settings' sources ({', '.join(sources)}) leave out "
                f"{table.source}: add it to `sources` in the settings file to load it"
            )
        read.content = read_content(landing_file)
        file_format = landing_file.format or "csv"
        data = read.content.data
        if file_format != "parquet":
            data = with_unix_newlines(data)
        if table.is_vendor:
            parsed = parse_vendor_records(con, table, data)
        else:
            as_delivered = data is read.content.data
            with _readable_copy(landing_file, data, as_delivered) as copy:
                parsed = _parse_or_reject(con, table, copy, data, file_format)
        con.execute(f"create or replace table {rows} as from _rows")
        read.parsed, read.rows = parsed, rows
        read.cleaning = Cleaning.for_bytes(data, "jsonl" if table.is_vendor else file_format)
    except FileRejectedError as error:
        read.rejected = error
    return read


class ReadAhead:
    """Reads of a table's new files, in delivery order, each started one file early."""

    def __init__(self, con: duckdb.DuckDBPyConnection, sources: list[str]):
        self.con, self.sources = con, sources
        con.execute(f"attach if not exists ':memory:' as {READS}")
        self.reader = con.cursor()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ccw-landing-read")

    def reads(self, files: list[LandingFile]) -> Iterator[Read]:
        started: deque[Future[Read]] = deque()
        for number, landing_file in enumerate(files):
            rows = f"{READS}.rows_{number}"
            started.append(
                self.pool.submit(read_file, self.reader, landing_file, self.sources, rows)
            )
            if len(started) > AHEAD:
                yield started.popleft().result()
        while started:
            yield started.popleft().result()

    def forget(self, read: Read) -> None:
        """Drop a read's parsed rows once its batch has taken them."""
        if read.rows:
            self.con.execute(f"drop table if exists {read.rows}")

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.reader.close()
        self.con.execute(f"detach database if exists {READS}")


def _parse_or_reject(
    con: duckdb.DuckDBPyConnection, table: Table, path: Path, data: bytes, fmt: str
) -> Parsed:
    try:
        return parse(con, table, path, data, fmt)
    except duckdb.Error as error:  # e.g. a Parquet file that is not one
        message = f"DuckDB could not read the file: {error}".splitlines()[0]
        raise FileRejectedError(message) from error


@contextmanager
def _readable_copy(landing_file: LandingFile, data: bytes, as_delivered: bool):
    """A path DuckDB can read ``data`` from: the file itself when that is what it holds,
    else a temporary copy (decompressed, or with its line ends made uniform)."""
    if as_delivered and not landing_file.gzipped:
        yield landing_file.path
        return
    with tempfile.TemporaryDirectory(prefix="ccw-landing-") as folder:
        path = Path(folder) / landing_file.path.name.removesuffix(".gz")
        path.write_bytes(data)
        yield path
