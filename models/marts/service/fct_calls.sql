{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='started_local_date',
        on_schema_change='fail',
    )
}}

with calls as (
    select * from {{ ref('int_calls_rolled_up') }}
    where {{ in_incremental_window('started_local_date') }}
),

final as (
    select
        call_id,
        direction,
        customer_id,
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
        cast(wait_seconds as bigint) as wait_seconds,
        cast(talk_seconds as bigint) as talk_seconds,
        cast(hold_seconds as bigint) as hold_seconds,
        cast(acw_seconds as bigint) as acw_seconds,
        cast(handle_seconds as bigint) as handle_seconds,
        cast(connected_seconds as bigint) as connected_seconds,
        agent_cost,
        telephony_cost,
        cast(overhead_cost as double) as overhead_cost,
        cast(call_cost as double) as call_cost
    from calls
)

select * from final
