"""Landing the generator's exports: exact counts, lineage, idempotence, supersession."""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from ccw.contract import AGENTS, CALLS, CASES, CUSTOMERS, TABLES
from ccw.landing.audit import keys_without_one_current_version
from ccw.landing.currency import key_columns
from ccw.landing.files import discover
from ccw.landing.loader import DUPLICATE, LOADED, TableReport
from tests.warehouse_support import copy_warehouse, fingerprint, land_all, query


@pytest.fixture(scope="module")
def first_landing(pristine_landing: Path, tmp_path_factory) -> tuple[dict[str, TableReport], Path]:
    """The generated exports landed once into an empty warehouse: the reports, and the
    warehouse (read it; `landed` gives a copy to land more into)."""
    warehouse = tmp_path_factory.mktemp("first_landing") / "ccw.duckdb"
    return land_all(pristine_landing, warehouse), warehouse


@pytest.fixture
def landed(first_landing, tmp_path: Path) -> Path:
    """A private copy of that warehouse: every file of `landing` (the same files, copied
    with their times) is in its manifest, so the next landing sees only what a test
    delivers."""
    return copy_warehouse(first_landing[1], tmp_path / "warehouse")


def _records_in(path: Path) -> int:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    lines = [line for line in data.splitlines() if line.strip()]
    return len(lines) - (0 if ".jsonl" in path.name else 1)


def _distinct_keys(landing: Path, table) -> int:
    """Distinct business keys straight from the files, with DuckDB's own sniffing."""
    files = [f for f in discover(landing, (table,)) if f.table is table]
    reader = "read_json_auto" if table.delivered_as == "jsonl" else "read_csv_auto"
    union = " union all ".join(
        f"select {', '.join(table.key)}, '{f.file_date}' as _file_date from {reader}('{f.path}')"
        for f in files
        if f.format == table.delivered_as.split(".")[0]
    )
    keys = ", ".join(key_columns(table))
    return duckdb.sql(f"select count(*) from (select distinct {keys} from ({union}))").fetchall()[
        0
    ][0]


def test_generated_exports_land_with_exact_row_counts(pristine_landing, first_landing):
    reports, warehouse = first_landing
    for table in TABLES:
        files = [f for f in discover(pristine_landing, (table,)) if f.table is table]
        report = reports[table.name]
        assert report.rejected == [] and report.rows_quarantined == 0, table.name
        loaded_files = {r.path for r in report.files if r.status == LOADED}
        expected = sum(_records_in(f.path) for f in files if f.relative_path in loaded_files)
        raw_rows = query(warehouse, f"select count(*) from raw.{table.name}")[0][0]
        assert raw_rows == report.rows_loaded == expected, table.name
        assert report.current_rows == _distinct_keys(pristine_landing, table), table.name


def test_the_redelivered_gzip_copy_is_a_duplicate_not_a_second_load(first_landing):
    reports, warehouse = first_landing
    day = {r.path: r.status for r in reports["orders"].files if "2026-03-05" in r.path}
    assert set(day) == {"crm/orders_2026-03-05.csv", "crm/orders_2026-03-05.csv.gz"}
    assert sorted(day.values()) == [DUPLICATE, LOADED]  # whichever arrived first loads
    orders = query(warehouse, "select count(*), count(distinct order_id) from raw.orders")[0]
    assert orders[0] == orders[1]


def test_lineage_points_at_the_line_each_row_came_from(pristine_landing, first_landing):
    landing, warehouse = pristine_landing, first_landing[1]
    rows = query(
        warehouse,
        "select _source_file, _line_number, call_id, leg from raw.calls using sample 200 rows",
    )
    for source_file, line_number, call_id, leg in rows:
        line = (landing / source_file).read_text().splitlines()[line_number - 1]
        assert line.startswith(f"{call_id},{leg},")
    states = query(
        warehouse,
        "select _source_file, _line_number, agent_id, state from raw.agent_states "
        "using sample 100 rows",
    )
    for source_file, line_number, agent_id, state in states:
        text = gzip.decompress((landing / source_file).read_bytes()).decode("utf-8")
        assert text.splitlines()[line_number - 1].startswith(f"{agent_id},{state},")


