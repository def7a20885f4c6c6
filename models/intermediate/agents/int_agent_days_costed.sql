{{
    config(
        materialized='incremental',
        incremental_strategy=replace_days_strategy(),
        unique_key='activity_date',
        partition_by='activity_date',
        on_schema_change='fail',
    )
}}

with agent_states as (
    select * from {{ ref('stg_telephony__agent_states') }}
    where {{ in_incremental_window(
        'started_local_date', 'activity_date', utc_floor_column='started_at'
    ) }}
),

call_legs as (
    select * from {{ ref('stg_telephony__call_legs') }}
    where {{ in_incremental_window(
        'answered_local_date', 'activity_date', utc_floor_column='answered_at'
    ) }}
),

agent_versions as (
    select * from {{ ref('dim_agents') }}
),

state_time as (
    -- A state counts on the local day it started (shifts end well before midnight).
    select
        agent_id,
        started_local_date as activity_date,
        sum(case when is_logged_in then state_seconds else 0 end) as logged_in_seconds,
        sum(case when is_productive then state_seconds else 0 end) as productive_seconds,
        sum(
            case when agent_state in ('on_call', 'hold', 'acw') then state_seconds else 0 end
        ) as busy_seconds
    from agent_states
    group by agent_id, started_local_date
),

handled as (
    select
        agent_id,
        answered_local_date as activity_date,
        count(*) as legs_handled,
        sum(handle_seconds) as handle_seconds
    from call_legs
    where answered_at is not null and agent_id is not null
    group by agent_id, answered_local_date
),

days as (
    select
        coalesce(state_time.agent_id, handled.agent_id) as agent_id,
        coalesce(state_time.activity_date, handled.activity_date) as activity_date,
        coalesce(state_time.logged_in_seconds, 0) as logged_in_seconds,
        coalesce(state_time.productive_seconds, 0) as productive_seconds,
        coalesce(state_time.busy_seconds, 0) as busy_seconds,
        coalesce(handled.legs_handled, 0) as legs_handled,
        coalesce(handled.handle_seconds, 0) as handle_seconds
    from state_time
    full outer join handled
        on
            state_time.agent_id = handled.agent_id
            and state_time.activity_date = handled.activity_date
),

costed as (
    select
        days.*,
        agent_versions.agent_version_id,
        agent_versions.hourly_cost,
        days.logged_in_seconds / 3600 * agent_versions.hourly_cost as paid_cost,
        case
            when days.productive_seconds > 0
                then cast(days.busy_seconds as double) / days.productive_seconds
        end as occupancy,
        case
            when days.handle_seconds > 0
                then
                    days.logged_in_seconds / 3600 * agent_versions.hourly_cost
                    / days.handle_seconds
        end as cost_per_handle_second
    from days
    left join agent_versions
        on
            days.agent_id = agent_versions.agent_id
            and days.activity_date >= agent_versions.valid_from
            and (agent_versions.valid_to is null or days.activity_date < agent_versions.valid_to)
),

final as (
    select
        agent_id || '-' || cast(activity_date as string) as agent_day_id,
        *
    from costed
)

select
    *,
    {{ built_at() }} as built_at
from final
