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
{%- set repeat_seconds = (var('repeat_window_days') | int) * day_seconds -%}
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

observed as (
    -- How far the contacts are known: the latest call, or the latest case if the CRM
    -- delivers less recently. A window that ends later has not been seen whole.
    select
        least(
            max(case when contact_type = 'call' then contacted_at end),
            max(case when contact_type = 'case' then contacted_at end)
        ) as observed_until
    from contacts
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
        max(previous.ended_at) as previous_call_ended_at,
        max(case when previous.is_abandoned then 1 else 0 end) = 1 as has_abandoned_before
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
        calls.is_answered,
        later_contacts.next_contacted_at,
        {{ seconds_between('calls.ended_at', 'later_contacts.next_contacted_at') }}
            as seconds_to_next_contact,
        {{ seconds_between('calls.ended_at', 'observed.observed_until') }}
            as seconds_observed_after,
        coalesce(later_contacts.contacts_within_30d, 0) as contacts_within_30d,
        earlier_calls.previous_call_ended_at is not null as is_repeat_contact,
        coalesce(earlier_calls.has_abandoned_before, false) as is_callback_after_abandon
    from calls
    cross join observed
    left join later_contacts on calls.call_id = later_contacts.call_id
    left join earlier_calls on calls.call_id = earlier_calls.call_id
),

final as (
    -- A flag is null until its window has ended in the data: before then, whether the
    -- customer comes back is unknown, and counting it as "no repeat" would flatter the
    -- latest days. Resolution is a question for answered calls only (docs/metrics.md).
    select
        call_id,
        customer_id,
        started_local_date,
        next_contacted_at,
        seconds_to_next_contact,
        contacts_within_30d,
        is_repeat_contact,
        is_callback_after_abandon,
        case
            when seconds_observed_after >= {{ day_seconds }}
                then coalesce(seconds_to_next_contact <= {{ day_seconds }}, false)
        end as has_repeat_within_1d,
        case
            when seconds_observed_after >= {{ 7 * day_seconds }}
                then coalesce(seconds_to_next_contact <= {{ 7 * day_seconds }}, false)
        end as has_repeat_within_7d,
        case
            when seconds_observed_after >= {{ 30 * day_seconds }}
                then coalesce(seconds_to_next_contact <= {{ 30 * day_seconds }}, false)
        end as has_repeat_within_30d,
        seconds_observed_after >= {{ repeat_seconds }} as is_repeat_window_ended,
        case
            when is_answered and seconds_observed_after >= {{ repeat_seconds }}
                then not coalesce(seconds_to_next_contact <= {{ repeat_seconds }}, false)
        end as is_resolved,
        coalesce(
            seconds_to_next_contact <= {{ var('containment_window_hours') * 3600 }}, false
        ) as has_contact_within_containment_window
    from flagged
)

select
    *,
    {{ built_at() }} as built_at
from final
