"""Read a delivered file's bytes once: decompress, hash, and index its records.

The content hash (of the decompressed bytes) is what makes a redelivery under another
name, or as ``.gz``, recognisable. The record index maps every record to the physical
line it starts on, which DuckDB's CSV reader does not report for good rows; it is
computed with numpy over the bytes, so it costs milliseconds per file.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import zlib
from dataclasses import dataclass

import numpy as np

from ccw.landing.files import LandingFile

NEWLINE, CARRIAGE_RETURN, QUOTE = 10, 13, 34
UTF8_BOM = b"\xef\xbb\xbf"


class FileRejectedError(Exception):
    """The whole file cannot be loaded; the message says why and what to do.

    ``sha256`` is the hash of the bytes as delivered when they could be read but not
    decompressed, so the same broken file is known when it is seen again."""

    def __init__(self, message: str, sha256: str | None = None) -> None:
        super().__init__(message)
        self.sha256 = sha256


@dataclass(frozen=True)
class FileContent:
    data: bytes  # decompressed
    sha256: str


@dataclass(frozen=True)
class RecordIndex:
    """Where each record starts: its physical line (1-based) and byte offset."""

    line_numbers: np.ndarray
    offsets: np.ndarray
    data_length: int

    def __len__(self) -> int:
        return len(self.offsets)

    def text(self, data: bytes, position: int) -> str:
        """The raw text of one record, for the quarantine."""
        start = int(self.offsets[position])
        end = int(self.offsets[position + 1]) if position + 1 < len(self) else self.data_length
        return data[start:end].rstrip(b"\r\n").decode("utf-8", errors="replace")

    def without(self, positions: np.ndarray) -> RecordIndex:
        keep = np.ones(len(self), dtype=bool)
        keep[positions] = False
        return RecordIndex(self.line_numbers[keep], self.offsets[keep], self.data_length)


def read_content(landing_file: LandingFile) -> FileContent:
    try:
        raw = landing_file.path.read_bytes()
    except OSError as error:
        raise FileRejectedError(
            f"the file cannot be read ({error.strerror or error}); check that it is a "
            "complete file the user ccw runs as may read, and it loads on the next run"
        ) from error
    if landing_file.gzipped:
        try:
            data = gzip.decompress(raw)
        except EOFError as error:
            raise FileRejectedError(
                f"truncated gzip ({error}); the copy was cut short -- deliver the file again",
                hashlib.sha256(raw).hexdigest(),
            ) from error
        except (gzip.BadGzipFile, zlib.error) as error:
            message = f"not a readable gzip file ({error}); deliver it again"
            raise FileRejectedError(message, hashlib.sha256(raw).hexdigest()) from error
    else:
        data = raw
    if not data.strip():
        raise FileRejectedError(
            "the file is empty (no header, no rows); a day without rows still needs the "
            "header row -- ask the source system to export it again",
            hashlib.sha256(raw).hexdigest(),
        )
    return FileContent(data=data, sha256=hashlib.sha256(data).hexdigest())


def with_unix_newlines(data: bytes) -> bytes:
    """CRLF line ends as LF, so a file mixing the two (a hand-edited export, a
    concatenation) parses; line numbers do not change, a CR inside a value goes. A
    file with CRs and no LF at all has old-Mac line ends: each CR is a line end."""
    if b"\r" not in data:
        return data
    if b"\n" not in data:
        return data.replace(b"\r", b"\n")
    return data.replace(b"\r\n", b"\n")


def index_csv_records_slowly(data: bytes, line_offsets: np.ndarray) -> RecordIndex:
    """The record index by Python's csv module, for the rare file the fast index gets
    wrong: a quote inside an unquoted value (``c"2``) flips the quote count but is data
    to both DuckDB and this parser."""
    text = data.decode("utf-8", errors="surrogateescape")
    reader = csv.reader(io.StringIO(text, newline=""))
    lines, previous_end = [], 0
    try:
        for row in reader:
            if row:
                lines.append(previous_end + 1)
            previous_end = reader.line_num
    except csv.Error as error:
        raise FileRejectedError(f"the file is not valid CSV ({error})") from error
    line_numbers = np.array(lines, dtype=np.int64)
    return RecordIndex(line_numbers, line_offsets[line_numbers - 1], len(data))


def line_starts(data: bytes) -> np.ndarray:
    buffer = np.frombuffer(data, dtype=np.uint8)
    return np.concatenate(([0], np.flatnonzero(buffer == NEWLINE) + 1))


def index_records(data: bytes, quoted: bool) -> RecordIndex:
    """Physical line and offset of every record, the header included.

    With ``quoted`` (CSV), a line starts a record only when an even number of quote
    characters precede it (RFC 4180: a quoted field may span lines, and an escaped
    quote is two quotes), and blank lines are skipped as DuckDB's reader skips them.
    Without it (JSONL), every physical line is a record, blank ones included, as
    DuckDB's single-column reader returns them.
    """
    buffer = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(buffer == NEWLINE)
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [len(buffer)]))
    if starts[-1] == len(buffer):  # the file ends with a newline: no line after it
        starts, ends = starts[:-1], ends[:-1]
    line_numbers = np.arange(1, len(starts) + 1)
    if not quoted:
        return RecordIndex(line_numbers, starts, len(buffer))
    length = ends - starts
    first = buffer[np.minimum(starts, len(buffer) - 1)]
    blank = (length == 0) | ((length == 1) & (first == CARRIAGE_RETURN))
    quotes = np.flatnonzero(buffer == QUOTE)
    outside_quotes = np.searchsorted(quotes, starts) % 2 == 0
    keep = outside_quotes & ~blank
    return RecordIndex(line_numbers[keep], starts[keep], len(buffer))


def csv_header(data: bytes, index: RecordIndex) -> list[str]:
    """The column names of a CSV file's first record."""
    end = int(index.offsets[1]) if len(index) > 1 else len(data)
    first = data[:end]
    if first.startswith(UTF8_BOM):
        first = first[len(UTF8_BOM) :]
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileRejectedError(f"the header row is not UTF-8 ({error})") from error
    try:
        names = next(csv.reader([text.rstrip("\r\n")]), [])
    except csv.Error as error:
        raise FileRejectedError(f"the header row is not valid CSV ({error})") from error
    names = [name.strip() for name in names]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise FileRejectedError(f"the header names {', '.join(duplicated)} more than once")
    return names
