"""Genesys Cloud conversation details, hand-made, each edge case with its answer by hand.

``vendor_exports/genesys/`` holds two details-job results of one afternoon (times in
UTC): a job page (``{"conversations": [...], "cursor": ...}``, pretty-printed) and a
JSON-lines file that lands gzipped. Between them: a cold transfer from billing to tech
support with hold on the first leg (conv-a), a transfer back into the same queue, each
visit answered by its own agent (conv-b), an abandon after three minutes in queue
(conv-c, delivered twice), a 3-second abandon (conv-d), a call the IVR ended (conv-e),
a callback taken in queue and made later in the same conversation (conv-f), a
conversation complete in the first file whose earlier, cut version (no end, the agent
still talking) arrives in the second (conv-g), a chat, a voice conversation that
reached no queue (conv-i), and three bad records: one that is not JSON, one without a
conversationId, one with a segment that ends an hour before it starts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ccw.landing.loader import land_table
from ccw.landing.warehouse import open_warehouse
from ccw.vendors import account, genesys, vendor_of
from tests.landing.vendor_support import FIXTURES, deliver, legs
from tests.warehouse_support import query

PAGE = "genesys/conversations/2026-03-02/job-1/details-job-page-1.json"
LINES = "genesys/conversations/2026-03-02/job-2/details-job-page-2"

# call, leg, direction, customer, queue, IVR start, queued, answered, ended (UTC),
# agent, talk, hold, ACW, disposition, wrap code, IVR path
EXPECTED_LEGS = [
    ("conv-a", 1, "inbound", "CU1", "billing", "14:00:00", "14:00:40", "14:01:00", "14:03:10",
     "AG1", 120, 10, 30, "transferred", "payment", "main>billing"),
    ("conv-a", 2, "inbound", "CU1", "tech_support", None, "14:03:10", "14:03:30", "14:06:50",
     "AG2", 200, 0, 20, "answered", "outage", None),
    ("conv-b", 1, "inbound", "CU2", "general", "14:10:00", "14:10:30", "14:10:45", "14:11:45",
     "AG3", 60, 0, 0, "transferred", None, None),
    ("conv-b", 2, "inbound", "CU2", "general", None, "14:11:45", "14:12:45", "14:14:15",
     "AG4", 90, 0, 15, "answered", None, None),
    ("conv-c", 1, "inbound", "CU3", "billing", "14:20:00", "14:20:30", None, "14:23:30",
     None, 0, 0, 0, "abandoned", None, None),
    ("conv-d", 1, "inbound", None, "billing", "14:30:00", "14:30:20", None, "14:30:23",
     None, 0, 0, 0, "abandoned", None, None),
    ("conv-e", 1, "inbound", "CU4", "general", "14:40:00", None, None, "14:41:00",
     None, 0, 0, 0, "ivr_contained", None, "main>account>balance"),
    ("conv-f", 1, "inbound", "CU5", "tech_support", "14:50:00", "14:50:30", None, "14:50:45",
     None, 0, 0, 0, "callback_requested", None, None),
    ("conv-f-callback", 1, "outbound", "CU5", "tech_support", None, "15:29:00", "15:30:10",
     "15:31:50", "AG2", 100, 0, 20, "answered", "reset", None),
    ("conv-g", 1, "inbound", "CU6", "general", "15:00:00", "15:00:20", "15:00:30", "15:04:00",
     "AG3", 230, 0, 45, "answered", "billing_question", None),
    ("conv-i", 1, "inbound", None, genesys.NO_QUEUE, "15:15:00", None, None, "15:15:40",
     None, 0, 0, 0, "ivr_contained", None, None),
]  # fmt: skip


def land(landing: Path, warehouse: Path) -> None:
    land_table(genesys.CONVERSATIONS, landing, warehouse)


@pytest.fixture
def landed(tmp_path: Path) -> Path:
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    deliver(landing, PAGE, FIXTURES / "genesys" / "details-job-page-1.json", False, 1_772_463_600)
    deliver(landing, LINES, FIXTURES / "genesys" / "details-job-page-2.jsonl", True, 1_772_467_200)
    land(landing, warehouse)
    return warehouse


def test_each_edge_case_becomes_the_legs_worked_by_hand(landed):
    assert legs(landed, "genesys_call_legs") == EXPECTED_LEGS


def test_every_record_is_accounted_for(landed):
    with open_warehouse(landed) as con:
        balance = account(con, vendor_of(genesys.CONVERSATIONS))
    # 7 + 7 records; conv-c again and conv-g's cut version are superseded
    assert (balance.read, balance.current, balance.superseded, balance.quarantined) == (
        14,
        9,
        2,
        3,
    )
    assert balance.voice_records == balance.records_with_legs == 8 and balance.legs == 11
    assert balance.other_channels == (("CHAT", 1),) and balance.balances


def test_a_bad_record_is_quarantined_with_file_record_number_field_and_reason(landed):
    quarantined = query(
        landed,
        "select source_file, line_number, column_name, reason from ingest.quarantine "
        "order by source_file, line_number",
    )
    assert [row[:3] for row in quarantined] == [
        (PAGE, 7, "participants"),
        (LINES, 4, None),
        (LINES, 7, "conversation_id"),
    ]
    assert "has a segment that ends more than 5 s before it starts" in quarantined[0][3]
    assert "not valid JSON" in quarantined[1][3] and "missing key" in quarantined[2][3]


def test_a_cut_conversation_gives_the_legs_of_its_ended_visits(tmp_path):
    """Only the second file: conv-g is there cut, its agent still talking, so it has
    no leg yet and counts as still going; the rest of the file gives its legs."""
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    deliver(landing, LINES, FIXTURES / "genesys" / "details-job-page-2.jsonl", True, 1_772_467_200)
    land(landing, warehouse)
    calls = {row[0] for row in legs(warehouse, "genesys_call_legs")}
    assert "conv-g" not in calls and {"conv-f", "conv-f-callback", "conv-i"} <= calls
    with open_warehouse(warehouse) as con:
        balance = account(con, vendor_of(genesys.CONVERSATIONS))
    assert balance.open_records == 1 and balance.balances


def test_the_complete_version_wins_whatever_the_order_and_reruns_change_nothing(tmp_path):
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    deliver(landing, LINES, FIXTURES / "genesys" / "details-job-page-2.jsonl", True, 1_772_460_000)
    land(landing, warehouse)
    deliver(landing, PAGE, FIXTURES / "genesys" / "details-job-page-1.json", False, 1_772_467_200)
    land(landing, warehouse)
    assert legs(warehouse, "genesys_call_legs") == EXPECTED_LEGS
    land(landing, warehouse)
    assert legs(warehouse, "genesys_call_legs") == EXPECTED_LEGS
