"""Keep ``_is_current`` true on exactly one version of each business key.

The contract: the most recently delivered version of a key wins. "Delivered" is the
file's arrival time in the landing folder (its modification time, kept in the
manifest), so a corrected file wins over the original even when an operator replays
the original later. Ties go to the later load, then the later line. Customers order
versions by ``updated_at`` first, as the contract says. A roster snapshot is replaced
whole: a newer delivery for the same day retires every row of the older one.

Only keys touched by a load are re-ranked, so the cost follows the new data.
"""

from __future__ import annotations

import duckdb

from ccw.contract import Table
from ccw.landing.sql import identifier


def key_columns(table: Table) -> tuple[str, ...]:
    return table.key + (("_file_date",) if table.key_includes_file_date else ())


def collect_affected(con: duckdb.DuckDBPyConnection, table: Table, load_ids: list[int]) -> None:
    """Remember the keys (or, for snapshots, the days) of some loads in ``_affected``."""
    scope = ("_file_date",) if table.snapshot else key_columns(table)
    columns = ", ".join(identifier(name) for name in scope)
    ids = ", ".join(str(int(load_id)) for load_id in load_ids) or "null"
    con.execute(
        f"create or replace temp table _affected as select distinct {columns} "
        f"from raw.{identifier(table.name)} where _load_id in ({ids})"
    )


def refresh(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    """Re-rank every version of the keys in ``_affected``."""
    raw = f"raw.{identifier(table.name)}"
    scope = ("_file_date",) if table.snapshot else key_columns(table)
    keys = ", ".join(f"rows.{identifier(name)}" for name in key_columns(table))
    join = " and ".join(f"rows.{identifier(name)} = a.{identifier(name)}" for name in scope)
    version = f"rows.{identifier(table.version_column)} desc, " if table.version_column else ""
    delivery = "m.modified_ns desc, rows._load_id desc"
    latest_snapshot = (
        f"and rows._load_id = first_value(rows._load_id) over "
        f"(partition by rows._file_date order by {delivery})"
        if table.snapshot
        else ""
    )
    con.execute(
        f"""create or replace temp table _ranked as
        select rows.rowid as row_id,
            row_number() over (
                partition by {keys} order by {version}{delivery}, rows._line_number desc
            ) = 1 {latest_snapshot} as is_current
        from {raw} as rows
        join _affected as a on {join}
        join ingest.manifest as m on m.load_id = rows._load_id"""
    )
    con.execute(
        f"""update {raw} set _is_current = r.is_current
        from _ranked as r
        where {raw}.rowid = r.row_id and {raw}._is_current <> r.is_current"""
    )
