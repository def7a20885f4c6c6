{{
    config(
        materialized='incremental',
        incremental_strategy=replace_days_strategy(),
        unique_key='started_local_date',
        partition_by='started_local_date',
        on_schema_change='fail',
    )
}}

{#- As far back as int_calls_downstream_windowed rebuilds. -#}
{%- set churn_lookback = (var('incremental_lookback_days') | int)
    + ([var('churn_window_days') | int, 30] | max) + 1 -%}

with calls as (
    select * from {{ ref('fct_calls') }}
    where
        direction = 'inbound'
        and customer_id is not null
        -- Churn is followed for `churn_window_days` after a call: rebuild that far back.
        and {{ in_incremental_window('started_local_date', lookback_days=churn_lookback) }}
),

call_legs as (
    -- A call's legs are contacts of its start day or later.
    select * from {{ ref('fct_call_legs') }}
    where {{ in_incremental_window(
        'contact_local_date', 'started_local_date', lookback_days=churn_lookback
    ) }}
),

customers as (
    select * from {{ ref('stg_crm__customers') }}
),

upstream as (
    select * from {{ ref('int_calls_upstream_windowed') }}
    where {{ in_incremental_window('started_local_date', lookback_days=churn_lookback) }}
),

downstream as (
    select * from {{ ref('int_calls_downstream_windowed') }}
    where {{ in_incremental_window('started_local_date', lookback_days=churn_lookback) }}
),

data_end as (
    -- The last day the calls describe: 30 days after a call must have passed by then.
    select max(started_local_date) as last_call_date from calls
),

answering_agents as (
    -- The agent of the call's last answered leg, with their tenure that day.
    select
        call_id,
        agent_tenure_days,
        row_number() over (partition by call_id order by leg_number desc) as from_last
    from call_legs
    where is_answered
),

final as (
    select
        calls.call_id,
        calls.customer_id,
        customers.customer_segment,
        calls.started_at,
        calls.started_local_date,
        calls.first_queue_name,
        -- The page filters, so the app reads this mart without joining fct_calls.
        calls.answering_site_name,
        calls.answering_team_name,
        calls.is_answered,
        calls.is_transferred,
        calls.is_ivr_contained,
        calls.is_false_containment,
        calls.wait_seconds,
        case when not calls.is_ivr_contained then {{ wait_band('calls.wait_seconds') }} end
            as wait_band,
        cast(answering_agents.agent_tenure_days as integer) as agent_tenure_days,
        {{ tenure_band('answering_agents.agent_tenure_days') }} as agent_tenure_band,
        calls.handle_seconds,
        calls.call_cost,
        calls.is_repeat_window_ended,
        calls.is_resolved,
        calls.is_repeat_contact,
        calls.is_callback_after_abandon,
        calls.has_repeat_within_7d,
        calls.has_repeat_within_30d,
        upstream.self_service_attempts_before,
        upstream.self_service_successes_before,
        upstream.prior_calls,
        upstream.prior_cases,
        upstream.open_cases_at_call,
        upstream.customer_tenure_days,
        {{ tenure_band('upstream.customer_tenure_days') }} as customer_tenure_band,
        upstream.last_csat_before,
        upstream.last_nps_before,
        downstream.has_churned_within_window,
        downstream.has_churned_within_30d,
        calls.started_local_date <= {{ add_days(-31, 'data_end.last_call_date') }}
            as is_churn_30d_window_ended,
        downstream.order_value_before,
        downstream.order_value_after,
        downstream.order_value_change,
        downstream.self_service_successes_after,
        downstream.has_moved_to_self_service,
        -- The call's own post-contact survey (fct_calls), beside the next one after it.
        calls.csat_score,
        {{ is_csat_top_two_box('calls.csat_score') }} as is_csat_top_two_box,
        calls.nps_score,
        {{ is_nps_promoter('calls.nps_score') }} as is_nps_promoter,
        {{ is_nps_detractor('calls.nps_score') }} as is_nps_detractor,
        downstream.next_csat_after,
        downstream.next_nps_after
    from calls
    cross join data_end
    left join customers on calls.customer_id = customers.customer_id
    left join upstream on calls.call_id = upstream.call_id
    left join downstream on calls.call_id = downstream.call_id
    left join answering_agents
        on calls.call_id = answering_agents.call_id and answering_agents.from_last = 1
)

select
    *,
    -- The values the app's journey summary reads, as one number (macros/journey_kind.sql).
    {{ journey_kind() }} as journey_kind,
    {{ built_at() }} as built_at
from final
-- Stored in day order: the app reads a period's row groups, not the whole year's.
order by started_local_date
