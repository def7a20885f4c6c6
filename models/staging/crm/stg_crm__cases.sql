with source as (
    select * from {{ source('crm', 'cases') }}
    where _is_current
),

renamed as (
    select
        case_id,
        customer_id,
        opened_at,
        closed_at,
        topic as case_topic,
        status as case_status,
        call_id,
        cast({{ local_timestamp('opened_at') }} as date) as opened_local_date,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
