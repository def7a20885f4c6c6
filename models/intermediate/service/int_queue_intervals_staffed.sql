{{
    config(
        materialized='incremental',
        incremental_strategy=replace_days_strategy(),
        unique_key='interval_local_date',
        partition_by='interval_local_date',
        on_schema_change='fail',
    )
}}

{%- set interval_minutes = var('interval_minutes') | int -%}
{%- set first_start = 'logged_in_states.first_interval_start_at' -%}
{%- set first_leg_start = 'handled_legs.first_interval_start_at' -%}
{#- A state spans at most a day: the window's states plus the day before cover every
    interval of the window (cut exactly at the end). -#}
{%- set lookback = var('incremental_lookback_days') | int -%}

with agent_states as (
    select * from {{ ref('stg_telephony__agent_states') }}
    where {{ in_incremental_window(
        'started_local_date', 'interval_local_date', lookback_days=lookback + 1,
        utc_floor_column='started_at',
    ) }}
),

agent_versions as (
    select * from {{ ref('dim_agents') }}
),

call_legs as (
    select * from {{ ref('int_call_legs_classified') }}
),

handled_legs as (
    -- Answered legs of the window's days with their agent: busy time goes to the queue
    -- of the leg the agent handled, from answer to the end of after-call work.
    select
        agent_id,
        queue_name,
        answered_at,
        {{ add_seconds('coalesce(acw_seconds, 0)', 'ended_at') }} as handled_until,
        {{ utc_interval_start('answered_at') }} as first_interval_start_at
    from call_legs
    where
        is_answered
        and agent_id is not null
        and queue_name is not null
        and {{ in_incremental_window(
            'contact_local_date', 'interval_local_date', lookback_days=lookback + 1,
            utc_floor_column='answered_at',
        ) }}
),

queues as (
    -- Every queue with a leg in the whole history, as on a full build.
    select distinct queue_name from call_legs
    where queue_name is not null
),

digits as (
    {{ digit_rows() }}
),

steps as (
    -- 0..99: a logged-in state spans at most a day (tested on the staging model).
    select tens.digit * 10 + ones.digit as step
    from digits as tens
    cross join digits as ones
),

logged_in_states as (
    select
        agent_id,
        started_at,
        ended_at,
        started_local_date,
        is_productive,
        agent_state in ('on_call', 'hold', 'acw') as is_busy,
        {{ utc_interval_start('started_at') }} as first_interval_start_at
    from agent_states
    where is_logged_in and ended_at > started_at
),

leg_pieces as (
    -- One row per handled leg and interval it overlaps, with the seconds inside it.
    select
        handled_legs.agent_id,
        handled_legs.queue_name,
        {{ add_minutes('steps.step * ' ~ interval_minutes, first_leg_start) }}
            as interval_start_at,
        {{ seconds_between(
            'greatest(handled_legs.answered_at, '
            ~ add_minutes('steps.step * ' ~ interval_minutes, first_leg_start) ~ ')',
            'least(handled_legs.handled_until, '
            ~ add_minutes('(steps.step + 1) * ' ~ interval_minutes, first_leg_start) ~ ')'
        ) }} as handled_seconds
    from handled_legs
    inner join steps
        on
            steps.step * {{ interval_minutes * 60 }}
            < {{ seconds_between(first_leg_start, 'handled_legs.handled_until') }}
),

busy_queue_shares as (
    -- Each agent's handled seconds per interval and queue, as a share of the agent's
    -- handled seconds in that interval.
    select
        agent_id,
        interval_start_at,
        queue_name,
        sum(handled_seconds)
        / sum(sum(handled_seconds)) over (partition by agent_id, interval_start_at)
            as queue_share
    from leg_pieces
    where handled_seconds > 0
    group by agent_id, interval_start_at, queue_name
),

state_pieces as (
    -- One row per state and interval it overlaps, cut at the interval's edges.
    select
        logged_in_states.agent_id,
        logged_in_states.started_local_date,
        logged_in_states.is_productive,
        logged_in_states.is_busy,
        logged_in_states.started_at,
        logged_in_states.ended_at,
        {{ add_minutes('steps.step * ' ~ interval_minutes, first_start) }} as interval_start_at,
        {{ add_minutes('(steps.step + 1) * ' ~ interval_minutes, first_start) }} as interval_end_at
    from logged_in_states
    inner join steps
        on
            steps.step * {{ interval_minutes * 60 }}
            < {{ seconds_between(first_start, 'logged_in_states.ended_at') }}
),

piece_seconds as (
    select
        agent_id,
        started_local_date,
        is_productive,
        is_busy,
        interval_start_at,
        {{ seconds_between(
            'greatest(started_at, interval_start_at)', 'least(ended_at, interval_end_at)'
        ) }} as overlap_seconds
    from state_pieces
),

agent_skills as (
    -- The queues each agent version takes, and each queue's equal share of its time.
    select
        agent_versions.agent_id,
        agent_versions.valid_from,
        agent_versions.valid_to,
        queues.queue_name,
        cast(1 as double) / (
            length(agent_versions.skills) - length(replace(agent_versions.skills, '|', '')) + 1
        ) as skill_share
    from agent_versions
    inner join queues
        -- A whole skill, compared as text: queue names may hold `_` or `%`.
        on instr('|' || agent_versions.skills || '|', '|' || queues.queue_name || '|') > 0
),

busy_pieces_handled as (
    -- Busy time in an interval where the agent handled legs: to those legs' queues.
    select
        busy_queue_shares.queue_name,
        piece_seconds.interval_start_at,
        piece_seconds.overlap_seconds * busy_queue_shares.queue_share as piece_share_seconds,
        piece_seconds.is_productive,
        piece_seconds.is_busy
    from piece_seconds
    inner join busy_queue_shares
        on
            piece_seconds.agent_id = busy_queue_shares.agent_id
            and piece_seconds.interval_start_at = busy_queue_shares.interval_start_at
    where piece_seconds.is_busy
),

pieces_by_skill as (
    -- The rest (available, breaks, busy with no leg handled in the interval): shared
    -- equally over the agent's queues.
    select
        agent_skills.queue_name,
        piece_seconds.interval_start_at,
        piece_seconds.overlap_seconds * agent_skills.skill_share as piece_share_seconds,
        piece_seconds.is_productive,
        piece_seconds.is_busy
    from piece_seconds
    inner join agent_skills
        on
            piece_seconds.agent_id = agent_skills.agent_id
            and piece_seconds.started_local_date >= agent_skills.valid_from
            and (
                agent_skills.valid_to is null
                or piece_seconds.started_local_date < agent_skills.valid_to
            )
    left join busy_queue_shares
        on
            piece_seconds.agent_id = busy_queue_shares.agent_id
            and piece_seconds.interval_start_at = busy_queue_shares.interval_start_at
            and piece_seconds.is_busy
    where busy_queue_shares.agent_id is null
),

shared as (
    select
        queue_name,
        interval_start_at,
        piece_share_seconds as logged_in_seconds,
        case when is_productive then piece_share_seconds else 0 end as productive_seconds,
        case when is_busy then piece_share_seconds else 0 end as busy_seconds
    from (
        select * from busy_pieces_handled
        union all
        select * from pieces_by_skill
    ) as pieces
),

final as (
    select
        queue_name,
        interval_start_at,
        {{ local_timestamp('interval_start_at') }} as interval_start_local,
        cast({{ local_timestamp('interval_start_at') }} as date) as interval_local_date,
        sum(logged_in_seconds) as logged_in_agent_seconds,
        sum(productive_seconds) as productive_agent_seconds,
        sum(busy_seconds) as busy_agent_seconds
    from shared
    group by queue_name, interval_start_at
)

select
    *,
    {{ built_at() }} as built_at
from final
where {{ in_incremental_window('interval_local_date') }}
