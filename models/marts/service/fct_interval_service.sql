{{
    config(
        materialized='incremental',
        incremental_strategy=replace_days_strategy(),
        unique_key='interval_local_date',
        partition_by='interval_local_date',
        on_schema_change='fail',
    )
}}

{%- set interval_seconds = (var('interval_minutes') | int) * 60 -%}
{%- set patience_wait_column = patience_wait_column_for_estimator() -%}
{#- Counts and sums that are 0, not null, on the side of the join with no rows. -#}
{%- set summed_columns = [
    'leg_statistics.offered_legs', 'leg_statistics.answered_legs',
    'leg_statistics.abandoned_legs', 'leg_statistics.short_abandoned_legs',
    'leg_statistics.answered_within_threshold_legs',
    'leg_statistics.abandoned_within_threshold_legs',
    'leg_statistics.answered_wait_seconds', 'leg_statistics.offered_wait_seconds',
    'leg_statistics.abandoned_wait_seconds',
    'leg_statistics.handled_legs', 'leg_statistics.talk_seconds',
    'leg_statistics.hold_seconds', 'leg_statistics.acw_seconds',
    'leg_statistics.handle_seconds', 'staffing.logged_in_agent_seconds',
    'staffing.productive_agent_seconds', 'staffing.busy_agent_seconds',
] -%}

with leg_statistics as (
    select * from {{ ref('int_queue_intervals_aggregated') }}
    where {{ in_incremental_window('interval_local_date') }}
),

staffing as (
    select * from {{ ref('int_queue_intervals_staffed') }}
    where {{ in_incremental_window('interval_local_date') }}
),

intervals as (
    -- Every queue interval with calls or staffed time.
    select
        coalesce(leg_statistics.queue_name, staffing.queue_name) as queue_name,
        coalesce(leg_statistics.interval_start_at, staffing.interval_start_at)
            as interval_start_at,
        coalesce(leg_statistics.interval_start_local, staffing.interval_start_local)
            as interval_start_local,
        coalesce(leg_statistics.interval_local_date, staffing.interval_local_date)
            as interval_local_date,
        leg_statistics.wait_p50_seconds,
        leg_statistics.wait_p80_seconds,
        leg_statistics.wait_p90_seconds,
        leg_statistics.wait_p95_seconds,
    {% for column in summed_columns %}
        coalesce({{ column }}, 0) as {{ column.split('.')[1] }}{{ "," if not loop.last }}
    {% endfor %}
    from leg_statistics
    full outer join staffing
        on
            leg_statistics.queue_name = staffing.queue_name
            and leg_statistics.interval_start_at = staffing.interval_start_at
),

measured as (
    select
        *,
        {{ service_level_columns() }},
        {{ handling_columns() }},
        productive_agent_seconds / {{ interval_seconds }} as staffed_agents,
        logged_in_agent_seconds / {{ interval_seconds }} as logged_in_agents
    from intervals
),

queue_days as (
    -- Fallbacks for quiet intervals, and the measured patience of the queue that day
    -- (var patience_estimator): by default the mean time to abandon (docs/metrics.md), the mean
    -- wait of abandoned legs; `time_at_risk` divides the wait of all offered legs by
    -- the abandons instead, the estimate that allows for patient callers being
    -- answered before they would have hung up.
    select
        queue_name,
        interval_local_date,
        case
            when sum(handled_legs) > 0 then cast(sum(handle_seconds) as double) / sum(handled_legs)
        end as day_aht_seconds,
        case
            when sum(abandoned_legs) > 0
                then cast(sum({{ patience_wait_column }}) as double) / sum(abandoned_legs)
        end as patience_seconds,
        case
            when sum(logged_in_agent_seconds) > 0
                then 1 - sum(productive_agent_seconds) / sum(logged_in_agent_seconds)
        end as day_shrinkage
    from intervals
    group by queue_name, interval_local_date
),

sized as (
    select
        measured.*,
        queue_days.patience_seconds,
        coalesce(measured.aht_seconds, queue_days.day_aht_seconds) as sizing_aht_seconds,
        coalesce(measured.shrinkage, queue_days.day_shrinkage) as sizing_shrinkage,
        ccw_required_agents_erlang_c(
            measured.offered_legs,
            coalesce(measured.aht_seconds, queue_days.day_aht_seconds),
            {{ interval_seconds }},
            {{ var('sl_threshold_seconds') }},
            {{ queue_target('measured.queue_name', 'service_level') }}
        ) as required_agents_erlang_c,
        ccw_required_agents_erlang_a(
            measured.offered_legs,
            coalesce(measured.aht_seconds, queue_days.day_aht_seconds),
            {{ interval_seconds }},
            {{ var('sl_threshold_seconds') }},
            {{ queue_target('measured.queue_name', 'service_level') }},
            queue_days.patience_seconds,
            '{{ var("sl_abandon_treatment") }}'
        ) as required_agents_erlang_a
    from measured
    inner join queue_days
        on
            measured.queue_name = queue_days.queue_name
            and measured.interval_local_date = queue_days.interval_local_date
),

final as (
    select
        queue_name || '|' || {{ utc_timestamp_text('interval_start_at') }} as queue_interval_id,
        queue_name,
        interval_start_at,
        interval_start_local,
        interval_local_date,
        cast(offered_legs as integer) as offered_legs,
        cast(answered_legs as integer) as answered_legs,
        cast(abandoned_legs as integer) as abandoned_legs,
        cast(short_abandoned_legs as integer) as short_abandoned_legs,
        cast(answered_within_threshold_legs as integer) as answered_within_threshold_legs,
        cast(abandoned_within_threshold_legs as integer) as abandoned_within_threshold_legs,
        cast(service_level_met_legs as integer) as service_level_met_legs,
        cast(service_level_base_legs as integer) as service_level_base_legs,
        service_level_negative,
        service_level_ignored,
        service_level_positive,
        service_level,
        service_level >= {{ queue_target('queue_name', 'service_level') }} as meets_target,
        abandon_rate,
        asa_seconds,
        cast(wait_p50_seconds as double) as wait_p50_seconds,
        cast(wait_p80_seconds as double) as wait_p80_seconds,
        cast(wait_p90_seconds as double) as wait_p90_seconds,
        cast(wait_p95_seconds as double) as wait_p95_seconds,
        cast(answered_wait_seconds as bigint) as answered_wait_seconds,
        cast(offered_wait_seconds as bigint) as offered_wait_seconds,
        cast(handled_legs as integer) as handled_legs,
        cast(talk_seconds as bigint) as talk_seconds,
        cast(hold_seconds as bigint) as hold_seconds,
        cast(acw_seconds as bigint) as acw_seconds,
        cast(handle_seconds as bigint) as handle_seconds,
        aht_seconds,
        logged_in_agent_seconds,
        productive_agent_seconds,
        busy_agent_seconds,
        logged_in_agents,
        staffed_agents,
        occupancy,
        shrinkage,
        patience_seconds,
        required_agents_erlang_c,
        required_agents_erlang_a,
        required_agents_erlang_c / nullif(1 - sizing_shrinkage, 0) as required_heads_erlang_c,
        staffed_agents - required_agents_erlang_c as staffing_gap_agents,
        staffed_agents > 0 as is_staffed
    from sized
)

select
    *,
    {{ built_at() }} as built_at
from final
