"""Forget earlier deliveries of a file so the next run loads it again.

For an operator who fixed a rejected file in place with the same size and time, who
moved a file beyond repair out of the landing folder, or who wants a file re-read
after a contract change. In one transaction, the rows each delivery of the path
loaded, quarantined and corrected go, and the keys they touched get their current
version re-ranked from what remains. The manifest keeps each delivery as
``forgotten``, with when it was forgotten, so the next build rebuilds its days
(``in_incremental_window``), however old they are.
"""

from __future__ import annotations

import duckdb

from ccw.landing import currency
from ccw.landing.sql import identifier
from ccw.vendors import LANDED_TABLES, derive_legs, vendor_of


def forget_deliveries(con: duckdb.DuckDBPyConnection, relative_path: str) -> int:
    """Forget every delivery recorded under ``relative_path``, and the deliveries
    recorded as duplicates of them (so they are read again too); returns how many."""
    entries = con.execute(
        """select load_id, table_name from ingest.manifest
        where status <> 'forgotten'
          and (path = ? or duplicate_of in (select load_id from ingest.manifest where path = ?))""",
        [relative_path, relative_path],
    ).fetchall()
    if not entries:
        return 0
    all_ids = ", ".join(str(int(load_id)) for load_id, _ in entries)
    con.begin()
    try:
        con.execute(
            f"""update ingest.manifest set status = 'forgotten', rows_loaded = 0,
                rows_quarantined = 0, duplicate_of = null, finished_at = now(),
                message = 'forgotten by ccw replay; was ' || status
            where load_id in ({all_ids})"""
        )
        con.execute(f"delete from ingest.quarantine where load_id in ({all_ids})")
        con.execute(f"delete from ingest.corrections where load_id in ({all_ids})")
        con.execute(
            "delete from ingest.file_checks where path in (select path from ingest.manifest "
            f"where load_id in ({all_ids}))"
        )
        for table in LANDED_TABLES:
            load_ids = [load_id for load_id, name in entries if name == table.name]
            if not load_ids:
                continue
            currency.collect_affected(con, table, load_ids)
            ids = ", ".join(str(int(load_id)) for load_id in load_ids)
            con.execute(f"delete from raw.{identifier(table.name)} where _load_id in ({ids})")
            currency.refresh(con, table)
            vendor = vendor_of(table)
            if vendor is not None:
                derive_legs(con, vendor)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return len(entries)