def test_running_again_changes_nothing(landing, landed):
    warehouse = landed
    before = fingerprint(warehouse)
    again = land_all(landing, warehouse)
    assert all(report.files == [] for report in again.values())
    assert fingerprint(warehouse) == before


def test_redelivery_under_another_name_changes_nothing(landing, landed):
    warehouse = landed
    before = fingerprint(warehouse)
    original = landing / "telephony" / "calls_2026-03-03.csv"
    shutil.copy(original, landing / "telephony" / "calls_2026-03-12.csv")
    (landing / "telephony" / "calls_2026-03-03.csv.gz").write_bytes(
        gzip.compress(original.read_bytes())
    )
    report = land_all(landing, warehouse)["calls"]
    assert sorted(r.status for r in report.files) == [DUPLICATE, DUPLICATE]
    after = fingerprint(warehouse)
    assert after["calls"] == before["calls"]
    assert len(after["manifest"]) == len(before["manifest"]) + 2


def _deliver(path: Path, text: str, after: Path) -> None:
    """Write a file stamped one hour after ``after`` was (it arrives now, all the same)."""
    stamp = after.stat().st_mtime + 3600
    path.write_text(text)
    os.utime(path, (stamp, stamp))


def test_a_corrected_file_supersedes_by_business_key(landing, landed):
    warehouse = landed
    original = landing / "telephony" / "calls_2026-03-04.csv"
    lines = original.read_text().splitlines()
    call_id, leg = lines[1].split(",")[:2]
    fields = lines[1].split(",")
    fields[CALLS.column_names.index("wrap_code")] = "corrected_code"
    corrected = "\n".join([lines[0], ",".join(fields), *lines[2:]]) + "\n"
    _deliver(original, corrected, original)  # the source overwrote the day's file in place
    before_current = query(warehouse, "select count(*) from raw.calls where _is_current")[0][0]
    report = land_all(landing, warehouse)["calls"]
    assert [r.status for r in report.files] == [LOADED]
    versions = query(
        warehouse,
        "select wrap_code, _is_current from raw.calls where call_id = ? and leg = ? "
        "order by _load_id",
        [call_id, int(leg)],
    )
    assert [v[1] for v in versions] == [False, True]
    assert versions[-1][0] == "corrected_code"
    assert query(warehouse, "select count(*) from raw.calls where _is_current")[0][0] == (
        before_current
    )


def test_a_late_and_out_of_order_file_is_picked_up(landing, warehouse, tmp_path):
    held_back = landing / "telephony" / "calls_2026-03-03.csv"
    kept = tmp_path / "held_back.csv"
    shutil.copy2(held_back, kept)
    held_back.unlink()
    land_all(landing, warehouse)
    assert query(warehouse, "select count(*) from raw.calls where _file_date = '2026-03-03'") == [
        (0,)
    ]
    shutil.copy2(kept, held_back)  # arrives late, with its original (old) delivery time
    report = land_all(landing, warehouse)["calls"]
    assert [r.path for r in report.files] == ["telephony/calls_2026-03-03.csv"]
    assert report.files[0].rows_loaded == _records_in(held_back)


def _correct_first_case(original: Path) -> tuple[str, str]:
    """A corrected export of the day's first case: the header and that row, new topic."""
    lines = original.read_text().splitlines()
    fields = lines[1].split(",")
    fields[CASES.column_names.index("topic")] = "corrected_topic"
    return fields[0], "\n".join([lines[0], ",".join(fields)]) + "\n"


def _current_topic(warehouse: Path, case_id: str) -> list[tuple]:
    return query(
        warehouse, "select topic from raw.cases where case_id = ? and _is_current", [case_id]
    )


