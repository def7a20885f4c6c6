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
    select * from {{ ref('int_call_legs_costed') }}
    where {{ in_incremental_window('contact_local_date') }}
),

final as (
    select
        call_leg_id,
        call_id,
        leg_number,
        direction,
        customer_id,
        caller_hash,
        queue_name,
        disposition,
        wrap_code,
        agent_id,
        agent_version_id,
        site_name,
        team_name,
        supervisor_id,
        cast(agent_tenure_days as bigint) as agent_tenure_days,
        ivr_started_at,
        queued_at,
        answered_at,
        ended_at,
        contact_local_date,
        queued_local_date,
        queued_interval_start_local,
        queued_interval_start_at,
        answered_interval_start_local,
        answered_interval_start_at,
        wait_seconds,
        talk_seconds,
        hold_seconds,
        acw_seconds,
        handle_seconds,
        connected_seconds,
        is_offered,
        is_answered,
        is_abandoned,
        is_short_abandon,
        met_sl,
        is_abandoned_within_threshold,
        agent_cost,
        telephony_cost,
        leg_cost
    from call_legs
)

select
    *,
    {{ built_at() }} as built_at
from final
