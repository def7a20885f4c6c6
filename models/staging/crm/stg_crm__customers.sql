{{ config(materialized=hashing_staging_materialization()) }}

with source as (
    select * from {{ source('crm', 'customers') }}
    where _is_current
),

renamed as (
    select
        customer_id,
        created_at,
        updated_at,
        segment as customer_segment,
        plan as plan_name,
        region,
        monthly_revenue,
        status as customer_status,
        cancelled_at,
        {{ redact_free_text("cancel_reason") }} as cancel_reason,
        {{ hash_pii('lower(email)') }} as email_hash,
        {{ hash_pii('phone') }} as phone_hash,
        cast({{ local_timestamp('created_at') }} as date) as created_local_date,
        cast({{ local_timestamp('cancelled_at') }} as date) as cancelled_local_date,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
