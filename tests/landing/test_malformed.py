"""The malformed corpus: every kind of bad export ends in its documented outcome.

``malformed_exports/`` holds hand-written files, one per failure kind (the binary ones
-- a truncated gzip, a Latin-1 byte, a broken and a valid Parquet file -- are as
small as could be made). docs/operations.md lists the same outcomes for operators.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from ccw.contract import TABLES
from ccw.landing import audit
from tests.warehouse_support import land_all, query

CORPUS = Path(__file__).parent / "malformed_exports"

# file -> (status, rows read, rows loaded, words the rejection message must contain)
FILES = {
    "telephony/calls_2026-04-01.csv": ("loaded", 11, 2, None),
    "telephony/calls_2026-04-02.csv": ("rejected", 0, 0, "lacks the contract's column(s) queue"),
    "telephony/calls_2026-04-03.csv": ("rejected", 0, 0, "does not know: sentiment"),
    "telephony/calls_2026-04-04.csv": ("rejected", 0, 0, "the file is empty"),
    "telephony/calls_2026-04-05.csv": ("loaded", 3, 3, None),
    "telephony/calls_2026-04-06.csv": ("loaded", 0, 0, None),
    "telephony/calls_2026-04-07.csv": ("loaded", 2, 1, None),
    "telephony/calls_2026-04-08.csv": ("loaded", 2, 1, None),
    "telephony/calls_2026-04-09.csv": ("rejected", 0, 0, "names queue more than once"),
    "telephony/agent_states_2026-04-01.csv.gz": ("rejected", 0, 0, "truncated gzip"),
    "telephony/calls.csv": ("rejected", 0, 0, "does not follow the contract"),
    "telephony/calls_2026-02-30.csv": ("rejected", 0, 0, "is not a date"),
    "telephony/voicemails_2026-04-01.csv": ("rejected", 0, 0, "no table 'voicemails'"),
    "crm/orders_2026-04-01.csv": ("loaded", 4, 1, None),
    "crm/cases_2026-04-01.csv": ("loaded", 4, 4, None),
    "crm/digital_events_2026-04-02.jsonl": ("loaded", 3, 3, None),
    "crm/digital_events_2026-04-01.parquet": ("rejected", 0, 0, "DuckDB could not read"),
    "hr/engagement_2026-04-01.csv": ("loaded", 4, 1, None),
    "survey/responses_2026-04-01.jsonl": ("loaded", 8, 2, None),
    "survey/responses_2026-04-02.parquet": ("loaded", 2, 1, None),
    "survey/responses_2026-04-03.jsonl": ("loaded", 2, 1, None),
    # Row rules, clock skew, trimmed codes, leap second, NUL, keys twice in a file.
    "telephony/calls_2026-04-10.csv": ("loaded", 15, 6, None),
    "telephony/agent_states_2026-04-02.csv": ("loaded", 2, 2, None),  # old-Mac CR line ends
    "crm/orders_2026-04-02.csv": ("rejected", 0, 0, "separated by semicolons"),
    "crm/orders_2026-04-03.csv": ("rejected", 0, 0, "Order_ID (should be order_id)"),
    "crm/orders_2026-04-04.csv": ("rejected", 0, 0, "a delimiter at the end of every line"),
    "telephony/2026/04/calls_2026-04-11.csv": ("loaded", 1, 1, None),  # a dated subfolder
    "telephony/calls_2026-04-12.csv": ("rejected", 0, 0, "a folder named like an export"),
    "Telephony/calls_2026-04-01.csv": ("rejected", 0, 0, "did you mean telephony/"),
    "notes.txt": ("rejected", 0, 0, "a file outside the source folders"),
    # Made by the fixture: git keeps no link to nothing.
    "telephony/calls_2026-04-13.csv": ("rejected", 0, 0, "a link to a file that does not exist"),
}

# (file, line) -> (column, words the reason must contain)
QUARANTINED = {
    ("telephony/calls_2026-04-01.csv", 3): (None, "wrong column count"),
    ("telephony/calls_2026-04-01.csv", 4): ("queued_at", "wrong column count"),
    ("telephony/calls_2026-04-01.csv", 5): ("answered_at", "'yesterday' is not an ISO-8601"),
    ("telephony/calls_2026-04-01.csv", 6): ("ended_at", "has no UTC offset"),
    ("telephony/calls_2026-04-01.csv", 7): ("talk_seconds", "'abc' is not a whole number"),
    ("telephony/calls_2026-04-01.csv", 8): ("disposition", "'dropped' is not one of"),
    ("telephony/calls_2026-04-01.csv", 9): ("call_id", "missing key"),
    ("telephony/calls_2026-04-01.csv", 10): ("queue", "missing value"),
    ("telephony/calls_2026-04-01.csv", 11): ("leg", "direction: 'sideways' is not one of"),
    ("telephony/calls_2026-04-07.csv", 3): ("ivr_path", "unterminated or stray quote"),
    ("telephony/calls_2026-04-08.csv", 3): ("wrap_code", "not valid UTF-8"),
    ("crm/orders_2026-04-01.csv", 2): ("amount", "'twelve' is not a decimal"),
    ("crm/orders_2026-04-01.csv", 3): ("order_type", "'gift' is not one of"),
    ("hr/engagement_2026-04-01.csv", 2): ("engagement", "outside the scale 1-5"),
    ("crm/orders_2026-04-01.csv", 5): ("amount", "more than two decimal places"),
    ("hr/engagement_2026-04-01.csv", 3): ("surveyed_on", "not a date"),
    ("hr/engagement_2026-04-01.csv", 5): ("surveyed_on", "enps: '9.5' is not a whole number"),
    ("survey/responses_2026-04-01.jsonl", 2): (None, "not valid JSON"),
    ("survey/responses_2026-04-01.jsonl", 3): (None, "not a JSON object"),
    ("survey/responses_2026-04-01.jsonl", 4): ("mood", "a field the contract does not know"),
    ("survey/responses_2026-04-01.jsonl", 5): ("csat", "outside the scale 1-5"),
    ("survey/responses_2026-04-01.jsonl", 7): ("comment", "nested JSON value"),
    ("survey/responses_2026-04-01.jsonl", 9): ("response_id", "missing key"),
    ("survey/responses_2026-04-02.parquet", 1): ("nps", "'8' set on a survey nobody answered"),
    ("survey/responses_2026-04-03.jsonl", 2): ("nps", "a field named twice in the object"),
    ("telephony/calls_2026-04-10.csv", 3): ("talk_seconds", "'-5' is negative"),
    ("telephony/calls_2026-04-10.csv", 4): (
        "ended_at",
        "is more than 5 s before ivr_started_at, queued_at, answered_at",
    ),
    ("telephony/calls_2026-04-10.csv", 6): ("answered_at", "has an impossible UTC offset"),
    ("telephony/calls_2026-04-10.csv", 7): ("talk_seconds", "'1000000000' is over 43,200 s"),
    ("telephony/calls_2026-04-10.csv", 9): (
        "ivr_started_at",
        "is more than 2 day(s) after the file's business day",
    ),
    ("telephony/calls_2026-04-10.csv", 11): ("call_id", "is in this file 2 times with different"),
    ("telephony/calls_2026-04-10.csv", 12): ("call_id", "is in this file 2 times with different"),
    ("telephony/calls_2026-04-10.csv", 14): ("call_id", "an exact copy of line 13"),
    ("telephony/calls_2026-04-10.csv", 16): ("talk_seconds", "'30' on a leg nobody answered"),
}

# (file, line) -> (column, words of the reason): values changed on the way in.
CORRECTED = {
    ("telephony/calls_2026-04-10.csv", 5): ("answered_at", "clock skew): set to queued_at"),
    ("telephony/calls_2026-04-10.csv", 8): ("queue", "spaces around the value removed"),
    ("telephony/calls_2026-04-10.csv", 10): ("ended_at", "leap second"),
    ("telephony/calls_2026-04-10.csv", 15): ("wrap_code", "NUL character removed"),
}


_readme = shutil.ignore_patterns("README.md")


@pytest.fixture(scope="module")
def landed(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("malformed")
    landing = _copy_of_corpus(root)
    warehouse = root / "ccw.duckdb"
    land_all(landing, warehouse)
    return warehouse


def _copy_of_corpus(root: Path) -> Path:
    landing = Path(shutil.copytree(CORPUS, root / "landing", ignore=_readme))
    link = landing / "telephony" / "calls_2026-04-13.csv"
    link.symlink_to("gone_2026-04-13.csv")
    # The same link in every copy, as copytree keeps the other files' times.
    os.utime(link, ns=(1_775_000_000_000_000_000,) * 2, follow_symlinks=False)
    return landing


def test_the_corpus_covers_at_least_fifteen_failure_kinds():
    kinds = {words for *_, words in FILES.values() if words} | {
        words.split("'")[-1] for _, words in QUARANTINED.values()
    }
    assert len(kinds) >= 15
    on_disk = {
        p.relative_to(CORPUS).as_posix().removesuffix("/part-0000.csv")
        for p in CORPUS.rglob("*")
        if p.is_file() and p.name != "README.md"
    }
    assert on_disk | {"telephony/calls_2026-04-13.csv"} == set(FILES)


def test_every_file_under_the_landing_folder_is_in_the_manifest_once(landed):
    assert sorted(path for (path,) in query(landed, "select path from ingest.manifest")) == sorted(
        FILES
    )


@pytest.mark.parametrize("path", sorted(FILES))
def test_each_file_ends_in_its_documented_outcome(landed, path):
    status, rows_read, rows_loaded, words = FILES[path]
    manifest = query(
        landed,
        "select status, rows_read, rows_loaded, rows_quarantined, message "
        "from ingest.manifest where path = ?",
        [path],
    )
    assert len(manifest) == 1
    actual_status, actual_read, actual_loaded, quarantined, message = manifest[0]
    assert (actual_status, actual_read, actual_loaded) == (status, rows_read, rows_loaded)
    assert actual_read == actual_loaded + quarantined  # nothing lost
    if words:
        assert words in message
    else:
        assert message is None


def test_every_bad_row_is_quarantined_with_file_line_column_reason_and_text(landed):
    rows = query(
        landed,
        "select source_file, line_number, column_name, reason, raw_text from ingest.quarantine",
    )
    found = {(file, line): (column, reason, text) for file, line, column, reason, text in rows}
    assert set(found) == set(QUARANTINED)
    for place, (column, words) in QUARANTINED.items():
        actual_column, reason, raw_text = found[place]
        assert actual_column == column, place
        assert words in reason, place
        if place[0].endswith(".parquet"):  # the raw text is the row as JSON
            assert raw_text.startswith("{") and '"response_id":"SR900"' in raw_text
            continue
        source = (CORPUS / place[0]).read_bytes().decode("utf-8", errors="replace")
        assert raw_text and source.splitlines()[place[1] - 1].startswith(raw_text.split("\n")[0])


def test_values_changed_on_the_way_in_are_recorded_with_file_line_and_column(landed):
    rows = query(
        landed, "select source_file, line_number, column_name, reason from ingest.corrections"
    )
    found = {(file, line): (column, reason) for file, line, column, reason in rows}
    assert set(found) == set(CORRECTED)
    for place, (column, words) in CORRECTED.items():
        assert found[place][0] == column and words in found[place][1], place
    assert query(
        landed,
        "select call_id, queue, wrap_code, answered_at = queued_at, "
        "strftime(ended_at, '%H:%M:%S.%f') from raw.calls "
        "where call_id in ('CL603', 'CL606', 'CL608', 'CL611') order by 1",
    ) == [
        ("CL603", "billing", "billing", True, "13:05:00.000000"),  # answered raised to queued
        ("CL606", "billing", "billing", False, "13:05:00.000000"),  # 'billing ' trimmed
        ("CL608", "billing", "billing", False, "03:59:59.999999"),  # 23:59:60-04:00
        ("CL611", "billing", "billing", False, "13:05:00.000000"),  # NUL removed
    ]


def test_good_rows_keep_their_physical_lines_through_quotes_blank_lines_and_crlf(landed):
    rows = query(
        landed,
        "select call_id, _line_number, ivr_path from raw.calls "
        "where _source_file = 'telephony/calls_2026-04-05.csv' order by _line_number",
    )
    assert rows == [
        ("CL500", 2, 'main>billing\n>says "late fee"'),  # CRLF in a value becomes LF
        ("CL501", 5, "main,sales"),
        ("CL502", 6, "main>balance"),
    ]


def test_a_stray_quote_inside_a_value_is_data_and_lines_stay_right(landed):
    rows = query(
        landed,
        "select case_id, _line_number, topic from raw.cases order by _line_number",
    )
    assert rows == [
        ("CS1", 2, "billing"),
        ("CS2", 3, 'tv 55" screen'),
        ("CS3", 4, "device, remote"),
        ("CS4", 5, "billing"),
    ]


def test_nothing_is_lost_or_doubled_in_any_table(landed):
    with duckdb.connect(str(landed), read_only=True) as con:
        for table in TABLES:
            assert audit.unreconciled_files(con, table) == [], table.name
            assert audit.keys_without_one_current_version(con, table) == 0, table.name


def test_a_rejected_file_is_not_retried_until_it_changes(landed, tmp_path):
    before = query(landed, "select count(*) from ingest.manifest")[0][0]
    landing = _copy_of_corpus(tmp_path)
    warehouse = tmp_path / "ccw.duckdb"
    shutil.copy(landed, warehouse)
    land_all(landing, warehouse)
    assert query(warehouse, "select count(*) from ingest.manifest")[0][0] == before


def test_a_file_is_known_by_its_content_not_its_size_and_time(tmp_path):
    landing, warehouse = tmp_path / "landing", tmp_path / "ccw.duckdb"
    calls = landing / "telephony" / "calls_2026-04-05.csv"
    calls.parent.mkdir(parents=True)
    shutil.copy2(CORPUS / "telephony" / "calls_2026-04-05.csv", calls)
    land_all(landing, warehouse)
    # Touched, or copied again, with the same content: read, and nothing more recorded.
    os.utime(calls)
    land_all(landing, warehouse)
    assert query(warehouse, "select count(*) from ingest.manifest") == [(1,)]
    # A correction copied over it with the same size and modification time is loaded.
    stat = calls.stat()
    corrected = calls.read_bytes().replace(b"CL502", b"CL503")
    calls.write_bytes(corrected)
    os.utime(calls, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert calls.stat().st_size == stat.st_size
    land_all(landing, warehouse)
    # Its rows join the day's by key (CL502's version stays, as a delta's would).
    assert query(
        warehouse, "select call_id, _load_id from raw.calls where _is_current order by call_id"
    ) == [("CL500", 2), ("CL501", 2), ("CL502", 1), ("CL503", 2)]
    assert query(warehouse, "select count(*) from ingest.manifest") == [(2,)]
