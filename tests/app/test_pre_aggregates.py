"""The app's pre-aggregated answers equal the same answers computed call by call.

The journey page, the new-hire ramp, a team's agents and the queue scorecard read marts
shaped for them (a journey row that carries its call's filters; answered calls summed by
day, agent and tenure week; each agent's legs summed by day; each wait with its count of
legs; the calls' squared costs summed by day and filter) so a year of a large center
answers fast (docs/benchmarks.md). Here each answer is checked against
the call-grain query it replaced, on the sample's published snapshot, with and without
filters.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from ccw.dashboard import queries
from ccw.dashboard.filters import Filters
from ccw.dashboard.snapshot import Snapshot

RAMP_FROM_CALLS = """
    select
        least(calls.answering_agent_tenure_days // 7, 26) as tenure_week,
        count(*) as answered_calls,
        sum(calls.handle_seconds) as handle_seconds,
        sum(calls.answered_leg_count) as handled_legs,
        count(calls.is_resolved) as resolution_observed_calls,
        count(*) filter (where calls.is_resolved) as resolved_calls,
        sum(calls.handle_seconds) * 1.0 / sum(calls.answered_leg_count) as aht_seconds
    from marts.fct_calls as calls
    where {where} and calls.is_answered
    group by 1
    order by 1
"""

AGENTS_FROM_LEGS_AND_CALLS = """
    with handled as (
        select agent_id, count(*) as handled_legs, sum(handle_seconds) as handle_seconds
        from marts.fct_call_legs as legs
        where legs.is_answered and legs.team_name = ?
            and legs.contact_local_date between ? and ? {leg_queue}
        group by agent_id
    ),
    outcomes as (
        select answering_agent_id as agent_id, count(*) as answered_calls,
            count(is_resolved) as resolution_observed_calls,
            count(*) filter (where is_resolved) as resolved_calls,
            count(csat_score) as csat_responses,
            count(*) filter (where csat_score >= 4) as csat_top_two_box
        from marts.fct_calls as calls
        where {where} and calls.answering_team_name = ?
        group by all
    ),
    tenure as (
        -- Of any queue: an agent who answered the queue's calls only after a transfer
        -- has no leg in it, and still a tenure.
        select agent_id, max(agent_tenure_days) as tenure_days
        from marts.fct_call_legs as legs
        where legs.is_answered and legs.team_name = ?
            and legs.contact_local_date between ? and ?
        group by agent_id
    )
    select agent_id, tenure.tenure_days,
        coalesce(outcomes.answered_calls, 0) as answered_calls,
        coalesce(handled.handled_legs, 0) as handled_legs, handled.handle_seconds,
        coalesce(outcomes.resolution_observed_calls, 0) as resolution_observed_calls,
        coalesce(outcomes.resolved_calls, 0) as resolved_calls,
        coalesce(outcomes.csat_responses, 0) as csat_responses,
        coalesce(outcomes.csat_top_two_box, 0) as csat_top_two_box
    from handled
    full join outcomes using (agent_id)
    left join tenure using (agent_id)
    order by handled_legs desc, agent_id
"""

JOURNEYS_FROM_CALLS = """
    with bounds as (select max(started_local_date) as last_day from marts.fct_calls)
    select
        journeys.is_answered, journeys.wait_band, journeys.agent_tenure_band,
        journeys.customer_tenure_band, journeys.is_resolved, journeys.has_churned_within_30d,
        calls.is_repeat_window_ended as is_repeat_observed,
        calls.started_local_date <= bounds.last_day - 31 as is_churn_observed,
        count(*) as calls
    from marts.fct_customer_journey as journeys
    inner join marts.fct_calls as calls on journeys.call_id = calls.call_id
    cross join bounds
    where {where}
    group by all
"""
JOURNEY_KEYS = [
    "is_answered",
    "wait_band",
    "agent_tenure_band",
    "customer_tenure_band",
    "is_resolved",
    "has_churned_within_30d",
    "is_repeat_observed",
    "is_churn_observed",
]


@pytest.fixture
def snapshot(snapshot_path) -> Snapshot:
    return Snapshot(snapshot_path)


def _filter_cases(snapshot: Snapshot) -> list[Filters]:
    first, last = snapshot.query(
        "select min(started_local_date), max(started_local_date) from marts.fct_calls"
    ).iloc[0]
    busiest = snapshot.query(
        """select first_queue_name, customer_segment, answering_team_name
        from marts.fct_calls where answering_team_name is not null and customer_id is not null
        group by all order by count(*) desc limit 1"""
    ).iloc[0]
    whole = Filters(start=first, end=last)
    return [
        whole,
        Filters(start=last - timedelta(days=13), end=last),
        Filters(start=first, end=last, queue=(busiest["first_queue_name"],)),
        Filters(start=first, end=last, segment=(busiest["customer_segment"], "unknown")),
        Filters(start=first, end=last, team=(busiest["answering_team_name"],)),
    ]


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.sort_values(keys, na_position="first").reset_index(drop=True)


def test_the_new_hire_ramp_sums_to_what_its_calls_give(snapshot):
    for filters in _filter_cases(snapshot):
        where = queries.calls_where(filters)
        from_calls = snapshot.query(RAMP_FROM_CALLS.format(where=where.sql), where.parameters)
        ramp = queries.new_hire_ramp(snapshot, filters)
        assert len(ramp) > 1, filters
        assert ramp["answered_calls"].sum() > 0
        pd.testing.assert_frame_equal(
            ramp.drop(columns="fcr"), from_calls, check_dtype=False, check_exact=False
        )


def test_a_teams_agents_sum_to_what_their_legs_and_calls_give(snapshot):
    for filters in _filter_cases(snapshot):
        team = filters.team[0] if filters.team else _busiest_team(snapshot)
        where = queries.calls_where(filters)
        leg_queue = "and legs.queue_name = ?" if filters.queue else ""
        parameters = [team, filters.start, filters.end, *filters.queue[:1], *where.parameters, team]
        parameters += [team, filters.start, filters.end]
        sql = AGENTS_FROM_LEGS_AND_CALLS.format(where=where.sql, leg_queue=leg_queue)
        from_legs_and_calls = snapshot.query(sql, parameters)
        agents = queries.team_agents(snapshot, filters, team)
        assert len(agents) > 1 and agents["handled_legs"].sum() > 0, filters
        assert agents["resolution_observed_calls"].sum() > 0 and agents["csat_responses"].sum() > 0
        assert agents["tenure_days"].notna().all(), filters
        pd.testing.assert_frame_equal(
            agents.drop(columns=["aht_seconds", "fcr", "csat_top2"]),
            from_legs_and_calls,
            check_dtype=False,
        )


def _busiest_team(snapshot: Snapshot) -> str:
    return snapshot.query(
        "select team_name from marts.fct_call_legs where is_answered group by 1 "
        "order by count(*) desc limit 1"
    ).iloc[0, 0]


def test_outcomes_by_agent_tenure_are_those_of_the_answered_journeys(snapshot):
    counts = [
        "resolution_observed_calls",
        "resolved_calls",
        "churn_observed_calls",
        "churned_calls",
    ]
    whole, *others = _filter_cases(snapshot)
    for filters in (whole, *others):
        journeys = queries.journey_summary(snapshot, filters)
        answered = journeys[journeys["is_answered"]]
        from_journeys = answered.groupby("agent_tenure_band")[counts].sum().reset_index()
        outcomes = queries.outcomes_by_agent_tenure(snapshot, filters)
        assert len(outcomes) > 2, filters
        # The last fortnight's 30-day windows have not ended; the whole period's have.
        assert filters != whole or outcomes["churned_calls"].sum() > 0
        pd.testing.assert_frame_equal(
            _sorted(outcomes[["agent_tenure_band", *counts]], ["agent_tenure_band"]),
            _sorted(from_journeys, ["agent_tenure_band"]),
            check_dtype=False,
        )


def test_the_journey_summary_counts_what_joining_its_calls_counts(snapshot):
    for filters in _filter_cases(snapshot):
        where = queries.calls_where(filters)
        from_calls = snapshot.query(JOURNEYS_FROM_CALLS.format(where=where.sql), where.parameters)
        summary = queries.journey_summary(snapshot, filters)
        assert summary["calls"].sum() > 0, filters
        regrouped = summary.groupby(JOURNEY_KEYS, dropna=False)["calls"].sum().reset_index()
        pd.testing.assert_frame_equal(
            _sorted(regrouped, JOURNEY_KEYS), _sorted(from_calls, JOURNEY_KEYS), check_dtype=False
        )


def test_the_journey_funnel_and_the_overview_show_the_same_fcr(snapshot):
    for filters in _filter_cases(snapshot):
        tile = queries.customer_measures(snapshot, filters)
        summary = queries.journey_summary(snapshot, filters)
        followed = summary[summary["is_repeat_observed"].fillna(False).astype(bool)]
        answered = followed[followed["is_answered"]]
        resolved = answered[answered["is_resolved"].fillna(False).astype(bool)]
        assert answered["calls"].sum() == tile["resolution_observed_calls"] > 0, filters
        assert resolved["calls"].sum() == tile["resolved_calls"], filters


SURVEYS_FROM_CALLS = """
    with identified as (
        select * from marts.fct_calls where direction = 'inbound' and customer_id is not null
    ),

    called_back as (
        -- Recomputed from the calls: an abandoned call of the customer's ended at most
        -- the repeat window before this one started.
        select
            calls.call_id,
            exists (
                select 1 from identified as earlier
                where
                    earlier.customer_id = calls.customer_id
                    and earlier.is_abandoned
                    and earlier.ended_at < calls.started_at
                    and calls.started_at - earlier.ended_at <= to_days({repeat_days})
            ) as is_callback_after_abandon
        from identified as calls
    )

    select
        called_back.is_callback_after_abandon,
        calls.is_transferred,
        count(*) filter (where calls.is_answered) as answered_calls,
        count(calls.csat_score) as csat_responses,
        count(*) filter (where calls.csat_score >= 4) as csat_top_two_box,
        count(calls.nps_score) as nps_responses,
        count(*) filter (where calls.nps_score >= 9) as nps_promoters,
        count(*) filter (where calls.nps_score <= 6) as nps_detractors
    from identified as calls
    inner join called_back on calls.call_id = called_back.call_id
    where {where}
    group by all
"""
SURVEY_KEYS = ["is_callback_after_abandon", "is_transferred"]
SURVEY_COUNTS = [
    "csat_responses",
    "csat_top_two_box",
    "nps_responses",
    "nps_promoters",
    "nps_detractors",
]


def test_the_journey_summary_counts_surveys_and_callbacks_as_the_calls_do(snapshot):
    """CSAT and NPS by a callback after an abandon and by transfer: the journey page's
    counts equal the calls' own surveys, with the callback recomputed from the calls."""
    repeat_days = int(
        snapshot.query(
            "select setting_value from marts.build_settings "
            "where setting_name = 'repeat_window_days'"
        ).iloc[0, 0]
    )
    for filters in _filter_cases(snapshot):
        where = queries.calls_where(filters)
        from_calls = snapshot.query(
            SURVEYS_FROM_CALLS.format(where=where.sql, repeat_days=repeat_days), where.parameters
        )
        summary = queries.journey_summary(snapshot, filters)
        regrouped = summary.groupby(SURVEY_KEYS)[SURVEY_COUNTS].sum().reset_index()
        expected = from_calls[[*SURVEY_KEYS, *SURVEY_COUNTS]]
        pd.testing.assert_frame_equal(
            _sorted(regrouped, SURVEY_KEYS), _sorted(expected, SURVEY_KEYS), check_dtype=False
        )
        called_back = from_calls[from_calls["is_callback_after_abandon"]]
        assert called_back["answered_calls"].sum() > 0, filters
    assert from_calls["csat_responses"].sum() > 0


WAITS_FROM_LEGS = """
    select
        coalesce(queue_name, '{all_queues}') as key,
        quantile_cont(wait_seconds, 0.9) filter (where is_offered) as wait_p90_seconds,
        sum(wait_seconds * wait_seconds) filter (where is_answered) as answered_wait_squared,
        sum(handle_seconds::double * handle_seconds) filter (where is_answered)
            as handle_squared
    from marts.fct_call_legs
    where queued_local_date between ? and ? {queue}
    group by rollup (queue_name)
"""
WAIT_FIGURES = ["wait_p90_seconds", "answered_wait_squared", "handle_squared"]


def test_the_scorecard_waits_are_those_of_its_legs(snapshot):
    # The wait p90 and the sums of squares come from fct_daily_wait_distribution.
    for filters in _filter_cases(snapshot):
        queue = "and queue_name in (?)" if filters.queue else ""
        from_legs = snapshot.query(
            WAITS_FROM_LEGS.format(all_queues=queries.ALL_QUEUES, queue=queue),
            [filters.start, filters.end, *filters.queue],
        ).set_index("key")
        scorecard = queries.queue_scorecard(snapshot, filters).set_index("key")
        assert set(from_legs.index) <= set(scorecard.index), filters
        assert from_legs["wait_p90_seconds"].notna().all()
        pd.testing.assert_frame_equal(
            scorecard.loc[from_legs.index, WAIT_FIGURES], from_legs[WAIT_FIGURES],
            check_dtype=False, check_exact=False, rtol=1e-9,
        )  # fmt: skip


COSTS_FROM_CALLS = """
    select
        sum(calls.call_cost * calls.call_cost) as cost_squared,
        sum(calls.call_cost) filter (where calls.is_answered) as answered_cost,
        sum(calls.call_cost * calls.call_cost) filter (where calls.is_resolved is not null)
            as observed_cost_squared,
        sum(calls.call_cost) filter (where calls.is_resolved) as resolved_cost
    from marts.fct_calls as calls
    where {where}
"""


def test_the_cost_noise_sums_are_those_of_the_calls(snapshot):
    # Summed from fct_daily_calls, for the Overview and the scorecard.
    for filters in _filter_cases(snapshot):
        where = queries.calls_where(filters)
        from_calls = snapshot.query(COSTS_FROM_CALLS.format(where=where.sql), where.parameters)
        measures = queries.customer_measures(snapshot, filters)
        for name, value in from_calls.iloc[0].items():
            assert value > 0, (filters, name)
            assert measures[name] == pytest.approx(value, rel=1e-9), (filters, name)
