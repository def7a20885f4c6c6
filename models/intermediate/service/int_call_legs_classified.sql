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
    select * from {{ ref('stg_telephony__call_legs') }}
    where {{ in_incremental_window(
        'coalesce(answered_local_date, queued_local_date, ended_local_date)',
        'contact_local_date',
        utc_floor_column='ended_at',
    ) }}
),

flagged as (
    select
        call_leg_id,
        call_id,
        leg_number,
        direction,
        caller_hash,
        customer_id,
        queue_name,
        disposition,
        wrap_code,
        agent_id,
        ivr_started_at,
        queued_at,
        answered_at,
        ended_at,
        queued_local_date,
        queued_interval_start_local,
        queued_interval_start_at,
        answered_local_date,
        answered_interval_start_local,
        answered_interval_start_at,
        ended_local_date,
        wait_seconds,
        talk_seconds,
        hold_seconds,
        acw_seconds,
        handle_seconds,
        direction = 'inbound' and queued_at is not null as is_queued_inbound,
        answered_at is not null as is_answered,
        disposition = 'abandoned' as is_abandoned,
        coalesce(
            disposition = 'abandoned' and wait_seconds < {{ var('short_abandon_seconds') }}, false
        ) as is_short_abandon,
        {{ seconds_between(
            'coalesce(ivr_started_at, queued_at, answered_at, ended_at)', 'ended_at'
        ) }} as connected_seconds,
        coalesce(answered_local_date, queued_local_date, ended_local_date) as contact_local_date
    from call_legs
),

classified as (
    select
        *,
        is_queued_inbound and not is_short_abandon as is_offered,
        case
            when is_queued_inbound and is_answered
                then wait_seconds <= {{ var('sl_threshold_seconds') }}
            when is_queued_inbound and is_abandoned and not is_short_abandon
                then false
        end as met_sl,
        is_queued_inbound
        and is_abandoned
        and not is_short_abandon
        and wait_seconds <= {{ var('sl_threshold_seconds') }} as is_abandoned_within_threshold
    from flagged
)

select
    *,
    {{ built_at() }} as built_at
from classified
