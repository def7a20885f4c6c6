"""Tell a DuckDB file that was cut short (a full disk, an interrupted copy) at once.

DuckDB reads a database's blocks lazily, so a truncated file often attaches fine and
fails later, in the middle of a query, with "Could not read enough bytes". The file
is three 4 KiB headers followed by the blocks its header counts, so comparing that
with the size on disk finds a truncated file without reading its data.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

HEADERS_BYTES = 3 * 4096


def missing_bytes(con: duckdb.DuckDBPyConnection, database: str, path: Path) -> int:
    """How many bytes the attached ``database`` (stored at ``path``) lacks; 0 if whole."""
    row = con.execute(
        "select block_size, total_blocks from pragma_database_size() where database_name = ?",
        [database],
    ).fetchone()
    if row is None:
        return 0
    block_size, total_blocks = row
    expected = HEADERS_BYTES + int(block_size) * int(total_blocks)
    return max(0, expected - path.stat().st_size)


def cut_short_reason(con: duckdb.DuckDBPyConnection, database: str, path: Path) -> str | None:
    missing = missing_bytes(con, database, path)
    if missing:
        return f"the file is {missing:,} bytes shorter than its own header says: it was cut short"
    return None
