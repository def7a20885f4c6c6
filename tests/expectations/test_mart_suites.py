"""The mart suites pass on a real build and name what makes a mart implausible.

Each case copies one mart of the 35-day sample's build (tests/conftest.py
``sample_marts``: two months, so month-on-month marts have rows) into a small
warehouse of its own and breaks one row the way a bug upstream would.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from expectations.marts import MART_SUITES
from tests.expectations.support import failed_names


def _one_mart(source: Path, mart: str, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    warehouse = folder / "one_mart.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"attach '{source}' as source (read_only)")
        con.execute("create schema if not exists marts")
        con.execute(f"create table marts.{mart} as select * from source.marts.{mart}")
    return warehouse


def test_every_mart_suite_passes_on_the_build(sample_marts, tmp_path, run_suite_on):
    for suite in MART_SUITES:
        mart = suite.asset[1]
        outcome = run_suite_on(_one_mart(sample_marts, mart, tmp_path / mart), suite.name)
        assert outcome.rows > 0 and outcome.outcomes, mart
        assert not outcome.failed(), (mart, failed_names(outcome))


FIRST = "rowid = (select min(rowid) from marts.{mart} where {where})"
IMPLAUSIBLE_MARTS = {
    "service level above 1": (
        "fct_interval_service",
        "set service_level = 1.2",
        "service_level is not null",
        "expect_column_values_to_be_between(service_level)",
    ),
    "more agents staffed than logged in": (
        "fct_interval_service",
        "set staffed_agents = logged_in_agents + 1",
        "logged_in_agents > 0",
        "expect_column_pair_values_a_to_be_greater_than_b(logged_in_agents, staffed_agents)",
    ),
    "an abandon rate above 1": (
        "fct_daily_service",
        "set abandon_rate = 1.5",
        "abandon_rate is not null",
        "expect_column_values_to_be_between(abandon_rate)",
    ),
    "negative headcount": (
        "fct_agent_retention",
        "set headcount_at_end = -1",
        "true",
        "expect_column_values_to_be_between(headcount_at_end)",
    ),
    "cost per contact in cents": (
        "fct_cost_loyalty",
        "set cost_per_contact = cost_per_contact * 100",
        "cost_per_contact is not null",
        "expect_column_values_to_be_between(cost_per_contact)",
    ),
    "an answered call without a cost": (
        "fct_calls",
        "set call_cost = null",
        "is_answered",
        "expect_column_values_to_not_be_null(call_cost) where is_answered == True",
    ),
    "a caller number in clear text": (
        "fct_calls",
        "set caller_hash = '+15551234567'",
        "caller_hash is not null",
        "expect_column_values_to_match_regex(caller_hash)",
    ),
    "a survival probability above 1": (
        "fct_agent_survival",
        "set survival_probability = 1.1",
        "true",
        "expect_column_values_to_be_between(survival_probability)",
    ),
    "a repeat rate above 1": (
        "fct_bad_trades",
        "set previous_answered_repeat_rate = 1.3",
        "previous_answered_repeat_rate is not null",
        "expect_column_values_to_be_between(previous_answered_repeat_rate)",
    ),
    "a journey twice": (
        "fct_customer_journey",
        "set call_id = (select max(call_id) from marts.fct_customer_journey)",
        "call_id <> (select max(call_id) from marts.fct_customer_journey)",
        "expect_column_values_to_be_unique(call_id)",
    ),
    "negative headcount days": (
        "fct_agent_months",
        "set headcount_days = -3",
        "true",
        "expect_column_values_to_be_between(headcount_days)",
    ),
    "an agent who costs nothing": (
        "dim_agents",
        "set hourly_cost = 0",
        "true",
        "expect_column_values_to_be_between(hourly_cost)",
    ),
    "a customer twice": (
        "dim_customers",
        "set customer_id = (select max(customer_id) from marts.dim_customers)",
        "customer_id <> (select max(customer_id) from marts.dim_customers)",
        "expect_column_values_to_be_unique(customer_id)",
    ),
}


@pytest.mark.parametrize("case", list(IMPLAUSIBLE_MARTS))
def test_an_implausible_mart_fails_its_expectation(case, sample_marts, tmp_path, run_suite_on):
    mart, assignment, where, expected = IMPLAUSIBLE_MARTS[case]
    warehouse = _one_mart(sample_marts, mart, tmp_path)
    change = f"update marts.{mart} {assignment} where " + FIRST.format(mart=mart, where=where)
    outcome = run_suite_on(warehouse, f"mart_{mart}", "test-run", change)
    assert failed_names(outcome) == [expected]
    assert not outcome.passed and outcome.failed()[0].severity == "critical"
    assert outcome.failed()[0].sample  # the key of the bad row and its value
