-- Customers active at the start of each day and those who cancelled that day, per
-- segment: the counts behind the churn rate of any period (cancelled in the period /
-- active at its start). A customer is active on day d when created before d and not
-- cancelled before d; one who cancels on d was active at its start.

with customers as (
    select
        customer_segment,
        created_date,
        churned_date
    from {{ ref('dim_customers') }}
),

bounds as (
    select
        min(created_date) as first_day,
        max(as_of_date) as last_day
    from {{ ref('dim_customers') }}
),

events as (
    -- +1 the day after creation; -1 the day after cancelling (if ever active).
    select
        customer_segment,
        {{ add_days(1, 'created_date') }} as event_date,
        1 as active_change
    from customers
    union all
    select
        customer_segment,
        {{ add_days(1, 'churned_date') }} as event_date,
        -1 as active_change
    from customers
    where churned_date > created_date
),

daily_changes as (
    select
        customer_segment,
        event_date,
        sum(active_change) as active_change
    from events
    group by customer_segment, event_date
),

cancellations as (
    select
        customer_segment,
        churned_date,
        count(*) as customers_churned
    from customers
    where churned_date > created_date
    group by customer_segment, churned_date
),

segments as (
    select distinct customer_segment from customers
),

segment_days as (
    select
        spine.date_day,
        segments.customer_segment
    from {{ ref('time_spine_daily') }} as spine
    cross join bounds
    cross join segments
    where spine.date_day between bounds.first_day and bounds.last_day
),

final as (
    select
        segment_days.customer_segment || '|' || cast(segment_days.date_day as string)
            as segment_day_id,
        segment_days.date_day as customer_date,
        segment_days.customer_segment,
        cast(sum(coalesce(daily_changes.active_change, 0)) over (
            partition by segment_days.customer_segment
            order by segment_days.date_day
            rows between unbounded preceding and current row
        ) as bigint) as customers_active_at_start,
        cast(coalesce(cancellations.customers_churned, 0) as bigint) as customers_churned
    from segment_days
    left join daily_changes
        on
            segment_days.customer_segment = daily_changes.customer_segment
            and segment_days.date_day = daily_changes.event_date
    left join cancellations
        on
            segment_days.customer_segment = cancellations.customer_segment
            and segment_days.date_day = cancellations.churned_date
)

select * from final
