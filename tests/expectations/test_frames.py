"""A query read by way of Arrow is the frame DuckDB's own conversion gives."""

import duckdb
import pandas as pd

from expectations.frames import read_frame

# Every type the suites read, each with and without missing values.
QUERY = """select 'x' || range as text, case when range = 1 then 'a' end as some_text,
    null::varchar as no_text, '{"a": 1}'::json as document, null::json as no_document,
    1.5::decimal(18, 2) as amount, case when range = 1 then 48.80::decimal(18, 2) end
        as some_amount,
    range::int as small, case when range = 1 then 7::int end as some_small,
    range as whole, case when range = 1 then 7 end as some_whole, null::bigint as no_whole,
    date '2026-01-01' + range::int as day, null::date as no_day,
    timestamptz '2026-01-01 10:00:00+00' as instant, null::timestamptz as no_instant
from range(3)"""


def test_read_frame_types_and_values_as_duckdb_does():
    with duckdb.connect() as con:
        expected = con.execute(QUERY).df()
        frame = read_frame(con, QUERY)
        empty = read_frame(con, f"{QUERY} limit 0")
    pd.testing.assert_frame_equal(frame, expected)
    assert frame["amount"].tolist() == [1.5] * 3 and frame["some_amount"][1] == 48.8
    assert list(empty.columns) == list(expected.columns) and empty.empty
