"""Tell a DuckDB file that was cut short (a full disk, an interrupted copy) at once.

DuckDB reads a database's blocks lazily, so a truncated file often opens fine and
fails later, in the middle of a query, with "Could not read enough bytes". Every
column segment names the block it is stored in (``pragma_storage_info``); a file
shorter than its three 4 KiB headers and its last used block was cut short. That
reads only the catalog, not the data. (The header's own block count cannot tell: it
counts free blocks at the end of the file that were never written.)
"""

from __future__ import annotations

from pathlib import Path

import duckdb

HEADERS_BYTES = 3 * 4096


def missing_bytes(con: duckdb.DuckDBPyConnection, database: str, path: Path) -> int:
    """How many bytes the attached ``database``, stored at ``path``, lacks; 0 if whole."""
    tables = con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = ?",
        [database],
    ).fetchall()
    last_block = -1
    for schema, table in tables:
        qualified = ".".join(
            '"' + part.replace('"', '""') + '"' for part in (database, schema, table)
        )
        (block,) = con.execute(
            "select coalesce(max(block_id), -1) from pragma_storage_info(?) where block_id >= 0",
            [qualified],
        ).fetchone()
        last_block = max(last_block, block)
    if last_block < 0:
        return 0
    (block_size,) = con.execute(
        "select block_size from pragma_database_size() where database_name = ?", [database]
    ).fetchone()
    return max(0, HEADERS_BYTES + (last_block + 1) * block_size - path.stat().st_size)


def cut_short_reason(con: duckdb.DuckDBPyConnection, database: str, path: Path) -> str | None:
    try:
        missing = missing_bytes(con, database, path)
    except duckdb.Error as error:
        return str(error).splitlines()[0]
    if missing:
        return f"the file is {missing:,} bytes shorter than its own catalog says: it was cut short"
    return None
