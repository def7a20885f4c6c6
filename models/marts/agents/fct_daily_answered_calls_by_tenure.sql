{{
    config(
        materialized='incremental',
        incremental_strategy=replace_days_strategy(),
        unique_key='started_local_date',
        partition_by='started_local_date',
        on_schema_change='fail',
    )
}}

{#- As far back as fct_calls rebuilds (repeat flags). -#}
{%- set lookback = (var('incremental_lookback_days') | int) + 31 -%}

-- The new-hire ramp, pre-aggregated: the app sums a few hundred thousand rows of this
-- instead of grouping ten million calls by their agent's tenure (docs/benchmarks.md).

with answered_calls as (
    select * from {{ ref('fct_calls') }}
    where
        direction = 'inbound'
        and is_answered
        and {{ in_incremental_window('started_local_date', lookback_days=lookback) }}
),

counted as (
    select
        started_local_date,
        first_queue_name,
        customer_segment,
        answering_site_name,
        answering_team_name,
        cast(
            least(floor(answering_agent_tenure_days / 7), {{ var('ramp_tenure_weeks') }}) as integer
        ) as tenure_week,
        count(*) as answered_calls,
        cast(coalesce(sum(handle_seconds), 0) as bigint) as handle_seconds,
        cast(coalesce(sum(answered_leg_count), 0) as bigint) as answered_legs,
        count(customer_id) as identified_calls,
        count(is_resolved) as resolution_observed_calls,
        count(*) filter (where is_resolved) as resolved_calls
    from answered_calls
    group by all
)

select
    concat_ws(
        '|', started_local_date, first_queue_name, customer_segment,
        coalesce(answering_site_name, ''), coalesce(answering_team_name, ''),
        coalesce(cast(tenure_week as string), '')
    ) as daily_tenure_calls_id,
    *,
    {{ built_at() }} as built_at
from counted
