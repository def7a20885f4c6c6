{{
    config(
        materialized='incremental',
        incremental_strategy=replace_days_strategy(),
        unique_key='started_local_date',
        partition_by='started_local_date',
        on_schema_change='fail',
    )
}}

{#- A call's repeat flags depend on the 30 days after it (int_calls_repeat_flagged):
    rebuild that far back, plus the late-arrival look-back. -#}
{%- set lookback = (var('incremental_lookback_days') | int) + 31 -%}

with calls as (
    select * from {{ ref('int_calls_rolled_up') }}
    where {{ in_incremental_window('started_local_date', lookback_days=lookback) }}
),

repeat_flags as (
    select * from {{ ref('int_calls_repeat_flagged') }}
    where {{ in_incremental_window('started_local_date', lookback_days=lookback) }}
),

customers as (
    select * from {{ ref('stg_crm__customers') }}
),

responses as (
    select * from {{ ref('stg_survey__responses') }}
    where
        survey_type = 'post_contact'
        and call_id is not null
        -- A survey is sent after its call ended, so not before the day it started.
        and {{ in_incremental_window(
            'sent_local_date', 'started_local_date', lookback_days=lookback,
            utc_floor_column='sent_at',
        ) }}
),

surveys as (
    select
        call_id,
        max(case when has_responded then 1 else 0 end) = 1 as has_survey_response,
        max(csat_score) as csat_score,
        max(nps_score) as nps_score,
        max(ces_score) as ces_score
    from responses
    group by call_id
),

joined as (
    select
        calls.*,
        repeat_flags.is_repeat_contact,
        repeat_flags.is_callback_after_abandon,
        repeat_flags.has_repeat_within_1d,
        repeat_flags.has_repeat_within_7d,
        repeat_flags.has_repeat_within_30d,
        repeat_flags.is_repeat_window_ended,
        repeat_flags.is_resolved,
        calls.is_ivr_contained
        and repeat_flags.has_contact_within_containment_window as is_false_containment,
        surveys.call_id is not null as is_surveyed,
        coalesce(surveys.has_survey_response, false) as has_survey_response,
        surveys.csat_score,
        surveys.nps_score,
        surveys.ces_score,
        case
            when calls.customer_id is null then 'unidentified'
            else coalesce(customers.customer_segment, 'unknown')
        end as customer_segment
    from calls
    left join customers on calls.customer_id = customers.customer_id
    left join repeat_flags on calls.call_id = repeat_flags.call_id
    left join surveys on calls.call_id = surveys.call_id
),

final as (
    select
        call_id,
        direction,
        customer_id,
        customer_segment,
        caller_hash,
        first_queue_name,
        last_queue_name,
        final_disposition,
        final_wrap_code,
        started_at,
        ended_at,
        started_local_date,
        cast(leg_count as bigint) as leg_count,
        cast(answered_leg_count as bigint) as answered_leg_count,
        is_transferred,
        is_ivr_contained,
        is_answered,
        is_abandoned,
        answering_agent_id,
        answering_site_name,
        answering_team_name,
        cast(answering_agent_tenure_days as integer) as answering_agent_tenure_days,
        cast(wait_seconds as double) as wait_seconds,
        cast(talk_seconds as bigint) as talk_seconds,
        cast(hold_seconds as bigint) as hold_seconds,
        cast(acw_seconds as bigint) as acw_seconds,
        cast(handle_seconds as bigint) as handle_seconds,
        cast(connected_seconds as double) as connected_seconds,
        agent_cost,
        telephony_cost,
        cast(overhead_cost as double) as overhead_cost,
        cast(call_cost as double) as call_cost,
        is_repeat_contact,
        is_callback_after_abandon,
        has_repeat_within_1d,
        has_repeat_within_7d,
        has_repeat_within_30d,
        is_repeat_window_ended,
        is_resolved,
        is_false_containment,
        is_surveyed,
        has_survey_response,
        csat_score,
        nps_score,
        ces_score
    from joined
)

select
    *,
    {{ built_at() }} as built_at
from final
