with calls as (
    select * from {{ ref('int_calls_rolled_up') }}
),

cases as (
    select * from {{ ref('stg_crm__cases') }}
),

inbound_calls as (
    select
        'call-' || call_id as contact_id,
        'call' as contact_type,
        customer_id,
        call_id,
        started_at as contacted_at
    from calls
    where direction = 'inbound' and customer_id is not null
),

cases_opened_apart_from_a_call as (
    -- A case an agent opens on a call is part of that call, not a new contact.
    select
        'case-' || case_id as contact_id,
        'case' as contact_type,
        customer_id,
        cast(null as varchar) as call_id,
        opened_at as contacted_at
    from cases
    where call_id is null and customer_id is not null
),

final as (
    select * from inbound_calls
    union all
    select * from cases_opened_apart_from_a_call
)

select * from final
