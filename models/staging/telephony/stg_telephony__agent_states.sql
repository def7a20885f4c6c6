with source as (
    select * from {{ source('telephony', 'agent_states') }}
    where _is_current
),

renamed as (
    select
        agent_id || '-' || {{ utc_timestamp_text('started_at') }} as agent_state_id,
        agent_id,
        state as agent_state,
        started_at,
        ended_at,
        {{ seconds_between('started_at', 'ended_at') }} as state_seconds,
        state <> 'offline' as is_logged_in,
        state in ('available', 'on_call', 'hold', 'acw') as is_productive,
        cast({{ local_timestamp('started_at') }} as date) as started_local_date,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
