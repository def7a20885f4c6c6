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
        leg_count,
        answered_leg_count,
        is_transferred,
        is_ivr_contained,
        is_answered,
        is_abandoned,
        wait_seconds,
        talk_seconds,
        hold_seconds,
        acw_seconds,
        handle_seconds,
        connected_seconds,
        agent_cost,
        telephony_cost,
        overhead_cost,
        call_cost
    from calls
)

select * from final
