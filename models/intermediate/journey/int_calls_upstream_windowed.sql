{{
    config(
        materialized='incremental',
        incremental_strategy=replace_days_strategy(),
        unique_key='started_local_date',
        partition_by='started_local_date',
        on_schema_change='fail',
    )
}}

{%- set window_seconds = var('upstream_window_days') * 86400 -%}
{#- What came before a call does not change after it: rebuild the late-arrival
    look-back, reading the upstream window before it (and a day for time zones). -#}
{%- set lookback = var('incremental_lookback_days') | int -%}
{%- set before_lookback = lookback + (var('upstream_window_days') | int) + 1 -%}

with calls as (
    select * from {{ ref('int_calls_rolled_up') }}
    where
        direction = 'inbound'
        and customer_id is not null
        and {{ in_incremental_window('started_local_date') }}
),

contacts as (
    select * from {{ ref('int_customer_contacts_unioned') }}
    where {{ in_incremental_window(
        'contacted_local_date', 'started_local_date', lookback_days=before_lookback
    ) }}
),

cases as (
    -- A case closed before the window cannot be open at a call in it.
    select * from {{ ref('stg_crm__cases') }}
    where closed_at is null or {{ in_incremental_window(
        'closed_at', 'started_local_date', lookback_days=lookback + 1
    ) }}
),

digital_events as (
    select * from {{ ref('stg_crm__digital_events') }}
    where
        event_type in ('self_service_attempt', 'self_service_success')
        and {{ in_incremental_window(
            'occurred_local_date', 'started_local_date', lookback_days=before_lookback,
            utc_floor_column='occurred_at',
        ) }}
),

customers as (
    select * from {{ ref('stg_crm__customers') }}
),

responses as (
    select * from {{ ref('stg_survey__responses') }}
    where has_responded
),

digital_before as (
    select
        calls.call_id,
        sum(case when digital_events.event_type = 'self_service_attempt' then 1 else 0 end)
            as self_service_attempts,
        sum(case when digital_events.event_type = 'self_service_success' then 1 else 0 end)
            as self_service_successes
    from calls
    inner join digital_events
        on
            calls.customer_id = digital_events.customer_id
            and calls.started_at > digital_events.occurred_at
            and {{ seconds_between('digital_events.occurred_at', 'calls.started_at') }}
            <= {{ window_seconds }}
    group by calls.call_id
),

contacts_before as (
    select
        calls.call_id,
        sum(case when contacts.contact_type = 'call' then 1 else 0 end) as prior_calls,
        sum(case when contacts.contact_type = 'case' then 1 else 0 end) as prior_cases
    from calls
    inner join contacts
        on
            calls.customer_id = contacts.customer_id
            and calls.started_at > contacts.contacted_at
            and {{ seconds_between('contacts.contacted_at', 'calls.started_at') }}
            <= {{ window_seconds }}
    group by calls.call_id
),

open_cases as (
    select
        calls.call_id,
        count(*) as open_cases
    from calls
    inner join cases
        on
            calls.customer_id = cases.customer_id
            and calls.started_at > cases.opened_at
            and (cases.closed_at is null or calls.started_at < cases.closed_at)
    group by calls.call_id
),

last_response as (
    select
        calls.call_id,
        responses.csat_score,
        responses.nps_score,
        responses.ces_score,
        row_number() over (
            partition by calls.call_id order by responses.responded_at desc
        ) as recency
    from calls
    inner join responses
        on
            calls.customer_id = responses.customer_id
            and calls.started_at > responses.responded_at
),

final as (
    select
        calls.call_id,
        calls.started_local_date,
        cast(coalesce(digital_before.self_service_attempts, 0) as integer)
            as self_service_attempts_before,
        cast(coalesce(digital_before.self_service_successes, 0) as integer)
            as self_service_successes_before,
        cast(coalesce(contacts_before.prior_calls, 0) as integer) as prior_calls,
        cast(coalesce(contacts_before.prior_cases, 0) as integer) as prior_cases,
        cast(coalesce(open_cases.open_cases, 0) as integer) as open_cases_at_call,
        cast(
            {{ days_between('customers.created_local_date', 'calls.started_local_date') }}
            as integer
        ) as customer_tenure_days,
        last_response.csat_score as last_csat_before,
        last_response.nps_score as last_nps_before,
        last_response.ces_score as last_ces_before
    from calls
    left join digital_before on calls.call_id = digital_before.call_id
    left join contacts_before on calls.call_id = contacts_before.call_id
    left join open_cases on calls.call_id = open_cases.call_id
    left join customers on calls.customer_id = customers.customer_id
    left join last_response
        on calls.call_id = last_response.call_id and last_response.recency = 1
)

select
    *,
    {{ built_at() }} as built_at
from final
