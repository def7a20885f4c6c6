"""The four exports agree with each other as real systems' exports would."""

from __future__ import annotations


def test_every_call_agent_is_employed_that_day_and_skilled_for_the_queue(sample):
    orphans = sample.one(
        """
        select count(*)
        from calls
        left join agents
            on agents.agent_id = calls.agent_id
            and agents.filename like '%' || strftime(calls.answered_at, '%Y-%m-%d') || '%'
        where calls.agent_id is not null
            and (
                agents.agent_id is null
                or agents.terminated_on < calls.answered_at::date
                or agents.hired_on > calls.answered_at::date
                or not list_contains(string_split(agents.skills, '|'), calls.queue)
            )
        """
    )[0]
    assert orphans == 0
    assert sample.one("select count(*) from calls where agent_id is not null")[0] > 10_000


def test_agent_states_cover_every_second_of_handle_time(sample):
    uncovered = sample.one(
        """
        with handled as (
            select agent_id, answered_at, ended_at + to_seconds(acw_seconds) as free_at,
                talk_seconds + hold_seconds + acw_seconds as handle_seconds
            from calls
            where answered_at is not null
        ),
        covered as (
            select handled.agent_id, handled.answered_at, any_value(handle_seconds) as handle_seconds,
                sum(epoch(least(states.ended_at, free_at) - greatest(states.started_at, answered_at)))
                    as busy_seconds
            from handled
            join agent_states as states
                on states.agent_id = handled.agent_id
                and states.started_at < handled.free_at
                and states.ended_at > handled.answered_at
                and states.state in ('on_call', 'hold', 'acw')
            group by all
        )
        select count(*) from handled
        left join covered using (agent_id, answered_at)
        where covered.busy_seconds is distinct from handled.handle_seconds
        """
    )[0]
    assert uncovered == 0


def test_agent_state_logs_are_contiguous_and_sum_hold_and_talk(sample):
    gaps = sample.one(
        """
        select count(*) from (
            select ended_at, lead(started_at) over (partition by agent_id, filename order by started_at) as next_start
            from agent_states
        ) where next_start is not null and next_start <> ended_at
        """
    )[0]
    assert gaps == 0
    hold_by_states, hold_by_calls = sample.one(
        """
        select
            (select sum(epoch(ended_at - started_at)) from agent_states where state = 'hold'),
            (select sum(hold_seconds) from calls)
        """
    )
    assert hold_by_states == hold_by_calls


def test_survey_case_and_order_references_resolve(sample):
    assert (
        sample.one(
            "select count(*) from responses where call_id is not null "
            "and call_id not in (select call_id from calls)"
        )[0]
        == 0
    )
    assert (
        sample.one(
            "select count(*) from cases where call_id is not null "
            "and call_id not in (select call_id from calls)"
        )[0]
        == 0
    )
    for table in ("orders", "cases", "responses", "digital_events"):
        missing = sample.one(
            f"select count(*) from {table} where customer_id not in (select customer_id from customers)"
        )[0]
        assert missing == 0, table
    assert (
        sample.one(
            "select count(*) from agents where supervisor_id is not null "
            "and supervisor_id not in (select agent_id from agents where role = 'team_lead')"
        )[0]
        == 0
    )


def test_transfers_continue_the_call_in_another_queue(sample):
    broken = sample.one(
        """
        select count(*) from calls as leg
        join calls as next_leg on next_leg.call_id = leg.call_id and next_leg.leg = leg.leg + 1
        where leg.disposition <> 'transferred'
            or next_leg.queued_at <> leg.ended_at
            or next_leg.queue = leg.queue
            or next_leg.ivr_started_at is not null
        """
    )[0]
    assert broken == 0
    assert sample.one("select count(*) from calls where disposition = 'transferred'")[0] > 100
