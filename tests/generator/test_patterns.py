"""The causal patterns the marts and the app must show are in the generated data.

Each test measures a pattern from the exports (the generator's ground truth supplies
only the label an export cannot carry, such as whether a call resolved the issue) and
asserts it with a margin and a z-statistic that chance cannot reach.
"""

from __future__ import annotations

import math


def z_for_rates(hits_a: float, n_a: float, hits_b: float, n_b: float) -> float:
    """Two-proportion z statistic for rate a > rate b."""
    pooled = (hits_a + hits_b) / (n_a + n_b)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    return (hits_a / n_a - hits_b / n_b) / spread


def _rates(rows):
    """{label: (hits, n)} from rows of (label, hits, n)."""
    return {label: (hits, count) for label, hits, count in rows}


REPEATS = """
    with call_ends as (
        select call_id, max(ended_at) as ended_at from calls group by call_id
    ),
    contacts as (
        select call_id as source_id, customer_id, min(coalesce(ivr_started_at, queued_at)) as at
        from calls
        where direction = 'inbound' and customer_id is not null
        group by all
        union all
        select case_id, customer_id, min(opened_at) from cases where call_id is null group by all
    )
    select outcomes.call_id, outcomes.customer_id, outcomes.outcome, call_ends.ended_at,
        exists (
            select 1 from contacts
            where contacts.customer_id = outcomes.customer_id
                and contacts.source_id <> outcomes.call_id
                and contacts.at > call_ends.ended_at
                and contacts.at <= call_ends.ended_at + interval 7 day
        ) as has_repeat
    from outcomes
    join call_ends using (call_id)
    where outcomes.outcome in ('resolved', 'unresolved') and outcomes.customer_id is not null
        and call_ends.ended_at < (select max(ended_at) from calls) - interval 7 day
"""


def test_repeat_contacts_follow_unresolved_calls(sample):
    rates = _rates(
        sample.sql.execute(
            f"select outcome, sum(has_repeat::int), count(*) from ({REPEATS}) group by 1"
        ).fetchall()
    )
    unresolved, resolved = rates["unresolved"], rates["resolved"]
    assert unresolved[0] / unresolved[1] > 1.4 * resolved[0] / resolved[1]
    assert z_for_rates(*unresolved, *resolved) > 5


def test_customers_with_repeat_contacts_churn_more(sample):
    # A landmark comparison: churn is counted from the end of the repeat window, among
    # customers still active then. Counting from the call would favour "no repeat",
    # since a customer who cancels within days has no time left to call again.
    rows = sample.sql.execute(
        f"""
        with calls_followed as ({REPEATS}),
        cancellations as (
            select customer_id, min(cancelled_at) as cancelled_at from customers group by 1
        )
        select has_repeat,
            sum((cancelled_at <= ended_at + interval 21 day)::int),
            count(*)
        from calls_followed join cancellations using (customer_id)
        where ended_at < (select max(ended_at) from calls) - interval 21 day
            and (cancelled_at is null or cancelled_at > ended_at + interval 7 day)
        group by 1
        """
    ).fetchall()
    rates = _rates(rows)
    with_repeats, without = rates[True], rates[False]
    assert with_repeats[0] / with_repeats[1] > 1.5 * without[0] / without[1]
    assert z_for_rates(*with_repeats, *without) > 3


INTERVALS = """
    with legs as (
        select time_bucket(interval 30 minute, queued_at) as interval_start,
            epoch(coalesce(answered_at, ended_at) - queued_at) as wait_seconds,
            answered_at is not null and epoch(answered_at - queued_at) <= 20 as within_threshold,
            disposition = 'abandoned' and epoch(ended_at - queued_at) >= 5 as counted_abandon
        from calls
        where queued_at is not null and direction = 'inbound'
            and disposition <> 'callback_requested'
            and not (disposition = 'abandoned' and epoch(ended_at - queued_at) < 5)
    ),
    service as (
        select interval_start, count(*) as offered, avg(wait_seconds) as mean_wait_seconds,
            sum(within_threshold::int) / count(*) as service_level
        from legs group by 1
    ),
    slices as (
        select time_bucket(interval 30 minute, started_at) as interval_start,
            greatest(started_at, time_bucket(interval 30 minute, started_at)) as slice_start,
            least(ended_at, time_bucket(interval 30 minute, started_at) + interval 30 minute) as slice_end
        from agent_states
        where state in ('available', 'on_call', 'hold', 'acw')
    ),
    staffing as (
        select interval_start, sum(epoch(slice_end - slice_start)) / 1800 as staffed_agents
        from slices group by 1
    )
    select service.*, staffed_agents, offered / staffed_agents as calls_per_staffed_agent
    from service join staffing using (interval_start)
    where staffed_agents >= 1
"""


