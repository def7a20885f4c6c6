with segment_queue_months as (
    select * from {{ ref('fct_cost_loyalty') }}
    where breakdown = 'segment_queue'
),

paired as (
    -- Each segment-queue-month next to the same segment and queue the month before.
    select
        current_month.customer_segment,
        current_month.queue_name,
        current_month.month_start,
        previous_month.month_start as previous_month_start,
        current_month.answered_legs,
        previous_month.answered_legs as previous_answered_legs,
        current_month.aht_seconds,
        previous_month.aht_seconds as previous_aht_seconds,
        current_month.cost_per_contact,
        previous_month.cost_per_contact as previous_cost_per_contact,
        current_month.resolution_observed_calls as answered_observed_calls,
        previous_month.resolution_observed_calls as previous_answered_observed_calls,
        current_month.resolution_observed_calls - current_month.resolved_calls
            as repeated_calls,
        previous_month.resolution_observed_calls
        - previous_month.resolved_calls as previous_repeated_calls,
        current_month.churn_30d_observed_callers,
        previous_month.churn_30d_observed_callers as previous_churn_30d_observed_callers,
        current_month.churned_within_30d_callers,
        previous_month.churned_within_30d_callers as previous_churned_within_30d_callers,
        current_month.churn_rate_30d,
        previous_month.churn_rate_30d as previous_churn_rate_30d,
        current_month.revenue_at_risk_30d,
        previous_month.revenue_at_risk_30d as previous_revenue_at_risk_30d
    from segment_queue_months as current_month
    inner join segment_queue_months as previous_month
        on
            current_month.customer_segment = previous_month.customer_segment
            and current_month.queue_name = previous_month.queue_name
            and {{ start_of_month(add_days(-1, 'current_month.month_start')) }}
            = previous_month.month_start
),

compared as (
    select
        *,
        aht_seconds - previous_aht_seconds as aht_change_seconds,
        case
            when answered_observed_calls > 0
                then cast(repeated_calls as double) / answered_observed_calls
        end as answered_repeat_rate,
        case
            when previous_answered_observed_calls > 0
                then cast(previous_repeated_calls as double) / previous_answered_observed_calls
        end as previous_answered_repeat_rate,
        {{ two_proportion_z(
            'repeated_calls', 'answered_observed_calls',
            'previous_repeated_calls', 'previous_answered_observed_calls'
        ) }} as answered_repeat_rate_change_z,
        churn_rate_30d - previous_churn_rate_30d as churn_rate_30d_change,
        {{ two_proportion_z(
            'churned_within_30d_callers', 'churn_30d_observed_callers',
            'previous_churned_within_30d_callers', 'previous_churn_30d_observed_callers'
        ) }} as churn_rate_30d_change_z,
        revenue_at_risk_30d - previous_revenue_at_risk_30d as revenue_at_risk_30d_change,
        cost_per_contact - previous_cost_per_contact as cost_per_contact_change
    from paired
),

final as (
    select
        customer_segment || '|' || queue_name || '|' || cast(month_start as string)
            as bad_trade_id,
        customer_segment,
        queue_name,
        month_start,
        previous_month_start,
        cast(answered_legs as integer) as answered_legs,
        cast(previous_answered_legs as integer) as previous_answered_legs,
        aht_seconds,
        previous_aht_seconds,
        aht_change_seconds,
        case
            when previous_aht_seconds > 0 then aht_change_seconds / previous_aht_seconds
        end as aht_change_share,
        cost_per_contact,
        previous_cost_per_contact,
        cost_per_contact_change,
        cast(answered_observed_calls as integer) as answered_observed_calls,
        cast(previous_answered_observed_calls as integer) as previous_answered_observed_calls,
        answered_repeat_rate,
        previous_answered_repeat_rate,
        answered_repeat_rate - previous_answered_repeat_rate as answered_repeat_rate_change,
        answered_repeat_rate_change_z,
        cast(churn_30d_observed_callers as integer) as churn_30d_observed_callers,
        cast(previous_churn_30d_observed_callers as integer)
            as previous_churn_30d_observed_callers,
        churn_rate_30d,
        previous_churn_rate_30d,
        churn_rate_30d_change,
        churn_rate_30d_change_z,
        revenue_at_risk_30d,
        previous_revenue_at_risk_30d,
        cast(revenue_at_risk_30d_change as decimal(18, 2)) as revenue_at_risk_30d_change,
        coalesce(
            aht_change_seconds < 0
            and (
                answered_repeat_rate > previous_answered_repeat_rate
                or churn_rate_30d_change > 0
            ),
            false
        ) as is_bad_trade,
        coalesce(
            aht_change_seconds < 0
            and (
                answered_repeat_rate_change_z >= {{ var('bad_trade_min_z') }}
                or churn_rate_30d_change_z >= {{ var('bad_trade_min_z') }}
            ),
            false
        ) as is_significant_bad_trade
    from compared
)

select * from final
