with source as (
    select * from {{ source('crm', 'orders') }}
    where _is_current
),

renamed as (
    select
        order_id,
        customer_id,
        ordered_at,
        order_type,
        amount as order_amount,
        channel as order_channel,
        amount < 0 as is_refund,
        cast({{ local_timestamp('ordered_at') }} as date) as ordered_local_date,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
