"""Writing export files byte for byte the way the source systems deliver them.

Rows arrive as tuples in the contract's column order. Timestamp columns hold epoch
seconds and are written as local ISO-8601 text with the offset in force; ``None`` is
an empty CSV field or JSON null. Output is deterministic: gzip headers carry no time
stamp or file name. Formatting and writing are half the generator's work, so a day's
files are written by a second process while the next day is simulated.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from ccw.generator.clock import LocalClock
from ccw.generator.fake import customer_id_text, phone_text


@dataclass(frozen=True)
class FileStyle:
    """How one delivered file is encoded."""

    fmt: str  # "csv" or "jsonl"
    gzipped: bool = False
    crlf: bool = False
    bom: bool = False

    @property
    def extension(self) -> str:
        return self.fmt + (".gz" if self.gzipped else "")


@dataclass(frozen=True)
class FileJob:
    """One file to write: its rows, how to encode them and when it was delivered."""

    path: Path
    columns: tuple[str, ...]
    rows: list[tuple]
    style: FileStyle
    # (column position, encoder): values the simulation keeps as numbers and the writer
    # turns into text -- "timestamp" (epoch seconds), "customer_id", "phone".
    encoders: tuple[tuple[int, str], ...] = ()
    timezone: str = "UTC"
    delivered_epoch: int | None = None


_clocks: dict[str, LocalClock] = {}


def run_job(job: FileJob) -> int:
    clock = _clocks.get(job.timezone)
    if clock is None:
        clock = _clocks[job.timezone] = LocalClock(job.timezone)
    rows = _encode(job.rows, job.encoders, clock)
    count = write_rows(job.path, job.columns, rows, job.style)
    if job.delivered_epoch is not None:
        os.utime(job.path, (job.delivered_epoch, job.delivered_epoch))
    return count


def _encode(
    rows: list[tuple], encoders: tuple[tuple[int, str], ...], clock: LocalClock
) -> list[Sequence]:
    """The rows with their numbers spelled as text, column by column."""
    if not encoders or not rows:
        return rows
    columns = list(zip(*rows, strict=True))
    for position, name in encoders:
        values = columns[position]
        if name == "timestamp":
            columns[position] = clock.iso_column(values)
        else:
            spell = customer_id_text if name == "customer_id" else phone_text
            columns[position] = [
                value if value is None or isinstance(value, str) else spell(value)
                for value in values
            ]
    return list(zip(*columns, strict=True))


def write_rows(
    path: Path, columns: Sequence[str], rows: Iterable[Sequence[object]], style: FileStyle
) -> int:
    """Write ``rows`` to ``path`` atomically (temp file, then rename); return the row count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    with open(temporary, "wb") as raw:
        binary = (
            gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0, compresslevel=6)
            if style.gzipped
            else raw
        )
        text = io.TextIOWrapper(binary, encoding="utf-8", newline="", write_through=False)
        if style.bom:
            text.write("\ufeff")
        count = (
            _write_csv(text, columns, rows, "\r\n" if style.crlf else "\n")
            if style.fmt == "csv"
            else _write_jsonl(text, columns, rows)
        )
        text.flush()
        text.detach()
        if style.gzipped:
            binary.close()
    os.replace(temporary, path)
    return count


def _write_csv(text: io.TextIOWrapper, columns, rows, line_end: str) -> int:
    writer = csv.writer(text, lineterminator=line_end)
    writer.writerow(columns)
    rows = rows if isinstance(rows, list) else list(rows)
    writer.writerows(rows)
    return len(rows)


def _write_jsonl(text: io.TextIOWrapper, columns, rows) -> int:
    count = 0
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for row in rows:
        text.write(dumps(dict(zip(columns, row, strict=True))))
        text.write("\n")
        count += 1
    return count


class FileWriter:
    """Runs file jobs in a background process (or inline), at most a few days behind."""

    def __init__(self, background: bool, max_pending_batches: int = 2) -> None:
        # fork: the writer needs none of the parent's state and starts at once, and it
        # does not re-import the caller's __main__ as spawn would.
        method = "fork" if "fork" in get_all_start_methods() else "spawn"
        self._pool = (
            ProcessPoolExecutor(max_workers=1, mp_context=get_context(method))
            if background
            else None
        )
        self._pending: deque[Future] = deque()
        self._max_pending = max_pending_batches

    def submit(self, jobs: list[FileJob]) -> None:
        if self._pool is None:
            for job in jobs:
                run_job(job)
            return
        while len(self._pending) >= self._max_pending:
            self._pending.popleft().result()
        self._pending.append(self._pool.submit(_run_batch, jobs))

    def close(self) -> None:
        """Wait for every file; re-raises the first error a write hit."""
        if self._pool is None:
            return
        try:
            while self._pending:
                self._pending.popleft().result()
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _run_batch(jobs: list[FileJob]) -> None:
    for job in jobs:
        run_job(job)
