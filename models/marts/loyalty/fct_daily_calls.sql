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

-- The app's customer measures, pre-aggregated: a page sums a few thousand rows of this
-- instead of joining ten million calls to their journeys (docs/benchmarks.md).

with calls as (
    select * from {{ ref('fct_calls') }}
    where {{ in_incremental_window('started_local_date', lookback_days=lookback) }}
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
        calls.direction,
        calls.first_queue_name,
        calls.customer_segment,
        calls.answering_site_name,
        calls.answering_team_name,
        count(*) as calls,
        count(*) filter (where calls.is_answered) as answered_calls,
        coalesce(sum(calls.handle_seconds), 0)::bigint as handle_seconds,
        coalesce(sum(calls.answered_leg_count), 0)::bigint as answered_legs,
        coalesce(sum(calls.call_cost), 0) as total_cost,
        count(calls.customer_id) as identified_calls,
        count(calls.is_resolved) as resolution_observed_calls,
        count(*) filter (where calls.is_resolved) as resolved_calls,
        coalesce(sum(calls.call_cost) filter (where calls.is_resolved is not null), 0)
            as resolution_observed_cost,
        -- The sums the noise of cost per contact and per resolved contact needs
        -- (ccw/noise.py): null, like a sum of no calls, when no call of the row counts.
        sum(calls.call_cost * calls.call_cost) as cost_squared,
        sum(calls.call_cost) filter (where calls.is_answered) as answered_cost,
        sum(calls.call_cost * calls.call_cost) filter (where calls.is_resolved is not null)
            as resolution_observed_cost_squared,
        sum(calls.call_cost) filter (where calls.is_resolved) as resolved_cost,
        count(*) filter (where calls.is_ivr_contained) as ivr_contained_calls,
        count(*) filter (where calls.is_false_containment) as falsely_contained_calls,
        count(*) filter (where calls.is_surveyed) as surveys_sent,
        count(*) filter (where calls.has_survey_response) as survey_responses,
        count(calls.csat_score) as csat_responses,
        count(*) filter (where {{ is_csat_top_two_box('calls.csat_score') }}) as csat_top_two_box,
        count(calls.nps_score) as nps_responses,
        count(*) filter (where {{ is_nps_promoter('calls.nps_score') }}) as nps_promoters,
        count(*) filter (where {{ is_nps_detractor('calls.nps_score') }}) as nps_detractors,
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
        '|', started_local_date, direction, first_queue_name, customer_segment,
        coalesce(answering_site_name, ''), coalesce(answering_team_name, '')
    ) as daily_calls_id,
    *,
    {{ built_at() }} as built_at
from counted
