"""Amazon Connect contact records, hand-made, each edge case with its answer worked by hand.

``vendor_exports/connect/`` holds two Firehose deliveries of one afternoon (times in
UTC): the first concatenates records with nothing between them, the second is one
record per line and lands gzipped. Between them: a cold transfer (call-a), a queue
transfer (call-b), an abandon after three minutes in queue (call-c, delivered twice),
a 3-second abandon (call-d), a call the IVR ended (call-e), a queued caller who took a
callback and the callback itself (call-f, call-f-cb), a record whose update (with
after-contact work) arrives in the first file and its older version in the second
(call-g), a chat, a voice contact that reached no queue (call-i), and three bad
records: one that is not JSON, one without a ContactId, one that ends an hour before
it starts.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ccw.landing.loader import land_table
from ccw.landing.replay import forget_deliveries
from ccw.landing.warehouse import open_warehouse
from ccw.vendors import account, connect, vendor_of
from tests.landing.vendor_support import FIXTURES as ALL_FIXTURES
from tests.landing.vendor_support import deliver as deliver_file
from tests.landing.vendor_support import legs as legs_of
from tests.warehouse_support import query

FIXTURES = ALL_FIXTURES / "connect"
FIRST = "connect/contact_records/2026/03/02/14/ccw-stream-1-2026-03-02-14-05-00-7c1e"
SECOND = "connect/contact_records/2026/03/02/15/ccw-stream-1-2026-03-02-15-05-00-9a2f"

# The legs, worked by hand from the records: call, leg, direction, customer, queue,
# IVR start, queued, answered, ended (UTC, 2 March), agent, talk, hold, ACW,
# disposition, wrap code, IVR path.
EXPECTED_LEGS = [
    ("call-a", 1, "inbound", "CU1", "billing", "14:00:00", "14:00:40", "14:01:00", "14:03:10",
     "AG1", 120, 10, 30, "transferred", "payment", "main>billing"),
    ("call-a", 2, "inbound", "CU1", "tech_support", None, "14:03:10", "14:03:30", "14:06:50",
     "AG2", 200, 0, 20, "answered", "outage", None),
    ("call-b", 1, "inbound", "CU2", "general", "14:10:00", "14:10:30", "14:10:45", "14:11:45",
     "AG3", 60, 0, 0, "transferred", None, "main>other"),
    ("call-b", 2, "inbound", "CU2", "sales", None, "14:11:45", "14:12:45", "14:14:15",
     "AG4", 90, 0, 15, "answered", None, None),
    ("call-c", 1, "inbound", "CU3", "billing", "14:20:00", "14:20:30", None, "14:23:30",
     None, 0, 0, 0, "abandoned", None, None),
    ("call-d", 1, "inbound", None, "billing", "14:30:00", "14:30:20", None, "14:30:23",
     None, 0, 0, 0, "abandoned", None, None),
    ("call-e", 1, "inbound", "CU4", "general", "14:40:00", None, None, "14:41:00",
     None, 0, 0, 0, "ivr_contained", None, "main>account>balance"),
    ("call-f", 1, "inbound", "CU5", "tech_support", "14:50:00", "14:50:30", None, "14:50:45",
     None, 0, 0, 0, "callback_requested", None, "main>tech"),
    ("call-f-cb", 1, "outbound", "CU5", "tech_support", None, "14:50:45", "15:30:10",
     "15:31:50", "AG2", 100, 0, 20, "answered", "reset", None),
    ("call-g", 1, "inbound", "CU6", "general", "15:00:00", "15:00:20", "15:00:30", "15:04:00",
     "AG3", 200, 10, 45, "answered", "billing_question", None),
    ("call-i", 1, "inbound", None, connect.NO_QUEUE, "15:15:00", None, None, "15:15:40",
     None, 0, 0, 0, "ivr_contained", None, None),
]  # fmt: skip
EXPECTED_QUARANTINE = [
    (FIRST, 9, "disconnect_timestamp", "is more than 5 s before initiation_timestamp"),
    (SECOND, 4, None, "not valid JSON"),
    (SECOND, 8, "contact_id", "missing key"),
]


def deliver(landing: Path, relative: str, fixture: str, gzipped: bool, at: float) -> None:
    deliver_file(landing, relative, FIXTURES / fixture, gzipped, at)


def legs(warehouse: Path) -> list[tuple]:
    return legs_of(warehouse, "connect_call_legs")


@pytest.fixture
def landed(tmp_path: Path) -> tuple[Path, Path]:
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    deliver(landing, FIRST, "first-delivery", gzipped=False, at=1_772_460_300)
    deliver(landing, SECOND, "second-delivery", gzipped=True, at=1_772_463_900)
    land_table(connect.CONTACT_RECORDS, landing, warehouse)
    return landing, warehouse


def test_each_edge_case_becomes_the_legs_worked_by_hand(landed):
    _, warehouse = landed
    assert legs(warehouse) == EXPECTED_LEGS


def test_every_record_is_accounted_for(landed):
    _, warehouse = landed
    with open_warehouse(warehouse) as con:
        balance = account(con, vendor_of(connect.CONTACT_RECORDS))
    # 9 + 8 records; call-c twice and call-g's older version are superseded
    assert (balance.read, balance.current, balance.superseded, balance.quarantined) == (
        17,
        12,
        2,
        3,
    )
    assert balance.voice_records == balance.records_with_legs == 11 and balance.legs == 11
    assert balance.other_channels == (("CHAT", 1),) and balance.balances
    assert "17 read = 12 current + 2 superseded versions + 3 quarantined" in balance.sentence()
    files = query(
        warehouse,
        "select path, rows_read, rows_loaded, rows_quarantined from ingest.manifest order by 1",
    )
    assert files == [(FIRST, 9, 8, 1), (SECOND, 8, 6, 2)]


def test_a_bad_record_is_quarantined_with_file_record_number_field_and_reason(landed):
    _, warehouse = landed
    quarantined = query(
        warehouse,
        "select source_file, line_number, column_name, reason, raw_text "
        "from ingest.quarantine order by source_file, line_number",
    )
    assert [row[:3] for row in quarantined] == [row[:3] for row in EXPECTED_QUARANTINE]
    for (*_, reason, raw_text), (*_, expected) in zip(
        quarantined, EXPECTED_QUARANTINE, strict=True
    ):
        assert expected in reason and raw_text
    assert "call-broken" in quarantined[1][4]  # the broken record's own text, nothing more
    assert "in the record starting on line 4" in quarantined[1][3]


def test_redelivery_and_reruns_change_nothing(landed):
    landing, warehouse = landed
    before = legs(warehouse)
    land_table(connect.CONTACT_RECORDS, landing, warehouse)  # nothing new
    # the same records again under another name, as an at-least-once stream may
    deliver(landing, FIRST + "-again", "first-delivery", gzipped=True, at=1_772_467_500)
    report = land_table(connect.CONTACT_RECORDS, landing, warehouse)
    assert [file.status for file in report.files] == ["duplicate"]
    assert legs(warehouse) == before


def test_the_order_files_arrive_in_does_not_matter(tmp_path):
    """The second delivery first: the newest version of call-g still wins, and call-a's
    transfer leg still follows its first leg."""
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    deliver(landing, SECOND, "second-delivery", gzipped=True, at=1_772_460_300)
    land_table(connect.CONTACT_RECORDS, landing, warehouse)
    deliver(landing, FIRST, "first-delivery", gzipped=False, at=1_772_463_900)
    land_table(connect.CONTACT_RECORDS, landing, warehouse)
    assert legs(warehouse) == EXPECTED_LEGS


def test_a_file_outside_contact_records_is_rejected_with_the_place_to_put_it(tmp_path):
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    stray = landing / "connect" / "ctr-2026-03-02.json"
    stray.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "first-delivery", stray)
    report = land_table(connect.CONTACT_RECORDS, landing, warehouse)
    assert [(file.status, file.message) for file in report.files] == [
        ("rejected", "connect/ holds only connect/contact_records/; this file is outside it")
    ]


def test_a_replayed_file_takes_its_legs_with_it_and_brings_them_back(landed):
    """`ccw replay` forgets a delivery: the calls only it held lose their legs, the
    others keep theirs (call-g's current version is in the first file); the next run
    loads it again and every leg is back."""
    landing, warehouse = landed
    with open_warehouse(warehouse) as con:
        assert forget_deliveries(con, SECOND) == 1
    calls = {row[0] for row in legs(warehouse)}
    assert calls == {"call-a", "call-b", "call-c", "call-d", "call-e", "call-g"}
    with open_warehouse(warehouse) as con:
        assert account(con, vendor_of(connect.CONTACT_RECORDS)).balances
    land_table(connect.CONTACT_RECORDS, landing, warehouse)
    assert legs(warehouse) == EXPECTED_LEGS
