{{
    config(
        materialized='incremental',
        incremental_strategy=replace_days_strategy(),
        unique_key='started_local_date',
        partition_by='started_local_date',
        on_schema_change='fail',
    )
}}

{%- set day_seconds = 86400 -%}
{#- A call's flags change with contacts up to 30 days after it ends (a day after it
    starts at most): rebuild that far back, plus the late-arrival look-back. -#}
{%- set lookback = (var('incremental_lookback_days') | int) + 31 -%}
{%- set previous_lookback = lookback + (var('repeat_window_days') | int) + 1 -%}

with inbound_calls as (
    select * from {{ ref('int_calls_rolled_up') }}
    where direction = 'inbound' and customer_id is not null
),

calls as (
    select * from inbound_calls
    where {{ in_incremental_window('started_local_date', lookback_days=lookback) }}
),

previous_calls as (
    select * from inbound_calls
    where {{ in_incremental_window('started_local_date', lookback_days=previous_lookback) }}
),

contacts as (
    -- Only contacts after a call of the window count.
    select * from {{ ref('int_customer_contacts_unioned') }}
    where {{ in_incremental_window(
        'contacted_local_date', 'started_local_date', lookback_days=lookback
    ) }}
),

later_contacts as (
    -- Contacts from the same customer that start after the call ended, up to 30 days.
    select
        calls.call_id,
        count(*) as contacts_within_30d,
        min(contacts.contacted_at) as next_contacted_at,
        min(case when contacts.contact_type = 'call' then contacts.contacted_at end)
            as next_call_at
    from calls
    inner join contacts
        on
            calls.customer_id = contacts.customer_id
            and calls.ended_at < contacts.contacted_at
            and {{ seconds_between('calls.ended_at', 'contacts.contacted_at') }}
            <= {{ 30 * day_seconds }}
    group by calls.call_id
),

earlier_calls as (
    -- Calls from the same customer that ended in the repeat window before this one.
    select
        calls.call_id,
        max(previous.ended_at) as previous_call_ended_at
    from calls
    inner join previous_calls as previous
        on
            calls.customer_id = previous.customer_id
            and calls.started_at > previous.ended_at
            and {{ seconds_between('previous.ended_at', 'calls.started_at') }}
            <= {{ var('repeat_window_days') * day_seconds }}
    group by calls.call_id
),

flagged as (
    select
        calls.call_id,
        calls.customer_id,
        calls.started_local_date,
        later_contacts.next_contacted_at,
        {{ seconds_between('calls.ended_at', 'later_contacts.next_contacted_at') }}
            as seconds_to_next_contact,
        coalesce(later_contacts.contacts_within_30d, 0) as contacts_within_30d,
        earlier_calls.previous_call_ended_at is not null as is_repeat_contact
    from calls
    left join later_contacts on calls.call_id = later_contacts.call_id
    left join earlier_calls on calls.call_id = earlier_calls.call_id
),

final as (
    select
        *,
        coalesce(seconds_to_next_contact <= {{ 1 * day_seconds }}, false)
            as has_repeat_within_1d,
        coalesce(seconds_to_next_contact <= {{ 7 * day_seconds }}, false)
            as has_repeat_within_7d,
        coalesce(seconds_to_next_contact <= {{ 30 * day_seconds }}, false)
            as has_repeat_within_30d,
        not coalesce(
            seconds_to_next_contact <= {{ var('repeat_window_days') * day_seconds }}, false
        ) as is_resolved,
        coalesce(
            seconds_to_next_contact <= {{ var('containment_window_hours') * 3600 }}, false
        ) as has_contact_within_containment_window
    from flagged
)

select
    *,
    {{ built_at() }} as built_at
from final
