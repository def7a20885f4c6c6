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

found_before as (
    -- The four lookups above stacked, one row per call and lookup...
    select
        call_id,
        self_service_attempts,
        self_service_successes,
        cast(null as bigint) as prior_calls,
        cast(null as bigint) as prior_cases,
        cast(null as bigint) as open_cases,
        cast(null as integer) as csat_score,
        cast(null as integer) as nps_score,
        cast(null as integer) as ces_score
    from digital_before
    union all
    select
        call_id,
        cast(null as bigint) as self_service_attempts,
        cast(null as bigint) as self_service_successes,
        prior_calls,
        prior_cases,
        cast(null as bigint) as open_cases,
        cast(null as integer) as csat_score,
        cast(null as integer) as nps_score,
        cast(null as integer) as ces_score
    from contacts_before
    union all
    select
        call_id,
        cast(null as bigint) as self_service_attempts,
        cast(null as bigint) as self_service_successes,
        cast(null as bigint) as prior_calls,
        cast(null as bigint) as prior_cases,
        open_cases,
        cast(null as integer) as csat_score,
        cast(null as integer) as nps_score,
        cast(null as integer) as ces_score
    from open_cases
    union all
    select
        call_id,
        cast(null as bigint) as self_service_attempts,
        cast(null as bigint) as self_service_successes,
        cast(null as bigint) as prior_calls,
        cast(null as bigint) as prior_cases,
        cast(null as bigint) as open_cases,
        csat_score,
        nps_score,
        ces_score
    from last_response
    where recency = 1
),

before_call as (
    -- ...then one row per call: a single aggregation, which spills to disk under the
    -- memory limit, where four joins on call_id at once held four hash tables of a
    -- year's calls in memory (a 10 million leg build ran out of its 4 GB).
    select
        call_id,
        sum(self_service_attempts) as self_service_attempts,
        sum(self_service_successes) as self_service_successes,
        sum(prior_calls) as prior_calls,
        sum(prior_cases) as prior_cases,
        sum(open_cases) as open_cases,
        max(csat_score) as csat_score,  -- one response per call: its latest before it
        max(nps_score) as nps_score,
        max(ces_score) as ces_score
    from found_before
    group by call_id
),

final as (
    select
        calls.call_id,
        calls.started_local_date,
        cast(coalesce(before_call.self_service_attempts, 0) as integer)
            as self_service_attempts_before,
        cast(coalesce(before_call.self_service_successes, 0) as integer)
            as self_service_successes_before,
        cast(coalesce(before_call.prior_calls, 0) as integer) as prior_calls,
        cast(coalesce(before_call.prior_cases, 0) as integer) as prior_cases,
        cast(coalesce(before_call.open_cases, 0) as integer) as open_cases_at_call,
        cast(
            {{ days_between('customers.created_local_date', 'calls.started_local_date') }}
            as integer
        ) as customer_tenure_days,
        before_call.csat_score as last_csat_before,
        before_call.nps_score as last_nps_before,
        before_call.ces_score as last_ces_before
    from calls
    left join before_call on calls.call_id = before_call.call_id
    left join customers on calls.customer_id = customers.customer_id
)

select
    *,
    {{ built_at() }} as built_at
from final
