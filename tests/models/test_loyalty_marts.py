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


def test_fcr_counts_answered_calls_whose_repeat_window_has_ended(sample_marts):
    # The data is known up to the latest call, or the latest case if the CRM is behind.
    known = """(select least(max(contacted_at) filter (where contact_type = 'call'),
                            max(contacted_at) filter (where contact_type = 'case'))
               from intermediate.int_customer_contacts_unioned)"""
    counts = query(
        sample_marts,
        f"""select
            count(*) filter (where is_resolved is not null),
            count(*) filter (where is_answered and ended_at + interval 7 day <= {known}),
            count(*) filter (where not is_answered and is_resolved is not null),
            count(*) filter (where ended_at + interval 7 day > {known}
                and (is_resolved is not null or has_repeat_within_7d is not null)),
            count(*) filter (where not is_answered and has_repeat_within_1d),
            count(*) filter (where ended_at + interval 30 day <= {known}
                and has_repeat_within_30d is null)
        from marts.fct_calls where direction = 'inbound' and customer_id is not null""",
    )[0]
    followed, answered_and_ended, unanswered_resolved, unended_known, callbacks, missing = counts
    assert followed == answered_and_ended > 0
    assert unanswered_resolved == 0  # an abandon is never "resolved"
    assert unended_known == 0  # before its window ends, resolution is unknown
    assert callbacks > 0  # a call back after an abandon is still a repeat
    assert missing == 0
    in_marts = query(
        sample_marts,
        """select
            (select sum(resolution_observed_calls) from marts.fct_cost_loyalty
                where breakdown = 'segment_queue'),
            (select sum(resolution_observed_calls) from marts.fct_daily_calls),
            (select sum(resolution_observed_calls) from marts.fct_daily_answered_calls_by_tenure)""",
    )[0]
    assert in_marts == (followed, followed, followed)


def test_bad_trades_compare_each_segment_and_queue_with_the_month_before(sample_marts):
    months, mismatched = query(
        sample_marts,
        """select count(distinct month_start),
            count(*) filter (where previous_month_start <> month_start - interval 1 month)
        from marts.fct_bad_trades""",
    )[0]
    assert (months, mismatched) == (1, 0)  # the sample's April against its March
