{%- set day_seconds = 86400 -%}
{%- set after_seconds = 30 * day_seconds -%}
{{
    config(
        materialized='incremental',
        incremental_strategy=replace_days_strategy(),
        unique_key='started_local_date',
        partition_by='started_local_date',
        on_schema_change='fail',
    )
}}

{%- set churn_seconds = var('churn_window_days') * day_seconds -%}
{#- A call's churn flag changes up to `churn_window_days` after it ends (a day after
    it starts at most): rebuild that far back, plus the late-arrival look-back, and
    read what came after those calls (orders from 30 days before them). -#}
{%- set lookback = (var('incremental_lookback_days') | int)
    + ([var('churn_window_days') | int, 30] | max) + 1 -%}

with calls as (
    select * from {{ ref('int_calls_rolled_up') }}
    where
        direction = 'inbound'
        and customer_id is not null
        and {{ in_incremental_window('started_local_date', lookback_days=lookback) }}
),

customers as (
    select * from {{ ref('stg_crm__customers') }}
),

orders as (
    select * from {{ ref('stg_crm__orders') }}
    where {{ in_incremental_window(
        'ordered_local_date', 'started_local_date', lookback_days=lookback + 31,
        utc_floor_column='ordered_at',
    ) }}
),

digital_successes as (
    select * from {{ ref('stg_crm__digital_events') }}
    where
        event_type = 'self_service_success'
        and {{ in_incremental_window(
            'occurred_local_date', 'started_local_date', lookback_days=lookback,
            utc_floor_column='occurred_at',
        ) }}
),

responses as (
    select * from {{ ref('stg_survey__responses') }}
    where
        has_responded
        and {{ in_incremental_window(
            'responded_at', 'started_local_date', lookback_days=lookback + 1
        ) }}
),

order_value as (
    -- Net order value (refunds are negative) 30 days after the call minus 30 before.
    select
        calls.call_id,
        sum(case when orders.ordered_at > calls.ended_at then orders.order_amount else 0 end)
            as order_value_after,
        sum(case when orders.ordered_at <= calls.started_at then orders.order_amount else 0 end)
            as order_value_before
    from calls
    inner join orders
        on
            calls.customer_id = orders.customer_id
            and (
                (
                    calls.ended_at < orders.ordered_at
                    and {{ seconds_between('calls.ended_at', 'orders.ordered_at') }}
                    <= {{ after_seconds }}
                )
                or (
                    calls.started_at >= orders.ordered_at
                    and {{ seconds_between('orders.ordered_at', 'calls.started_at') }}
                    <= {{ after_seconds }}
                )
            )
    group by calls.call_id
),

digital_after as (
    select
        calls.call_id,
        count(*) as self_service_successes_after
    from calls
    inner join digital_successes
        on
            calls.customer_id = digital_successes.customer_id
            and calls.ended_at < digital_successes.occurred_at
            and {{ seconds_between('calls.ended_at', 'digital_successes.occurred_at') }}
            <= {{ after_seconds }}
    group by calls.call_id
),

next_response as (
    select
        calls.call_id,
        responses.csat_score,
        responses.nps_score,
        responses.ces_score,
        row_number() over (partition by calls.call_id order by responses.responded_at) as recency
    from calls
    inner join responses
        on
            calls.customer_id = responses.customer_id
            and calls.ended_at < responses.responded_at
            and (responses.call_id is null or calls.call_id != responses.call_id)
            and {{ seconds_between('calls.ended_at', 'responses.responded_at') }}
            <= {{ after_seconds }}
),

final as (
    select
        calls.call_id,
        calls.started_local_date,
        coalesce(
            calls.ended_at < customers.cancelled_at
            and {{ seconds_between('calls.ended_at', 'customers.cancelled_at') }}
            <= {{ churn_seconds }},
            false
        ) as has_churned_within_window,
        coalesce(
            calls.ended_at < customers.cancelled_at
            and {{ seconds_between('calls.ended_at', 'customers.cancelled_at') }}
            <= {{ after_seconds }},
            false
        ) as has_churned_within_30d,
        -- Only within the window: a later cancellation is not this call's outcome (and
        -- a nightly run, which rebuilds the window, would not see it on older calls).
        case
            when
                calls.ended_at < customers.cancelled_at
                and {{ seconds_between('calls.ended_at', 'customers.cancelled_at') }}
                <= {{ churn_seconds }}
                then customers.cancelled_at
        end as churned_at,
        cast(coalesce(order_value.order_value_after, 0) as decimal(18, 2)) as order_value_after,
        cast(coalesce(order_value.order_value_before, 0) as decimal(18, 2)) as order_value_before,
        cast(
            coalesce(order_value.order_value_after, 0) - coalesce(order_value.order_value_before, 0)
            as decimal(18, 2)
        ) as order_value_change,
        cast(coalesce(digital_after.self_service_successes_after, 0) as integer)
            as self_service_successes_after,
        coalesce(digital_after.self_service_successes_after, 0) > 0 as has_moved_to_self_service,
        next_response.csat_score as next_csat_after,
        next_response.nps_score as next_nps_after,
        next_response.ces_score as next_ces_after
    from calls
    left join customers on calls.customer_id = customers.customer_id
    left join order_value on calls.call_id = order_value.call_id
    left join digital_after on calls.call_id = digital_after.call_id
    left join next_response
        on calls.call_id = next_response.call_id and next_response.recency = 1
)

select
    *,
    {{ built_at() }} as built_at
from final
