{{
    config(
        materialized='incremental',
        incremental_strategy=replace_days_strategy(),
        unique_key='started_local_date',
        partition_by='started_local_date',
        on_schema_change='fail',
    )
}}

{#- As far back as fct_calls rebuilds (repeats, surveys; 30-day churn is within). -#}
{%- set lookback = (var('incremental_lookback_days') | int) + 31 -%}

-- The new-hire ramp and each team's agents' outcomes, pre-aggregated: the app sums
-- this instead of grouping ten million calls by their agent (docs/benchmarks.md).

with calls as (
    select * from {{ ref('fct_calls') }}
    where
        direction = 'inbound'
        and is_answered
        and {{ in_incremental_window('started_local_date', lookback_days=lookback) }}
),

journeys as (
    select
        call_id,
        has_churned_within_30d,
        is_churn_30d_window_ended
    from {{ ref('fct_customer_journey') }}
    where {{ in_incremental_window('started_local_date', lookback_days=lookback) }}
),

counted as (
    select
        calls.started_local_date,
        calls.first_queue_name,
        calls.customer_segment,
        calls.answering_site_name,
        calls.answering_team_name,
        calls.answering_agent_id,
        cast(
            least(
                floor(calls.answering_agent_tenure_days / 7),
                {{ var('ramp_tenure_weeks') }}
            ) as integer
        ) as tenure_week,
        {{ tenure_band('calls.answering_agent_tenure_days') }} as agent_tenure_band,
        count(*) as answered_calls,
        cast(coalesce(sum(calls.handle_seconds), 0) as bigint) as handle_seconds,
        cast(coalesce(sum(calls.answered_leg_count), 0) as bigint) as answered_legs,
        count(calls.customer_id) as identified_calls,
        count(calls.is_resolved) as resolution_observed_calls,
        count(*) filter (where calls.is_resolved) as resolved_calls,
        count(calls.csat_score) as csat_responses,
        count(*) filter (where {{ is_csat_top_two_box('calls.csat_score') }}) as csat_top_two_box,
        count(*) filter (where journeys.is_churn_30d_window_ended) as churn_observed_calls,
        count(*) filter (
            where journeys.is_churn_30d_window_ended and journeys.has_churned_within_30d
        ) as churned_calls
    from calls
    left join journeys on calls.call_id = journeys.call_id
    group by all
)

select
    concat_ws(
        '|', started_local_date, first_queue_name, customer_segment,
        coalesce(answering_site_name, ''), coalesce(answering_team_name, ''),
        coalesce(answering_agent_id, ''), coalesce(cast(tenure_week as string), ''),
        coalesce(agent_tenure_band, '')
    ) as daily_tenure_calls_id,
    *,
    {{ built_at() }} as built_at
from counted
