"""Proofs over the warehouse itself that landing lost and doubled nothing.

These read the tables, not the loader's own counters: for every loaded file, the rows
in ``raw.<table>`` plus the rows in ``ingest.quarantine`` with its load id equal the
rows the manifest says were read; and each business key has exactly one current
version.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ccw.contract import Table
from ccw.landing.currency import key_columns
from ccw.landing.sql import identifier, literal


@dataclass(frozen=True)
class Unreconciled:
    path: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int


def unreconciled_files(con: duckdb.DuckDBPyConnection, table: Table) -> list[Unreconciled]:
    raw = f"raw.{identifier(table.name)}"
    rows = con.execute(
        f"""with loaded as (select _load_id as load_id, count(*) as n from {raw} group by all),
        quarantined as (select load_id, count(*) as n from ingest.quarantine group by all)
        select m.path, m.rows_read, coalesce(l.n, 0), coalesce(q.n, 0)
        from ingest.manifest as m
        left join loaded as l using (load_id)
        left join quarantined as q using (load_id)
        where m.table_name = {literal(table.name)} and m.status = 'loaded'
          and m.rows_read <> coalesce(l.n, 0) + coalesce(q.n, 0)
        order by m.path"""
    ).fetchall()
    return [Unreconciled(*row) for row in rows]


def keys_without_one_current_version(con: duckdb.DuckDBPyConnection, table: Table) -> int:
    """Keys with no current version, or with several.

    A roster snapshot is replaced whole, so an agent missing from a day's latest
    delivery rightly has no current row for that day: there only "several" counts.
    """
    keys = ", ".join(identifier(name) for name in key_columns(table))
    raw = f"raw.{identifier(table.name)}"
    wrong = "> 1" if table.snapshot else "<> 1"
    return con.execute(
        f"""select count(*) from (
            select {keys} from {raw} group by all
            having count(*) filter (where _is_current) {wrong}
        )"""
    ).fetchall()[0][0]


def rejected_files(
    con: duckdb.DuckDBPyConnection, table: Table, run_id: str | None = None
) -> list[tuple[str, str]]:
    """Rejected deliveries of the table (or misnamed files in its folder), newest first."""
    run_filter = f"and run_id = {literal(run_id)}" if run_id else ""
    return con.execute(
        f"""select path, message from ingest.manifest
        where status = 'rejected' {run_filter}
          and (table_name = {literal(table.name)}
               or (table_name is null and source = {literal(table.source)}))
        order by load_id desc"""
    ).fetchall()