def test_intervals_with_fewer_staffed_agents_per_call_wait_longer(sample):
    quartiles = sample.sql.execute(
        f"""
        select ntile(4) over (order by calls_per_staffed_agent) as quartile, mean_wait_seconds
        from ({INTERVALS})
        """
    ).fetchall()
    by_quartile = {}
    for quartile, wait in quartiles:
        by_quartile.setdefault(quartile, []).append(wait)
    least_staffed = sum(by_quartile[4]) / len(by_quartile[4])
    best_staffed = sum(by_quartile[1]) / len(by_quartile[1])
    assert least_staffed > 2 * best_staffed
    assert least_staffed - best_staffed > 30  # seconds


def test_a_good_daily_average_hides_bad_intervals(sample):
    days = sample.sql.execute(
        f"""
        select interval_start::date as day,
            sum(service_level * offered) / sum(offered) as daily_service_level,
            min(service_level) filter (where offered >= 10) as worst_interval
        from ({INTERVALS}) group by 1
        """
    ).fetchall()
    hidden = [
        day for day, daily, worst in days if daily >= 0.75 and worst is not None and worst < 0.5
    ]
    assert len(hidden) >= 3, days


def test_new_hires_are_slower_and_transfer_more(sample):
    # Handle time compared queue by queue, on legs the agent kept: queues differ far more
    # in handle time than agents do, and a transferred leg is short whoever takes it.
    rows = sample.sql.execute(
        """
        with legs as (
            select calls.queue,
                answered_at::date - agents.hired_on < 90 as is_new,
                talk_seconds + hold_seconds + acw_seconds as handle_seconds,
                disposition = 'transferred' as transferred
            from calls
            join agents on agents.agent_id = calls.agent_id
                and agents.filename like '%' || strftime(calls.answered_at, '%Y-%m-%d') || '%'
            where answered_at is not null and direction = 'inbound'
        ),
        by_queue as (
            select queue,
                avg(handle_seconds) filter (is_new and not transferred) as new_handle,
                avg(handle_seconds) filter (not is_new and not transferred) as tenured_handle,
                count(*) filter (is_new) as new_legs
            from legs group by 1
        )
        select
            (select sum(new_handle / tenured_handle * new_legs) / sum(new_legs) from by_queue
                where new_legs > 0),
            (select sum(new_legs) from by_queue),
            (select sum(transferred::int) filter (is_new) from legs),
            (select count(*) filter (is_new) from legs),
            (select sum(transferred::int) filter (not is_new) from legs),
            (select count(*) filter (not is_new) from legs)
        """
    ).fetchone()
    handle_ratio, new_legs, *transfers = rows
    assert new_legs > 300, "the sample must hold calls of new hires"
    # The penalty is 60% of talk on day one, gone by day 90, and new hires take calls
    # only after training: about 10-20% more handle time over their legs, 1.12-1.17 on
    # samples drawn so far. 1.10 still says "clearly slower" without riding the noise.
    assert handle_ratio > 1.10
    assert transfers[0] / transfers[1] > 1.25 * transfers[2] / transfers[3]
    assert z_for_rates(*transfers) > 4


def test_surveys_answer_at_a_realistic_rate_and_scores_follow_the_experience(sample):
    sent, answered = sample.one(
        """
        select count(distinct response_id), count(distinct response_id) filter (responded_at is not null)
        from responses where survey_type = 'post_contact'
        """
    )
    assert 0.15 <= answered / sent <= 0.25
    resolved, unresolved = sample.one(
        """
        select avg(csat) filter (outcome = 'resolved'), avg(csat) filter (outcome = 'unresolved')
        from responses join outcomes using (call_id) where csat is not null
        """
    )
    assert resolved > unresolved + 0.8
    transferred, direct = sample.one(
        """
        with transfers as (select call_id, count(*) > 1 as transferred from calls group by 1)
        select avg(ces) filter (transferred), avg(ces) filter (not transferred)
        from responses join transfers using (call_id) where ces is not null
        """
    )
    assert direct > transferred + 0.5


def test_failed_self_service_turns_into_calls_within_hours(sample):
    rows = sample.sql.execute(
        """
        with attempts as (
            select attempt.customer_id, attempt.occurred_at,
                exists (
                    select 1 from digital_events as success
                    where success.customer_id = attempt.customer_id
                        and success.event_type = 'self_service_success'
                        and success.occurred_at between attempt.occurred_at
                            and attempt.occurred_at + interval 10 minute
                ) as succeeded
            from digital_events as attempt
            where attempt.event_type = 'self_service_attempt'
        )
        select succeeded,
            sum(exists (
                select 1 from calls
                where calls.customer_id = attempts.customer_id
                    and calls.ivr_started_at between attempts.occurred_at
                        and attempts.occurred_at + interval 24 hour
            )::int),
            count(*)
        from attempts group by 1
        """
    ).fetchall()
    rates = _rates(rows)
    failed, succeeded = rates[False], rates[True]
    assert failed[0] / failed[1] > 2 * succeeded[0] / succeeded[1]
    assert z_for_rates(*failed, *succeeded) > 5
