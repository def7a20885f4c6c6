{{
    config(
        materialized='incremental',
        incremental_strategy=replace_days_strategy(),
        unique_key='contact_local_date',
        partition_by='contact_local_date',
        on_schema_change='fail',
    )
}}

with call_legs as (
    select * from {{ ref('int_call_legs_classified') }}
    where {{ in_incremental_window('contact_local_date') }}
),

agent_versions as (
    select * from {{ ref('dim_agents') }}
),

agent_days as (
    select * from {{ ref('int_agent_days_costed') }}
    where {{ in_incremental_window('activity_date', 'contact_local_date') }}
),

costed as (
    select
        call_legs.call_leg_id,
        call_legs.call_id,
        call_legs.leg_number,
        call_legs.direction,
        call_legs.caller_hash,
        call_legs.customer_id,
        call_legs.queue_name,
        call_legs.disposition,
        call_legs.wrap_code,
        call_legs.agent_id,
        call_legs.ivr_started_at,
        call_legs.queued_at,
        call_legs.answered_at,
        call_legs.ended_at,
        call_legs.queued_local_date,
        call_legs.queued_interval_start_local,
        call_legs.queued_interval_start_at,
        call_legs.answered_local_date,
        call_legs.answered_interval_start_local,
        call_legs.answered_interval_start_at,
        call_legs.ended_local_date,
        call_legs.contact_local_date,
        call_legs.wait_seconds,
        call_legs.talk_seconds,
        call_legs.hold_seconds,
        call_legs.acw_seconds,
        call_legs.handle_seconds,
        call_legs.connected_seconds,
        call_legs.is_queued_inbound,
        call_legs.is_answered,
        call_legs.is_abandoned,
        call_legs.is_short_abandon,
        call_legs.is_offered,
        call_legs.met_sl,
        call_legs.is_abandoned_within_threshold,
        agent_versions.agent_version_id,
        agent_versions.site_name,
        agent_versions.team_name,
        agent_versions.supervisor_id,
        {{ days_between('agent_versions.hired_date', 'call_legs.contact_local_date') }}
            as agent_tenure_days,
        coalesce(call_legs.handle_seconds * agent_days.cost_per_handle_second, 0) as agent_cost,
        call_legs.connected_seconds / 60 * {{ var('telephony_cost_per_minute') }}
            as telephony_cost
    from call_legs
    left join agent_versions
        on
            call_legs.agent_id = agent_versions.agent_id
            and call_legs.contact_local_date >= agent_versions.valid_from
            and (
                agent_versions.valid_to is null
                or call_legs.contact_local_date < agent_versions.valid_to
            )
    left join agent_days
        on
            call_legs.agent_id = agent_days.agent_id
            and call_legs.answered_local_date = agent_days.activity_date
),

final as (
    select
        *,
        agent_cost + telephony_cost as leg_cost
    from costed
)

select
    *,
    {{ built_at() }} as built_at
from final
