"""Keep ``_is_current`` true on exactly one version of each business key.

The contract: the most recently delivered version of a key wins. ccw reads "recent"
as the business day first, then the delivery:

- a version in a later day's export is newer than one in an earlier day's, even when
  the earlier day's file arrives late (else a late file would roll back keys that
  changed since);
- between deliveries for the same day (a corrected file), the later delivery wins.
  A file's delivery time is when it arrived in the landing folder: the later of its
  modification time and its inode change time (``ctime``), which copy tools that
  keep timestamps (``cp -p``, ``rsync -t``, unzip) cannot backdate;
- a duplicate delivery (the same content again, under any name) counts as delivering
  that content again, so re-sending an earlier version makes it current again;
- ties go to the later load, then the later line. Customers order versions by
  ``updated_at`` before all this, as the contract says.

A roster snapshot is replaced whole: the latest delivery for a day is that day's
roster, even if it lists fewer agents or (header only) none.

Only keys (or, for snapshots, days) touched by a load are re-ranked, so the cost
follows the new data.
"""

from __future__ import annotations

import duckdb

from ccw.contract import Table
from ccw.landing.sql import identifier, literal


def key_columns(table: Table) -> tuple[str, ...]:
    return table.key + (("_file_date",) if table.key_includes_file_date else ())


def _ids(load_ids: list[int]) -> str:
    return ", ".join(str(int(load_id)) for load_id in load_ids) or "null"


def collect_affected(con: duckdb.DuckDBPyConnection, table: Table, load_ids: list[int]) -> None:
    """Remember the keys (for snapshots, the days) of some loads in ``_affected``."""
    if table.snapshot:
        con.execute(
            "create or replace temp table _affected as select distinct file_date as _file_date "
            f"from ingest.manifest where load_id in ({_ids(load_ids)})"
        )
        return
    columns = ", ".join(identifier(name) for name in key_columns(table))
    con.execute(
        f"create or replace temp table _affected as select distinct {columns} "
        f"from raw.{identifier(table.name)} where _load_id in ({_ids(load_ids)})"
    )


def _deliveries(table: Table) -> str:
    """Each load with its most recent delivery, its duplicates' deliveries included."""
    return f"""select coalesce(duplicate_of, load_id) as load_id,
            any_value(file_date) filter (where status = 'loaded') as file_date,
            max(file_date) as recent_date,
            max_by(delivered_ns, (file_date, delivered_ns)) as recent_delivered_ns,
            max(load_id) as last_seen
        from ingest.manifest
        where table_name = {literal(table.name)} and status in ('loaded', 'duplicate')
        group by 1"""


def refresh(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    """Re-rank every version of the keys (or days) in ``_affected``."""
    raw = f"raw.{identifier(table.name)}"
    scope = ("_file_date",) if table.snapshot else key_columns(table)
    keys = ", ".join(f"rows.{identifier(name)}" for name in key_columns(table))
    join = " and ".join(f"rows.{identifier(name)} = a.{identifier(name)}" for name in scope)
    version = f"rows.{identifier(table.version_column)} desc, " if table.version_column else ""
    delivery = (
        "d.recent_date desc, d.recent_delivered_ns desc, d.last_seen desc, rows._load_id desc"
    )
    snapshot_winner = (
        """and rows._load_id = (
            select arg_max(w.load_id, (w.recent_delivered_ns, w.last_seen))
            from deliveries as w
            where w.file_date = rows._file_date)"""
        if table.snapshot
        else ""
    )
    con.execute(
        f"""create or replace temp table _ranked as
        with deliveries as ({_deliveries(table)})
        select rows.rowid as row_id,
            row_number() over (
                partition by {keys} order by {version}{delivery}, rows._line_number desc
            ) = 1 {snapshot_winner} as is_current
        from {raw} as rows
        join _affected as a on {join}
        join deliveries as d on d.load_id = rows._load_id"""
    )
    con.execute(
        f"""update {raw} set _is_current = r.is_current
        from _ranked as r
        where {raw}.rowid = r.row_id and {raw}._is_current <> r.is_current"""
    )
