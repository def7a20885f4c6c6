"""The project's own generic dbt tests, their SQL run on hand-made tables.

dbt fails a data test when its query returns rows; these check which rows each query
returns. The macro's body is rendered with Jinja as dbt renders it (``model`` is the
relation, the arguments are the YAML's).
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import jinja2

MACROS = Path(__file__).resolve().parents[2] / "macros" / "tests"


def generic_test_sql(file: str, name: str, **arguments) -> str:
    source = (MACROS / file).read_text()
    body = re.search(
        rf"{{% test {name}\(.*?\) %}}(.*?){{% endtest %}}", source, flags=re.DOTALL
    ).group(1)
    return jinja2.Template(body).render(**arguments)


def test_ccw_not_null_returns_each_column_with_nulls_and_how_many():
    con = duckdb.connect()
    con.execute(
        """create table calls as select * from (values
            ('c1', 'billing', 10), ('c2', null, 20), ('c3', null, null), ('c4', 'sales', 40)
        ) as t(call_id, queue_name, handle_seconds)"""
    )
    columns = ["call_id", "queue_name", "handle_seconds"]
    sql = generic_test_sql("not_null.sql", "ccw_not_null", model="calls", columns=columns)
    assert sorted(con.execute(sql).fetchall()) == [("handle_seconds", 1), ("queue_name", 2)]

    con.execute("delete from calls where queue_name is null")
    assert con.execute(sql).fetchall() == []  # no nulls: the test passes
    con.execute("delete from calls")
    assert con.execute(sql).fetchall() == []  # an empty table (a quiet night) passes


def test_ccw_expressions_are_true_returns_each_broken_rule_and_how_many_rows_break_it():
    con = duckdb.connect()
    con.execute(
        """create table legs as select * from (values
            ('l1', 'inbound', 10, 4, 6), ('l2', 'inbound', 12, 4, 6), ('l3', 'outbound', -1, 0, 0),
            ('l4', 'inbound', null, 1, 1)
        ) as t(call_leg_id, direction, handle_seconds, talk_seconds, acw_seconds)"""
    )
    rules = [
        "handle_seconds = talk_seconds + acw_seconds",
        "handle_seconds >= 0",
        "direction in ('inbound', 'outbound')",
    ]
    sql = generic_test_sql(
        "expressions_are_true.sql", "ccw_expressions_are_true", model="legs", expressions=rules
    )
    # l2 and l3 break the first rule, l3 the second; a null (l4) breaks none, as with
    # `where not (rule)`. A rule's quotes are shown as double quotes.
    assert sorted(con.execute(sql).fetchall()) == [
        ("handle_seconds = talk_seconds + acw_seconds", 2),
        ("handle_seconds >= 0", 1),
    ]
    con.execute("delete from legs where call_leg_id in ('l2', 'l3')")
    assert con.execute(sql).fetchall() == []
    con.execute("delete from legs")
    assert con.execute(sql).fetchall() == []  # an empty table (a quiet night) passes
