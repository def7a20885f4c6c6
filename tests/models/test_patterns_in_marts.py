"""The generator's causal patterns, found again in the marts the main job builds.

The generator plants them (docs/sources.md); these tests read them back from the marts
an analyst or the app would query, with margins well inside the planted effects and
z-statistics chance cannot reach. The call-level patterns use the 35-day sample; exits
are rare, so early attrition uses a year of a large roster (HR exports only).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ccw.generator.engine import GenerateRequest, Generator
from ccw.pipeline import run_pipeline
from tests.generator.test_patterns import z_for_rates
from tests.warehouse_support import query


@pytest.fixture(scope="module")
def hr_year_marts(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hr_year")
    request = GenerateRequest(
        out=root / "landing", start=date(2026, 1, 5), days=365, agents=1000, customers=1, seed=5
    )
    Generator(request).run_workforce_only()
    warehouse = root / "ccw.duckdb"
    outcome = run_pipeline(request.out, warehouse)
    assert outcome.ok, (outcome.failed_steps, outcome.failed_checks)
    return warehouse


def _rates(rows) -> dict:
    """{label: (hits, n)} from rows of (label, hits, n)."""
    return {label: (hits, count) for label, hits, count in rows}


# Identified inbound calls whose repeat window ended before the data did.
OBSERVED_CALLS = """
    select * from marts.fct_customer_journey
    where started_local_date
        <= (select max(started_local_date) from marts.fct_calls) - interval 8 day
"""


def test_repeat_contacts_follow_unresolved_calls(sample, sample_marts):
    # The generator's own label says whether a call solved the issue; the mart's repeat
    # flag, measured from later calls and cases alone, must follow it.
    rows = query(
        sample_marts,
        f"""
        select truth.outcome, sum(journey.has_repeat_within_7d::int), count(*)
        from ({OBSERVED_CALLS}) as journey
        join read_csv('{sample.truth}/*.csv') as truth using (call_id)
        where truth.outcome in ('resolved', 'unresolved')
        group by 1
        """,
    )
    rates = _rates(rows)
    unresolved, resolved = rates["unresolved"], rates["resolved"]
    assert unresolved[0] / unresolved[1] > 2 * resolved[0] / resolved[1]
    assert z_for_rates(*unresolved, *resolved) > 10


def test_customers_churn_after_repeat_contacts(sample_marts):
    # Landmark design: churn counted from the end of the repeat window, among customers
    # still active then (a customer who cancels at once has no time left to call again).
    rows = query(
        sample_marts,
        f"""
        select journey.has_repeat_within_7d,
            sum((customers.churned_date <= journey.started_local_date + 21)::int),
            count(*)
        from ({OBSERVED_CALLS}) as journey
        join marts.dim_customers as customers using (customer_id)
        where journey.started_local_date
                <= (select max(started_local_date) from marts.fct_calls) - interval 21 day
            and (customers.churned_date is null
                or customers.churned_date > journey.started_local_date + 7)
        group by 1
        """,
    )
    rates = _rates(rows)
    with_repeat, without = rates[True], rates[False]
    assert with_repeat[0] / with_repeat[1] > 1.5 * without[0] / without[1]
    assert z_for_rates(*with_repeat, *without) > 3


def test_new_agents_handle_longer_and_resolve_less(sample_marts):
    rows = query(
        sample_marts,
        f"""
        select agent_tenure_days < 90 as is_new_agent,
            sum((not is_resolved)::int), count(*), avg(handle_seconds)
        from ({OBSERVED_CALLS})
        where is_answered and not is_transferred
        group by 1
        """,
    )
    by_tenure = {is_new: (unresolved, calls, aht) for is_new, unresolved, calls, aht in rows}
    new, tenured = by_tenure[True], by_tenure[False]
    assert new[1] > 500, "the sample must hold calls answered by new agents"
    assert new[2] > 1.15 * tenured[2]
    assert new[0] / new[1] > 1.1 * tenured[0] / tenured[1]
    assert z_for_rates(new[0], new[1], tenured[0], tenured[1]) > 3


def test_agents_leave_early(hr_year_marts):
    rows = query(
        hr_year_marts,
        """
        select tenure_days < 90, sum(exits), sum(agents_at_risk)
        from marts.fct_agent_survival group by 1
        """,
    )
    rates = _rates(rows)
    early, later = rates[True], rates[False]
    assert early[0] > 50
    assert early[0] / early[1] > 2 * later[0] / later[1]
    assert z_for_rates(*early, *later) > 5
    # The retention mart counts the same early exits, month by month.
    assert query(hr_year_marts, "select sum(early_exits) from marts.fct_agent_retention") == [
        (early[0],)
    ]


def test_the_survival_curve_falls_fastest_in_the_first_90_days(hr_year_marts):
    pooled = dict(
        query(
            hr_year_marts,
            """
            with by_tenure as (
                select tenure_days, sum(exits) as exits, sum(agents_at_risk) as at_risk
                from marts.fct_agent_survival group by 1
            )
            select tenure_days,
                exp(sum(ln(1 - exits / at_risk)) over (order by tenure_days))
            from by_tenure
            """,
        )
    )
    first_quarter_loss = 1 - pooled[89]
    second_quarter_loss = 1 - pooled[179] / pooled[89]
    assert first_quarter_loss > 1.5 * second_quarter_loss
