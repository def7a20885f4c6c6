{{
    config(
        materialized='incremental',
        incremental_strategy=replace_days_strategy(),
        unique_key='started_local_date',
        partition_by='started_local_date',
        on_schema_change='fail',
    )
}}

{#- A call lasts less than a day, so the legs of every call started in the window
    are in the window's legs plus the day before it; calls started before the window
    are dropped whole at the end (a partial one would get the wrong start). -#}
{%- set lookback = var('incremental_lookback_days') | int -%}

with call_legs as (
    select * from {{ ref('int_call_legs_costed') }}
    where {{ in_incremental_window(
        'contact_local_date', 'started_local_date', lookback_days=lookback + 1
    ) }}
),

ordered as (
    select
        *,
        row_number() over (partition by call_id order by leg_number) as leg_from_start,
        row_number() over (partition by call_id order by leg_number desc) as leg_from_end,
        -- The last leg an agent answered: that agent owned the call's outcome.
        row_number() over (
            partition by call_id
            order by case when is_answered then 0 else 1 end, leg_number desc
        ) as answered_leg_from_end,
        coalesce(ivr_started_at, queued_at, answered_at, ended_at) as leg_started_at
    from call_legs
),

rolled_up as (
    select
        call_id,
        max(case when leg_from_start = 1 then direction end) as direction,
        max(customer_id) as customer_id,
        max(case when leg_from_start = 1 then caller_hash end) as caller_hash,
        max(case when leg_from_start = 1 then queue_name end) as first_queue_name,
        max(case when leg_from_end = 1 then queue_name end) as last_queue_name,
        max(case when leg_from_end = 1 then disposition end) as final_disposition,
        max(case when leg_from_end = 1 then wrap_code end) as final_wrap_code,
        min(leg_started_at) as started_at,
        max(ended_at) as ended_at,
        count(*) as leg_count,
        sum(case when is_answered then 1 else 0 end) as answered_leg_count,
        max(case when disposition = 'transferred' then 1 else 0 end) = 1 as is_transferred,
        count(*) = 1 and max(disposition) = 'ivr_contained' as is_ivr_contained,
        max(case when is_answered then 1 else 0 end) = 1 as is_answered,
        max(case when leg_from_end = 1 and is_abandoned then 1 else 0 end) = 1 as is_abandoned,
        sum(coalesce(wait_seconds, 0)) as wait_seconds,
        sum(talk_seconds) as talk_seconds,
        sum(hold_seconds) as hold_seconds,
        sum(acw_seconds) as acw_seconds,
        sum(handle_seconds) as handle_seconds,
        sum(connected_seconds) as connected_seconds,
        sum(agent_cost) as agent_cost,
        sum(telephony_cost) as telephony_cost,
        max(case when answered_leg_from_end = 1 and is_answered then agent_id end)
            as answering_agent_id,
        max(case when answered_leg_from_end = 1 and is_answered then site_name end)
            as answering_site_name,
        max(case when answered_leg_from_end = 1 and is_answered then team_name end)
            as answering_team_name,
        max(case when answered_leg_from_end = 1 and is_answered then agent_tenure_days end)
            as answering_agent_tenure_days
    from ordered
    group by call_id
),

final as (
    select
        *,
        cast({{ local_timestamp('started_at') }} as date) as started_local_date,
        case when is_answered then {{ var('overhead_per_contact') }} else 0 end as overhead_cost,
        agent_cost
        + telephony_cost
        + case when is_answered then {{ var('overhead_per_contact') }} else 0 end as call_cost
    from rolled_up
)

select
    *,
    {{ built_at() }} as built_at
from final
where {{ in_incremental_window('started_local_date') }}
