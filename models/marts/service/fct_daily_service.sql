{{
    config(
        materialized='incremental',
        incremental_strategy=replace_days_strategy(),
        unique_key='service_date',
        partition_by='service_date',
        on_schema_change='fail',
    )
}}

{%- set interval_hours = (var('interval_minutes') | int) / 60 -%}

with intervals as (
    select * from {{ ref('fct_interval_service') }}
    where {{ in_incremental_window('interval_local_date', 'service_date') }}
),

call_legs as (
    select * from {{ ref('int_call_legs_classified') }}
    where is_offered and {{ in_incremental_window('queued_local_date', 'service_date') }}
),

daily_waits as (
    -- Percentiles of a day come from its legs: they cannot be averaged from intervals.
    select
        queue_name,
        queued_local_date as service_date,
        {{ wait_percentiles('wait_seconds') }}
    from call_legs
    group by queue_name, queued_local_date
),

daily_sums as (
    select
        queue_name,
        interval_local_date as service_date,
        count(*) as intervals,
        sum(case when service_level is not null and is_staffed then 1 else 0 end)
            as staffed_intervals_with_service_level,
        sum(case when meets_target and is_staffed then 1 else 0 end) as intervals_meeting_target,
        sum(
            case when required_agents_erlang_c > staffed_agents then 1 else 0 end
        ) as understaffed_intervals,
        sum(offered_legs) as offered_legs,
        sum(answered_legs) as answered_legs,
        sum(abandoned_legs) as abandoned_legs,
        sum(short_abandoned_legs) as short_abandoned_legs,
        sum(answered_within_threshold_legs) as answered_within_threshold_legs,
        sum(abandoned_within_threshold_legs) as abandoned_within_threshold_legs,
        sum(answered_wait_seconds) as answered_wait_seconds,
        sum(handled_legs) as handled_legs,
        sum(talk_seconds) as talk_seconds,
        sum(hold_seconds) as hold_seconds,
        sum(acw_seconds) as acw_seconds,
        sum(handle_seconds) as handle_seconds,
        sum(logged_in_agent_seconds) as logged_in_agent_seconds,
        sum(productive_agent_seconds) as productive_agent_seconds,
        sum(busy_agent_seconds) as busy_agent_seconds,
        sum(required_agents_erlang_c) * {{ interval_hours }} as required_agent_hours_erlang_c,
        sum(required_agents_erlang_a) * {{ interval_hours }} as required_agent_hours_erlang_a,
        max(required_agents_erlang_c) as peak_required_agents_erlang_c,
        min(service_level) as worst_interval_service_level
    from intervals
    group by queue_name, interval_local_date
),

measured as (
    select
        *,
        {{ service_level_columns() }},
        {{ handling_columns() }},
        productive_agent_seconds / 3600 as staffed_agent_hours,
        case
            when staffed_intervals_with_service_level > 0
                then cast(intervals_meeting_target as double) / staffed_intervals_with_service_level
        end as share_of_intervals_meeting_target
    from daily_sums
),

final as (
    select
        measured.queue_name || '|' || cast(measured.service_date as string) as queue_day_id,
        measured.queue_name,
        measured.service_date,
        cast(measured.intervals as integer) as intervals,
        cast(measured.staffed_intervals_with_service_level as integer)
            as staffed_intervals_with_service_level,
        cast(measured.intervals_meeting_target as integer) as intervals_meeting_target,
        measured.share_of_intervals_meeting_target,
        cast(measured.understaffed_intervals as integer) as understaffed_intervals,
        cast(measured.offered_legs as integer) as offered_legs,
        cast(measured.answered_legs as integer) as answered_legs,
        cast(measured.abandoned_legs as integer) as abandoned_legs,
        cast(measured.short_abandoned_legs as integer) as short_abandoned_legs,
        cast(measured.answered_within_threshold_legs as integer)
            as answered_within_threshold_legs,
        cast(measured.abandoned_within_threshold_legs as integer)
            as abandoned_within_threshold_legs,
        cast(measured.service_level_met_legs as integer) as service_level_met_legs,
        cast(measured.service_level_base_legs as integer) as service_level_base_legs,
        measured.service_level_negative,
        measured.service_level_ignored,
        measured.service_level_positive,
        measured.service_level,
        measured.service_level
        >= {{ queue_target('measured.queue_name', 'service_level') }} as meets_target,
        measured.worst_interval_service_level,
        measured.abandon_rate,
        measured.asa_seconds,
        cast(daily_waits.wait_p50_seconds as double) as wait_p50_seconds,
        cast(daily_waits.wait_p80_seconds as double) as wait_p80_seconds,
        cast(daily_waits.wait_p90_seconds as double) as wait_p90_seconds,
        cast(daily_waits.wait_p95_seconds as double) as wait_p95_seconds,
        cast(measured.handled_legs as integer) as handled_legs,
        cast(measured.talk_seconds as bigint) as talk_seconds,
        cast(measured.hold_seconds as bigint) as hold_seconds,
        cast(measured.acw_seconds as bigint) as acw_seconds,
        cast(measured.handle_seconds as bigint) as handle_seconds,
        measured.aht_seconds,
        measured.staffed_agent_hours,
        measured.occupancy,
        measured.shrinkage,
        cast(measured.required_agent_hours_erlang_c as double) as required_agent_hours_erlang_c,
        cast(measured.required_agent_hours_erlang_a as double) as required_agent_hours_erlang_a,
        measured.peak_required_agents_erlang_c,
        measured.staffed_agent_hours
        - cast(measured.required_agent_hours_erlang_c as double) as staffing_gap_agent_hours
    from measured
    left join daily_waits
        on
            measured.queue_name = daily_waits.queue_name
            and measured.service_date = daily_waits.service_date
)

select
    *,
    {{ built_at() }} as built_at
from final
