"""Helpers for the hand-made vendor records: deliver a fixture file, read the legs."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from tests.warehouse_support import query

FIXTURES = Path(__file__).parent / "vendor_exports"


def deliver(landing: Path, relative: str, fixture: Path, gzipped: bool, at: float) -> None:
    """Copy a fixture into the landing folder as a delivery at ``at`` (epoch seconds)."""
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    data = fixture.read_bytes()
    path.write_bytes(gzip.compress(data, mtime=0) if gzipped else data)
    os.utime(path, (at, at))


def legs(warehouse: Path, table: str) -> list[tuple]:
    """The derived legs, times as UTC clock times on the fixtures' one day."""
    clock = "strftime(timezone('UTC', {}), '%H:%M:%S')".format
    times = ", ".join(clock(c) for c in ("ivr_started_at", "queued_at", "answered_at", "ended_at"))
    return query(
        warehouse,
        f"""select call_id, leg, direction, customer_id, queue, {times}, agent_id,
            talk_seconds, hold_seconds, acw_seconds, disposition, wrap_code, ivr_path
        from raw.{table} order by call_id, leg""",
    )
