"""The raw contract suites pass on generated exports and name each broken rule.

The sample is two generated days of a small center, landed by the real loader. Each
case breaks one rule by hand in a private copy (the way a loader bug, a hand edit or
a contract-conforming but wrong export would), and the suite must fail on exactly
that expectation, pointing at the file and line.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from ccw.contract import TABLES
from ccw.generator import GenerateRequest, generate
from expectations import Scope, suite_named
from tests.expectations.support import failed_names
from tests.warehouse_support import copy_warehouse, land_all

FIRST_ANSWERED_LEG = "rowid = (select min(rowid) from raw.calls where answered_at is not null)"
FIRST_ABANDONED_LEG = "rowid = (select min(rowid) from raw.calls where disposition = 'abandoned')"


@pytest.fixture(scope="module")
def landed(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("raw_rules")
    generate(
        GenerateRequest(
            out=root / "landing", start=date(2026, 3, 2), days=2, agents=8, customers=800, seed=3
        )
    )
    warehouse = root / "warehouse" / "ccw.duckdb"
    land_all(root / "landing", warehouse)
    return warehouse


def test_every_raw_suite_passes_on_generated_exports(landed, tmp_path, run_suite_on):
    warehouse = copy_warehouse(landed, tmp_path)
    for table in TABLES:
        outcome = run_suite_on(warehouse, f"raw_{table.name}_rules")
        assert outcome.rows > 0 and outcome.outcomes, table.name
        assert outcome.passed and not outcome.failed(), (table.name, failed_names(outcome))


BROKEN_RULES = {
    "duplicate key in a delivery": (
        "calls",
        f"insert into raw.calls select * from raw.calls where {FIRST_ANSWERED_LEG}",
        "expect_compound_columns_to_be_unique(call_id, leg, _load_id)",
    ),
    "value outside the enum": (
        "calls",
        f"update raw.calls set disposition = 'hung_up' where {FIRST_ANSWERED_LEG}",
        "expect_column_values_to_be_in_set(disposition)",
    ),
    "required value missing": (
        "calls",
        f"update raw.calls set queue = null where {FIRST_ANSWERED_LEG}",
        "expect_column_values_to_not_be_null(queue)",
    ),
    "negative duration": (
        "calls",
        f"update raw.calls set hold_seconds = -5 where {FIRST_ANSWERED_LEG}",
        "expect_column_values_to_be_between(hold_seconds)",
    ),
    "answered before queued": (
        "calls",
        "update raw.calls set answered_at = queued_at - interval 1 minute "
        f"where {FIRST_ANSWERED_LEG}",
        "expect_column_pair_values_a_to_be_greater_than_b(answered_at, queued_at)",
    ),
    "answered leg without an agent": (
        "calls",
        f"update raw.calls set agent_id = null where {FIRST_ANSWERED_LEG}",
        "expect_column_values_to_not_be_null(agent_id) where answered_at is not null",
    ),
    "abandoned leg with talk time": (
        "calls",
        f"update raw.calls set talk_seconds = 30 where {FIRST_ABANDONED_LEG}",
        "expect_column_values_to_be_between(talk_seconds) where answered_at is null",
    ),
    "score outside its scale": (
        "responses",
        "update raw.responses set csat = 9 "
        "where rowid = (select min(rowid) from raw.responses where csat is not null)",
        "expect_column_values_to_be_between(csat)",
    ),
    "state ends before it starts": (
        "agent_states",
        "update raw.agent_states set ended_at = started_at - interval 1 second "
        "where rowid = (select min(rowid) from raw.agent_states)",
        "expect_column_pair_values_a_to_be_greater_than_b(ended_at, started_at)",
    ),
    "cancelled customer without a cancellation time": (
        "customers",
        "update raw.customers set status = 'cancelled', cancelled_at = null "
        "where rowid = (select min(rowid) from raw.customers where status = 'active')",
        "expect_column_values_to_not_be_null(cancelled_at) where status == 'cancelled'",
    ),
    "case closed before it opened": (
        "cases",
        "update raw.cases set closed_at = opened_at - interval 1 hour "
        "where rowid = (select min(rowid) from raw.cases)",
        "expect_column_pair_values_a_to_be_greater_than_b(closed_at, opened_at)",
    ),
    "digital channel outside the enum": (
        "digital_events",
        "update raw.digital_events set channel = 'fax' "
        "where rowid = (select min(rowid) from raw.digital_events)",
        "expect_column_values_to_be_in_set(channel)",
    ),
    "engagement outside its scale": (
        "engagement",
        "update raw.engagement set engagement = 7 "
        "where rowid = (select min(rowid) from raw.engagement)",
        "expect_column_values_to_be_between(engagement)",
    ),
    "leaver without a termination type": (
        "agents",
        "update raw.agents set terminated_on = hired_on + 1, termination_type = null "
        "where rowid = (select min(rowid) from raw.agents where terminated_on is null)",
        "expect_column_values_to_not_be_null(termination_type) where terminated_on is not null",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN_RULES))
def test_a_broken_rule_fails_its_expectation_and_says_where(case, landed, tmp_path, run_suite_on):
    table, change, expected = BROKEN_RULES[case]
    warehouse = copy_warehouse(landed, tmp_path)
    outcome = run_suite_on(warehouse, f"raw_{table}_rules", "test-run", change)
    assert not outcome.passed
    assert failed_names(outcome) == [expected]
    (failure,) = outcome.failed()
    assert failure.severity == "critical" and failure.unexpected and failure.unexpected >= 1
    assert failure.why
    assert failure.sample[0].startswith(f"_source_file={TABLES_BY_NAME[table].source}/{table}_")
    assert "_line_number=" in failure.sample[0]


TABLES_BY_NAME = {table.name: table for table in TABLES}


def test_a_column_of_the_wrong_type_or_a_missing_column_is_named(landed, tmp_path, run_suite_on):
    warehouse = copy_warehouse(landed, tmp_path)
    retyped = run_suite_on(
        warehouse, "raw_orders_rules", "r", "alter table raw.orders alter amount type varchar"
    )
    assert "expect_column_values_to_be_of_type(amount)" in failed_names(retyped)
    dropped = run_suite_on(
        warehouse, "raw_orders_rules", "r", "alter table raw.orders drop column channel"
    )
    assert "expect_table_columns_to_match_set()" in failed_names(dropped)


def test_personal_data_is_read_redacted_so_no_sample_can_show_it(landed, tmp_path):
    suite = suite_named("raw_customers_rules")
    with duckdb.connect(str(copy_warehouse(landed, tmp_path))) as con:
        frame = suite.read(con, Scope(run_id="r", suite="nobody"))
    assert len(frame) > 0
    for column in ("email", "phone"):
        assert set(frame[column].dropna()) == {"<redacted>"}


def test_a_passed_delivery_is_not_read_again_and_a_failed_one_is(landed, tmp_path, run_suite_on):
    warehouse = copy_warehouse(landed, tmp_path)
    first = run_suite_on(warehouse, "raw_calls_rules", "run-1")
    assert first.passed and first.rows > 0
    assert run_suite_on(warehouse, "raw_calls_rules", "run-2").rows == 0  # nothing new
    bad = run_suite_on(
        warehouse,
        "raw_orders_rules",
        "run-3",
        "update raw.orders set channel = 'fax' where rowid = (select min(rowid) from raw.orders)",
    )
    assert not bad.passed
    again = run_suite_on(warehouse, "raw_orders_rules", "run-4")
    assert not again.passed and again.rows == bad.rows  # checked until it is fixed


def test_large_loads_are_validated_in_batches_of_whole_deliveries(
    landed, tmp_path, run_suite_on, monkeypatch
):
    """A first load of a year does not fit in one DataFrame: the suite reads it in
    batches of whole deliveries, adds the counts up, and records the batches that
    passed, so a bad row in one day's calls leaves the other day's passed."""
    from expectations import raw_rules

    assert raw_rules.load_ranges([(1, 5), (2, 5), (3, 20), (4, 1)], 10) == [(1, 2), (3, 3), (4, 4)]
    warehouse = copy_warehouse(landed, tmp_path)
    with duckdb.connect(str(warehouse)) as con:
        per_load = dict(con.execute(
            "select _load_id, count(*) from raw.calls where _is_current group by 1"
        ).fetchall())  # fmt: skip
    assert len(per_load) == 2
    monkeypatch.setattr(raw_rules, "BATCH_ROWS", min(per_load.values()))
    second_day = max(per_load)
    outcome = run_suite_on(
        warehouse, "raw_calls_rules", "batched",
        "update raw.calls set queue = null where rowid = (select min(rowid) from raw.calls "
        f"where _load_id = {second_day})",
    )  # fmt: skip
    assert failed_names(outcome) == ["expect_column_values_to_not_be_null(queue)"]
    (failure,) = outcome.failed()
    assert failure.unexpected == 1 and failure.checked == sum(per_load.values())
    assert outcome.rows == sum(per_load.values())
    with duckdb.connect(str(warehouse)) as con:
        passed = con.execute(
            "select load_id from ingest.expectation_passes where suite_name = 'raw_calls_rules'"
        ).fetchall()
    assert passed == [(min(per_load),)]


def test_a_failing_sample_quotes_times_in_the_centers_local_time(landed, tmp_path, run_suite_on):
    """The exports are written in local time with its offset; so are the samples, never
    UTC without a word."""
    table, change, _ = BROKEN_RULES["case closed before it opened"]
    outcome = run_suite_on(copy_warehouse(landed, tmp_path), f"raw_{table}_rules", "r", change)
    (failure,) = outcome.failed()
    assert "-05:00" in failure.sample[0] and "+00:00" not in failure.sample[0], failure.sample


def test_no_frame_is_kept_once_its_suite_is_validated(landed, tmp_path):
    """GX's execution engine would keep the last frame of every suite it validated
    for as long as the run's context lives: a million rows each on a year's load."""
    from expectations.gx_project import DATASOURCE, ephemeral_context
    from expectations.run import run_suite

    context = ephemeral_context()
    with duckdb.connect(str(copy_warehouse(landed, tmp_path))) as con:
        outcomes = [
            run_suite(suite_named(name), con, Scope("kept"), context)
            for name in ("raw_calls_rules", "raw_agents_rules")
        ]
    assert all(outcome.rows > 0 for outcome in outcomes)
    engine = context.data_sources.get(DATASOURCE).get_execution_engine()
    assert engine.batch_manager.batch_data_cache == {}
    assert not engine.batch_manager.batch_cache
