with source as (
    select * from {{ source('crm', 'digital_events') }}
    where _is_current
),

renamed as (
    select
        event_id as digital_event_id,
        customer_id,
        occurred_at,
        channel as digital_channel,
        event_type,
        topic as event_topic,
        cast({{ local_timestamp('occurred_at') }} as date) as occurred_local_date,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
