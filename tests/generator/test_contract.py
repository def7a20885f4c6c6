"""Every generated file speaks the landing contract: names, columns, types, enums, keys."""

from __future__ import annotations

import re
from datetime import timedelta

import duckdb
import pytest

from ccw import contract
from tests.conftest import SAMPLE

FILE_NAME = re.compile(
    r"^(?P<table>[a-z_]+)_(?P<day>\d{4}-\d{2}-\d{2})\.(?P<ext>csv|jsonl)(\.gz)?$"
)
DAILY = [table for table in contract.TABLES if table is not contract.ENGAGEMENT]


def _reader(path) -> str:
    if ".jsonl" in path.name:
        return f"read_json('{path}', format = 'newline_delimited', columns = {{}})"
    return f"read_csv('{path}', all_varchar = true, header = true)"


def test_every_file_is_named_and_placed_as_the_contract_says(sample):
    files = sorted(path for path in sample.landing.rglob("*") if path.is_file())
    assert files
    known = {(table.source, table.name) for table in contract.TABLES}
    for path in files:
        match = FILE_NAME.match(path.name)
        assert match, f"{path.name} does not follow <table>_<YYYY-MM-DD>.<ext>"
        assert (path.parent.name, match["table"]) in known, path


def test_every_daily_table_has_one_file_per_day(sample):
    start, days = SAMPLE["start"], SAMPLE["days"]
    for table in DAILY:
        for offset in range(days):
            day = (start + timedelta(days=offset)).isoformat()
            path = sample.landing / table.source / table.file_name(day)
            assert path.exists(), f"missing {path}"


@pytest.mark.parametrize("table", contract.TABLES, ids=lambda table: table.name)
def test_columns_types_enums_and_nulls_follow_the_contract(sample, table):
    paths = sorted((sample.landing / table.source).glob(f"{table.name}_*"))
    assert paths, f"no {table.name} files"
    sql = duckdb.connect()
    for path in paths[:3] + paths[-2:]:
        if ".jsonl" in path.name:
            relation = sql.sql(f"select * from read_json('{path}', format = 'newline_delimited')")
            assert tuple(relation.columns) == table.column_names, path
        else:
            header = sql.sql(f"select * from read_csv('{path}', all_varchar = true)").columns
            assert tuple(header) == table.column_names, path
        typed = ", ".join(
            f"'{column.name}': '{contract.DUCKDB_TYPES[column.type]}'" for column in table.columns
        )
        if ".jsonl" in path.name:
            source = f"read_json('{path}', format = 'newline_delimited', columns = {{{typed}}})"
        else:
            source = f"read_csv('{path}', header = true, columns = {{{typed}}})"
        sql.execute(f"create or replace view typed as select * from {source}")
        # Casting every value to its contract type raises on the first that does not fit.
        sql.execute("select count(*) from typed").fetchone()
        for column in table.columns:
            if not column.nullable:
                nulls = sql.execute(
                    f"select count(*) from typed where {column.name} is null"
                ).fetchone()
                assert nulls[0] == 0, f"{path.name}: {column.name} is null but may not be"
            if column.enum:
                allowed = ", ".join(f"'{value}'" for value in column.enum)
                bad = sql.execute(
                    f"select distinct {column.name} from typed "
                    f"where {column.name} is not null and {column.name} not in ({allowed})"
                ).fetchall()
                assert not bad, f"{path.name}: {column.name} has values outside the contract {bad}"
            if column.value_range:
                low, high = column.value_range
                bad = sql.execute(
                    f"select count(*) from typed where {column.name} not between {low} and {high}"
                ).fetchone()[0]
                assert bad == 0, f"{path.name}: {column.name} outside {low}..{high}"
        key = ", ".join(table.key)
        duplicates = sql.execute(
            f"select count(*) from (select {key} from typed group by all having count(*) > 1)"
        ).fetchone()[0]
        assert duplicates == 0, f"{path.name}: key ({key}) is not unique within the delivery"


def test_timestamps_carry_the_local_utc_offset_across_daylight_saving(sample):
    before = (sample.landing / "telephony" / "calls_2026-03-06.csv").read_text().splitlines()[1]
    after = (sample.landing / "telephony" / "calls_2026-03-09.csv").read_text().splitlines()[1]
    assert re.search(r"T\d{2}:\d{2}:\d{2}-05:00", before)
    assert re.search(r"T\d{2}:\d{2}:\d{2}-04:00", after)


def test_exports_are_dirty_but_valid_like_real_ones(sample):
    agents = (sample.landing / "hr" / "agents_2026-03-02.csv").read_bytes()
    assert agents.startswith(b"\xef\xbb\xbf"), "HR exports come with a UTF-8 BOM"
    assert b"\r\n" in agents, "HR exports come with CRLF line ends"
    assert list(sample.landing.glob("telephony/agent_states_*.csv.gz"))
    redelivered = sample.landing / "crm" / "orders_2026-03-05.csv.gz"
    original = sample.landing / "crm" / "orders_2026-03-05.csv"
    sql = duckdb.connect()
    difference = sql.execute(
        f"select * from read_csv('{redelivered}') except all select * from read_csv('{original}')"
    ).fetchall()
    assert difference == [], "the redelivered file repeats the original's rows"
    late = sample.landing / "telephony" / "calls_2026-03-07.csv"
    next_day = sample.landing / "telephony" / "calls_2026-03-08.csv"
    assert late.stat().st_mtime > next_day.stat().st_mtime, "one day's calls arrive late"
    unidentified = sample.one(
        "select avg((customer_id is null)::int) from calls where direction = 'inbound'"
    )[0]
    assert 0.03 < unidentified < 0.15
