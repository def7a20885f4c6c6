{%- set day_seconds = 86400 -%}

with calls as (
    select * from {{ ref('int_calls_rolled_up') }}
    where direction = 'inbound' and customer_id is not null
),

contacts as (
    select * from {{ ref('int_customer_contacts_unioned') }}
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
    inner join calls as previous
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

select * from final