def test_a_correction_copied_in_with_an_older_timestamp_still_wins(landing, landed):
    warehouse = landed
    original = landing / "crm" / "cases_2026-03-05.csv"
    case_id, corrected = _correct_first_case(original)
    correction = landing / "crm" / "cases_2026-03-05.csv.gz"
    correction.write_bytes(gzip.compress(corrected.encode()))
    prepared = original.stat().st_mtime - 3600  # as `cp -p` of a file made earlier keeps it
    os.utime(correction, (prepared, prepared))
    land_all(landing, warehouse)
    assert _current_topic(warehouse, case_id) == [("corrected_topic",)]


def test_re_sending_earlier_content_makes_it_current_again(landing, landed):
    warehouse = landed
    original = landing / "crm" / "cases_2026-03-05.csv"
    case_id, corrected = _correct_first_case(original)
    first_topic = _current_topic(warehouse, case_id)
    first_version = original.read_bytes()
    _deliver(original, corrected, original)  # v2 replaces the file in place
    land_all(landing, warehouse)
    assert _current_topic(warehouse, case_id) == [("corrected_topic",)]
    # v1 again, gzipped under another name: a duplicate of the first load, delivered last
    (landing / "crm" / "cases_2026-03-05.csv.gz").write_bytes(gzip.compress(first_version))
    report = land_all(landing, warehouse)["cases"]
    assert [r.status for r in report.files] == [DUPLICATE]
    assert _current_topic(warehouse, case_id) == first_topic


def test_a_later_days_version_wins_over_a_late_file_for_an_earlier_day(
    landing, warehouse, first_landing, tmp_path
):
    case_id = query(
        first_landing[1],
        "select case_id from raw.cases group by case_id "
        "having min(_file_date) = '2026-03-05' and max(_file_date) > '2026-03-05' limit 1",
    )[0][0]
    late = landing / "crm" / "cases_2026-03-05.csv"
    stash = tmp_path / "late.csv"
    shutil.move(late, stash)
    land_all(landing, warehouse)
    shutil.move(stash, late)  # the day's file turns up after the days that followed it
    report = land_all(landing, warehouse)["cases"]
    assert [r.path for r in report.files] == ["crm/cases_2026-03-05.csv"]
    current = query(
        warehouse, "select _file_date from raw.cases where case_id = ? and _is_current", [case_id]
    )
    assert len(current) == 1 and str(current[0][0]) > "2026-03-05"


def test_customers_order_versions_by_updated_at_before_delivery(landing, landed):
    warehouse = landed
    customer_id, updated_at = query(
        warehouse,
        "select customer_id, updated_at from raw.customers where _is_current order by all limit 1",
    )[0]
    header = ",".join(CUSTOMERS.column_names)
    stale = (
        f"{header}\n{customer_id},2020-01-01T00:00:00-05:00,2020-01-02T00:00:00-05:00,"
        "consumer,Basic,west,1.00,active,,,stale@example.com,+15550000000\n"
    )
    _deliver(landing / "crm" / "customers_2026-03-20.csv", stale, landing / "crm")
    land_all(landing, warehouse)
    current = query(
        warehouse,
        "select updated_at from raw.customers where customer_id = ? and _is_current",
        [customer_id],
    )
    assert current == [(updated_at,)]


def test_a_corrected_roster_replaces_the_whole_snapshot_of_its_day(landing, landed):
    warehouse = landed
    roster = landing / "hr" / "agents_2026-03-04.csv"
    lines = roster.read_text(encoding="utf-8-sig").splitlines()
    dropped_agent = lines[-1].split(",")[0]
    _deliver(roster, "\n".join(lines[:-1]) + "\n", roster)
    land_all(landing, warehouse)
    current = query(
        warehouse,
        "select count(*) filter (where agent_id = ?), count(*) from raw.agents "
        "where _file_date = '2026-03-04' and _is_current",
        [dropped_agent],
    )[0]
    assert current == (0, len(lines) - 2)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert keys_without_one_current_version(con, AGENTS) == 0  # the blocking check
    _deliver(roster, lines[0] + "\n", roster)  # header only: nobody on the roster that day
    land_all(landing, warehouse)
    assert query(
        warehouse,
        "select count(*) from raw.agents where _file_date = '2026-03-04' and _is_current",
    ) == [(0,)]
