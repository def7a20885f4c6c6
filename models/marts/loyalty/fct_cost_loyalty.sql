{{
    config(
        materialized='incremental',
        incremental_strategy=replace_days_strategy(),
        unique_key='month_start',
        partition_by='month_start',
        on_schema_change='fail',
    )
}}

{%- set churn_observed_days = (var('churn_window_days') | int) + 1 -%}
{#- Whole months, as far back as fct_customer_journey rebuilds (churn), plus a month:
    every month with a day that can still change, from the latest month's start. -#}
{%- set lookback = (var('incremental_lookback_days') | int)
    + ([var('churn_window_days') | int, 30] | max) + 1 + 31 -%}

with calls as (
    select * from {{ ref('fct_calls') }}
    where
        direction = 'inbound'
        and {{ in_incremental_window(
            start_of_month('started_local_date'), 'month_start', lookback_days=lookback,
            date_floor_column='started_local_date',
        ) }}
),

journeys as (
    select * from {{ ref('fct_customer_journey') }}
    where {{ in_incremental_window(
        start_of_month('started_local_date'), 'month_start', lookback_days=lookback,
        date_floor_column='started_local_date',
    ) }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

answered_legs as (
    select * from {{ ref('fct_call_legs') }}
    where
        is_answered
        and direction = 'inbound'
        and {{ in_incremental_window(
            start_of_month('contact_local_date'), 'month_start', lookback_days=lookback,
            date_floor_column='contact_local_date',
        ) }}
),

team_months as (
    select * from {{ ref('fct_agent_retention') }}
),

data_end as (
    -- The last day the calls describe: a window that runs past it is not yet observed.
    select max(started_local_date) as last_call_date from calls
),

team_handle as (
    select
        site_name,
        team_name,
        {{ start_of_month('contact_local_date') }} as month_start,
        sum(handle_seconds) as handle_seconds
    from answered_legs
    group by site_name, team_name, {{ start_of_month('contact_local_date') }}
),

call_attrition_costs as (
    -- A team-month's attrition cost is carried by the handle time its agents gave.
    select
        answered_legs.call_id,
        sum(team_months.attrition_cost * answered_legs.handle_seconds / team_handle.handle_seconds)
            as attrition_cost
    from answered_legs
    inner join team_handle
        on
            answered_legs.site_name = team_handle.site_name
            and answered_legs.team_name = team_handle.team_name
            and {{ start_of_month('answered_legs.contact_local_date') }} = team_handle.month_start
    inner join team_months
        on
            team_handle.site_name = team_months.site_name
            and team_handle.team_name = team_months.team_name
            and team_handle.month_start = team_months.month_start
    where team_handle.handle_seconds > 0
    group by answered_legs.call_id
),

last_answered_legs as (
    -- The team whose agent answered the call's last leg owns its outcome.
    select
        call_id,
        site_name,
        team_name,
        row_number() over (partition by call_id order by leg_number desc) as from_last
    from answered_legs
),

attributed_calls as (
    select
        calls.call_id,
        calls.customer_id,
        {{ start_of_month('calls.started_local_date') }} as month_start,
        case
            when calls.customer_id is null then 'unidentified'
            else coalesce(journeys.customer_segment, 'unknown')
        end as customer_segment,
        calls.first_queue_name as queue_name,
        last_answered_legs.site_name,
        last_answered_legs.team_name,
        calls.is_answered,
        calls.answered_leg_count,
        calls.handle_seconds,
        calls.call_cost,
        coalesce(call_attrition_costs.attrition_cost, 0) as attrition_cost,
        calls.is_resolved is not null as is_resolution_observed,
        calls.is_resolved,
        calls.is_surveyed,
        calls.has_survey_response,
        calls.csat_score,
        calls.nps_score,
        calls.ces_score,
        journeys.has_churned_within_window,
        journeys.has_churned_within_30d,
        calls.started_local_date <= {{ add_days(-31, 'data_end.last_call_date') }}
            as is_churn_30d_observed,
        customers.monthly_revenue
    from calls
    cross join data_end
    left join journeys on calls.call_id = journeys.call_id
    left join customers on calls.customer_id = customers.customer_id
    left join call_attrition_costs on calls.call_id = call_attrition_costs.call_id
    left join last_answered_legs
        on calls.call_id = last_answered_legs.call_id and last_answered_legs.from_last = 1
),

breakdowns as (
    select 'segment_queue' as breakdown
    union all
    select 'team' as breakdown
),

breakdown_rows as (
    -- Every call once by customer segment and queue, and every answered call once by
    -- the team that answered it.
    select
        breakdowns.breakdown,
        case
            when breakdowns.breakdown = 'segment_queue' then attributed_calls.customer_segment
        end as customer_segment,
        case
            when breakdowns.breakdown = 'segment_queue' then attributed_calls.queue_name
        end as queue_name,
        case when breakdowns.breakdown = 'team' then attributed_calls.site_name end as site_name,
        case when breakdowns.breakdown = 'team' then attributed_calls.team_name end as team_name,
        attributed_calls.call_id,
        attributed_calls.customer_id,
        attributed_calls.month_start,
        attributed_calls.is_answered,
        attributed_calls.answered_leg_count,
        attributed_calls.handle_seconds,
        attributed_calls.call_cost,
        attributed_calls.attrition_cost,
        attributed_calls.is_resolution_observed,
        attributed_calls.is_resolved,
        attributed_calls.is_surveyed,
        attributed_calls.has_survey_response,
        attributed_calls.csat_score,
        attributed_calls.nps_score,
        attributed_calls.ces_score,
        attributed_calls.has_churned_within_window,
        attributed_calls.has_churned_within_30d,
        attributed_calls.is_churn_30d_observed,
        attributed_calls.monthly_revenue
    from attributed_calls
    cross join breakdowns
    where breakdowns.breakdown = 'segment_queue' or attributed_calls.team_name is not null
),

call_measures as (
    select
        breakdown,
        month_start,
        customer_segment,
        queue_name,
        site_name,
        team_name,
        count(*) as inbound_calls,
        sum(case when is_answered then 1 else 0 end) as answered_calls,
        sum(answered_leg_count) as answered_legs,
        sum(handle_seconds) as handle_seconds,
        sum(call_cost) as total_cost,
        sum(attrition_cost) as allocated_attrition_cost,
        sum(case when is_resolution_observed then 1 else 0 end) as resolution_observed_calls,
        sum(case when is_resolution_observed and is_resolved then 1 else 0 end) as resolved_calls,
        sum(case when is_resolution_observed then call_cost else 0 end)
            as resolution_observed_cost,
        sum(case when is_surveyed then 1 else 0 end) as surveys_sent,
        sum(case when has_survey_response then 1 else 0 end) as survey_responses,
        count(csat_score) as csat_responses,
        sum(case when {{ is_csat_top_two_box('csat_score') }} then 1 else 0 end)
            as csat_top_two_box,
        avg(csat_score) as csat_mean,
        count(nps_score) as nps_responses,
        sum(case when {{ is_nps_promoter('nps_score') }} then 1 else 0 end) as nps_promoters,
        sum(case when {{ is_nps_detractor('nps_score') }} then 1 else 0 end) as nps_detractors,
        count(ces_score) as ces_responses,
        avg(ces_score) as ces_mean
    from breakdown_rows
    group by breakdown, month_start, customer_segment, queue_name, site_name, team_name
),

group_callers as (
    -- Churn counts customers, not calls: one row per customer in each group.
    select
        breakdown,
        month_start,
        customer_segment,
        queue_name,
        site_name,
        team_name,
        customer_id,
        max(case when has_churned_within_window then 1 else 0 end) as has_churned,
        max(case when is_churn_30d_observed then 1 else 0 end) as is_churn_30d_observed,
        max(case when is_churn_30d_observed and has_churned_within_30d then 1 else 0 end)
            as has_churned_within_30d,
        max(monthly_revenue) as monthly_revenue
    from breakdown_rows
    where customer_id is not null
    group by
        breakdown, month_start, customer_segment, queue_name, site_name, team_name, customer_id
),

caller_measures as (
    select
        breakdown,
        month_start,
        customer_segment,
        queue_name,
        site_name,
        team_name,
        count(*) as callers,
        sum(has_churned) as churned_callers,
        sum(is_churn_30d_observed) as churn_30d_observed_callers,
        sum(has_churned_within_30d) as churned_within_30d_callers,
        sum(case when has_churned = 1 then monthly_revenue else 0 end) as revenue_at_risk,
        sum(case when has_churned_within_30d = 1 then monthly_revenue else 0 end)
            as revenue_at_risk_30d
    from group_callers
    group by breakdown, month_start, customer_segment, queue_name, site_name, team_name
),

month_ends as (
    select distinct
        month_start,
        {{ add_days(-1, start_of_month(add_days(31, 'month_start'))) }} as month_end
    from call_measures
),

final as (
    select
        call_measures.breakdown || '|' || cast(call_measures.month_start as string) || '|'
        || coalesce(call_measures.customer_segment, '') || '|'
        || coalesce(call_measures.queue_name, '') || '|'
        || coalesce(call_measures.site_name, '') || '|'
        || coalesce(call_measures.team_name, '') as cost_loyalty_id,
        call_measures.breakdown,
        call_measures.month_start,
        call_measures.customer_segment,
        call_measures.queue_name,
        call_measures.site_name,
        call_measures.team_name,
        cast(call_measures.inbound_calls as integer) as inbound_calls,
        cast(call_measures.answered_calls as integer) as answered_calls,
        cast(call_measures.answered_legs as integer) as answered_legs,
        cast(call_measures.handle_seconds as bigint) as handle_seconds,
        case
            when call_measures.answered_legs > 0
                then cast(call_measures.handle_seconds as double) / call_measures.answered_legs
        end as aht_seconds,
        cast(call_measures.total_cost as double) as total_cost,
        case
            when call_measures.answered_calls > 0
                then call_measures.total_cost / call_measures.answered_calls
        end as cost_per_contact,
        cast(call_measures.resolution_observed_calls as integer) as resolution_observed_calls,
        cast(call_measures.resolved_calls as integer) as resolved_calls,
        cast(call_measures.resolution_observed_cost as double) as resolution_observed_cost,
        case
            when call_measures.resolution_observed_calls > 0
                then
                    cast(call_measures.resolved_calls as double)
                    / call_measures.resolution_observed_calls
        end as fcr,
        case
            when call_measures.resolution_observed_calls > 0
                then
                    1.0 - cast(call_measures.resolved_calls as double)
                    / call_measures.resolution_observed_calls
        end as repeat_contact_rate,
        case
            when call_measures.resolved_calls > 0
                then call_measures.resolution_observed_cost / call_measures.resolved_calls
        end as cost_per_resolved_contact,
        cast(call_measures.surveys_sent as integer) as surveys_sent,
        cast(call_measures.survey_responses as integer) as survey_responses,
        case
            when call_measures.surveys_sent > 0
                then cast(call_measures.survey_responses as double) / call_measures.surveys_sent
        end as survey_response_rate,
        cast(call_measures.csat_responses as integer) as csat_responses,
        case
            when call_measures.csat_responses > 0
                then cast(call_measures.csat_top_two_box as double) / call_measures.csat_responses
        end as csat_top_two_box_share,
        cast(call_measures.csat_mean as double) as csat_mean,
        cast(call_measures.nps_responses as integer) as nps_responses,
        case
            when call_measures.nps_responses > 0
                then
                    cast(
                        100 * (call_measures.nps_promoters - call_measures.nps_detractors) as double
                    ) / call_measures.nps_responses
        end as nps,
        cast(call_measures.ces_responses as integer) as ces_responses,
        cast(call_measures.ces_mean as double) as ces_mean,
        cast(coalesce(caller_measures.callers, 0) as integer) as callers,
        cast(coalesce(caller_measures.churned_callers, 0) as integer) as churned_callers,
        case
            when caller_measures.callers > 0
                then cast(caller_measures.churned_callers as double) / caller_measures.callers
        end as churn_rate,
        -- The month's last call has been followed for the whole churn window.
        {{ add_days(churn_observed_days, 'month_ends.month_end') }}
        <= data_end.last_call_date as is_churn_window_complete,
        cast(coalesce(caller_measures.churn_30d_observed_callers, 0) as integer)
            as churn_30d_observed_callers,
        cast(coalesce(caller_measures.churned_within_30d_callers, 0) as integer)
            as churned_within_30d_callers,
        case
            when caller_measures.churn_30d_observed_callers > 0
                then
                    cast(caller_measures.churned_within_30d_callers as double)
                    / caller_measures.churn_30d_observed_callers
        end as churn_rate_30d,
        cast(coalesce(caller_measures.revenue_at_risk, 0) as decimal(18, 2)) as revenue_at_risk,
        cast(coalesce(caller_measures.revenue_at_risk_30d, 0) as decimal(18, 2))
            as revenue_at_risk_30d,
        cast(
            case
                when call_measures.breakdown = 'team' then coalesce(team_months.attrition_cost, 0)
                else call_measures.allocated_attrition_cost
            end as double
        ) as attrition_cost
    from call_measures
    cross join data_end
    inner join month_ends on call_measures.month_start = month_ends.month_start
    left join caller_measures
        on
            call_measures.breakdown = caller_measures.breakdown
            and call_measures.month_start = caller_measures.month_start
            and coalesce(call_measures.customer_segment, '')
            = coalesce(caller_measures.customer_segment, '')
            and coalesce(call_measures.queue_name, '') = coalesce(caller_measures.queue_name, '')
            and coalesce(call_measures.site_name, '') = coalesce(caller_measures.site_name, '')
            and coalesce(call_measures.team_name, '') = coalesce(caller_measures.team_name, '')
    left join team_months
        on
            call_measures.breakdown = 'team'
            and call_measures.site_name = team_months.site_name
            and call_measures.team_name = team_months.team_name
            and call_measures.month_start = team_months.month_start
)

select
    *,
    {{ built_at() }} as built_at
from final
