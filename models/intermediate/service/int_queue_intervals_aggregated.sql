{{
    config(
        materialized='incremental',
        incremental_strategy=replace_days_strategy(),
        unique_key='interval_local_date',
        partition_by='interval_local_date',
        on_schema_change='fail',
    )
}}

{#- A leg's interval days are on or after its contact day, less a day when it was
    queued before midnight and answered after: the window's legs plus the day
    before cover every interval of the window (cut exactly at the end). -#}
{%- set lookback = var('incremental_lookback_days') | int -%}

with call_legs as (
    select * from {{ ref('int_call_legs_classified') }}
    where
        is_queued_inbound
        and {{ in_incremental_window(
            'contact_local_date', 'interval_local_date', lookback_days=lookback + 1
        ) }}
),

queued as (
    -- A leg belongs to the interval it was queued in.
    select
        queue_name,
        queued_interval_start_at as interval_start_at,
        max(queued_interval_start_local) as interval_start_local,
        sum(case when is_offered then 1 else 0 end) as offered_legs,
        sum(case when is_answered then 1 else 0 end) as answered_legs,
        sum(case when is_abandoned and not is_short_abandon then 1 else 0 end) as abandoned_legs,
        sum(case when is_short_abandon then 1 else 0 end) as short_abandoned_legs,
        sum(case when met_sl then 1 else 0 end) as answered_within_threshold_legs,
        sum(case when is_abandoned_within_threshold then 1 else 0 end)
            as abandoned_within_threshold_legs,
        sum(case when is_answered then wait_seconds else 0 end) as answered_wait_seconds,
        sum(case when is_offered then wait_seconds else 0 end) as offered_wait_seconds,
        sum(case when is_abandoned and not is_short_abandon then wait_seconds else 0 end)
            as abandoned_wait_seconds,
        {{ wait_percentiles('case when is_offered then wait_seconds end') }}
    from call_legs
    group by queue_name, queued_interval_start_at
),

answered as (
    -- Handle time belongs to the interval the leg was answered in.
    select
        queue_name,
        answered_interval_start_at as interval_start_at,
        max(answered_interval_start_local) as interval_start_local,
        count(*) as handled_legs,
        sum(talk_seconds) as talk_seconds,
        sum(hold_seconds) as hold_seconds,
        sum(acw_seconds) as acw_seconds,
        sum(handle_seconds) as handle_seconds
    from call_legs
    where is_answered
    group by queue_name, answered_interval_start_at
),

final as (
    select
        coalesce(queued.queue_name, answered.queue_name) as queue_name,
        coalesce(queued.interval_start_at, answered.interval_start_at) as interval_start_at,
        coalesce(queued.interval_start_local, answered.interval_start_local)
            as interval_start_local,
        cast(coalesce(queued.interval_start_local, answered.interval_start_local) as date)
            as interval_local_date,
        coalesce(queued.offered_legs, 0) as offered_legs,
        coalesce(queued.answered_legs, 0) as answered_legs,
        coalesce(queued.abandoned_legs, 0) as abandoned_legs,
        coalesce(queued.short_abandoned_legs, 0) as short_abandoned_legs,
        coalesce(queued.answered_within_threshold_legs, 0) as answered_within_threshold_legs,
        coalesce(queued.abandoned_within_threshold_legs, 0) as abandoned_within_threshold_legs,
        coalesce(queued.answered_wait_seconds, 0) as answered_wait_seconds,
        coalesce(queued.offered_wait_seconds, 0) as offered_wait_seconds,
        coalesce(queued.abandoned_wait_seconds, 0) as abandoned_wait_seconds,
        queued.wait_p50_seconds,
        queued.wait_p80_seconds,
        queued.wait_p90_seconds,
        queued.wait_p95_seconds,
        coalesce(answered.handled_legs, 0) as handled_legs,
        coalesce(answered.talk_seconds, 0) as talk_seconds,
        coalesce(answered.hold_seconds, 0) as hold_seconds,
        coalesce(answered.acw_seconds, 0) as acw_seconds,
        coalesce(answered.handle_seconds, 0) as handle_seconds
    from queued
    full outer join answered
        on
            queued.queue_name = answered.queue_name
            and queued.interval_start_at = answered.interval_start_at
)

select
    *,
    {{ built_at() }} as built_at
from final
where {{ in_incremental_window('interval_local_date') }}
