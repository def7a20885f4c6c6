"""fct_cost_loyalty and fct_bad_trades add up to the facts they summarize."""

from __future__ import annotations

import pytest

from tests.warehouse_support import query


def test_both_breakdowns_count_every_call_and_every_cost(built):
    calls, answered, cost = query(
        built,
        """select count(*), count(*) filter (where is_answered), sum(call_cost)
        from marts.fct_calls where direction = 'inbound'""",
    )[0]
    by_segment = query(
        built,
        """select sum(inbound_calls), sum(answered_calls), sum(total_cost)
        from marts.fct_cost_loyalty where breakdown = 'segment_queue'""",
    )[0]
    by_team = query(
        built,
        """select sum(inbound_calls), sum(answered_calls), sum(total_cost)
        from marts.fct_cost_loyalty where breakdown = 'team'""",
    )[0]
    assert by_segment[:2] == (calls, answered)
    assert by_segment[2] == pytest.approx(cost, rel=1e-9)
    # Team rows hold the answered calls, and all of their cost.
    answered_cost = query(
        built,
        "select sum(call_cost) from marts.fct_calls where direction = 'inbound' and is_answered",
    )[0][0]
    assert by_team[:2] == (answered, answered)
    assert by_team[2] == pytest.approx(answered_cost, rel=1e-9)


def test_attrition_cost_is_shared_out_without_loss(built):
    retention, by_team, by_segment = query(
        built,
        """select
            (select sum(attrition_cost) from marts.fct_agent_retention),
            (select sum(attrition_cost) from marts.fct_cost_loyalty where breakdown = 'team'),
            (select sum(attrition_cost) from marts.fct_cost_loyalty
                where breakdown = 'segment_queue')""",
    )[0]
    assert retention > 0
    assert by_team == pytest.approx(retention, rel=1e-9)
    assert by_segment == pytest.approx(retention, rel=1e-9)


def test_fcr_only_counts_calls_whose_repeat_window_has_passed(sample_marts):
    last_day, observed, identified_early = query(
        sample_marts,
        """select
            (select max(started_local_date) from marts.fct_calls),
            (select sum(resolution_observed_calls) from marts.fct_cost_loyalty
                where breakdown = 'segment_queue'),
            (select count(*) from marts.fct_calls
                where direction = 'inbound' and customer_id is not null
                and started_local_date <= (select max(started_local_date) - 8
                    from marts.fct_calls))""",
    )[0]
    assert last_day is not None
    assert observed == identified_early > 0


def test_bad_trades_compare_each_segment_and_queue_with_the_month_before(sample_marts):
    months, mismatched = query(
        sample_marts,
        """select count(distinct month_start),
            count(*) filter (where previous_month_start <> month_start - interval 1 month)
        from marts.fct_bad_trades""",
    )[0]
    assert (months, mismatched) == (1, 0)  # the sample's April against its March
