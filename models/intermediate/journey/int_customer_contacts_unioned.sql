{{
    config(
        materialized='incremental',
        incremental_strategy=replace_days_strategy(),
        unique_key='contacted_local_date',
        partition_by='contacted_local_date',
        on_schema_change='fail',
    )
}}

with calls as (
    select * from {{ ref('int_calls_rolled_up') }}
    where {{ in_incremental_window('started_local_date', 'contacted_local_date') }}
),

cases as (
    select * from {{ ref('stg_crm__cases') }}
    where {{ in_incremental_window(
        'opened_local_date', 'contacted_local_date', utc_floor_column='opened_at'
    ) }}
),

inbound_calls as (
    select
        'call-' || call_id as contact_id,
        'call' as contact_type,
        customer_id,
        call_id,
        started_at as contacted_at,
        started_local_date as contacted_local_date
    from calls
    where direction = 'inbound' and customer_id is not null
),

cases_opened_apart_from_a_call as (
    -- A case an agent opens on a call is part of that call, not a new contact.
    select
        'case-' || case_id as contact_id,
        'case' as contact_type,
        customer_id,
        cast(null as string) as call_id,
        opened_at as contacted_at,
        opened_local_date as contacted_local_date
    from cases
    where call_id is null and customer_id is not null
),

final as (
    select * from inbound_calls
    union all
    select * from cases_opened_apart_from_a_call
)

select
    *,
    {{ built_at() }} as built_at
from final
