with agent_days as (
    select * from {{ ref('int_agent_days_headcounted') }}
),

costed_days as (
    select * from {{ ref('int_agent_days_costed') }}
),

call_legs as (
    select * from {{ ref('fct_call_legs') }}
),

calls as (
    select * from {{ ref('fct_calls') }}
),

engagement as (
    select * from {{ ref('stg_hr__engagement_responses') }}
),

agent_days_ranked as (
    select
        *,
        row_number() over (
            partition by agent_id, {{ start_of_month('calendar_date') }}
            order by calendar_date desc
        ) as days_from_month_end
    from agent_days
),

headcount as (
    -- Team and site are those of the agent's last day in headcount that month.
    select
        agent_id,
        {{ start_of_month('calendar_date') }} as month_start,
        count(*) as headcount_days,
        max(tenure_days) as tenure_days_at_month_end,
        max(case when is_hire_day then 1 else 0 end) = 1 as was_hired,
        max(case when is_exit_day then 1 else 0 end) = 1 as has_exited,
        max(exit_type) as exit_type,
        max(case when is_exit_day then tenure_days end) as tenure_days_at_exit,
        max(case when days_from_month_end = 1 then team_name end) as team_name,
        max(case when days_from_month_end = 1 then site_name end) as site_name
    from agent_days_ranked
    group by agent_id, {{ start_of_month('calendar_date') }}
),

work as (
    select
        agent_id,
        {{ start_of_month('activity_date') }} as month_start,
        sum(logged_in_seconds) as logged_in_seconds,
        sum(productive_seconds) as productive_seconds,
        sum(busy_seconds) as busy_seconds,
        sum(paid_cost) as paid_cost
    from costed_days
    group by agent_id, {{ start_of_month('activity_date') }}
),

handled as (
    -- Inbound legs the agent answered, with the outcome of the call they belong to.
    select
        call_legs.agent_id,
        {{ start_of_month('call_legs.contact_local_date') }} as month_start,
        count(*) as handled_legs,
        sum(call_legs.handle_seconds) as handle_seconds,
        sum(case when calls.is_resolved is not null then 1 else 0 end)
            as resolution_observed_calls,
        sum(case when calls.is_resolved then 1 else 0 end) as resolved_calls,
        sum(case when calls.has_survey_response then 1 else 0 end) as survey_responses,
        sum(case when {{ is_csat_top_two_box('calls.csat_score') }} then 1 else 0 end)
            as csat_top_two_box,
        avg(calls.csat_score) as csat_mean
    from call_legs
    inner join calls on call_legs.call_id = calls.call_id
    where call_legs.is_answered and call_legs.direction = 'inbound'
    group by call_legs.agent_id, {{ start_of_month('call_legs.contact_local_date') }}
),

pulse as (
    select
        agent_id,
        {{ start_of_month('surveyed_date') }} as month_start,
        avg(engagement_score) as engagement_score,
        avg(enps_score) as enps_score
    from engagement
    group by agent_id, {{ start_of_month('surveyed_date') }}
),

final as (
    select
        headcount.agent_id || '|' || cast(headcount.month_start as string) as agent_month_id,
        headcount.agent_id,
        headcount.month_start,
        headcount.site_name,
        headcount.team_name,
        cast(headcount.headcount_days as integer) as headcount_days,
        headcount.was_hired,
        headcount.has_exited,
        headcount.exit_type,
        headcount.has_exited
        and headcount.tenure_days_at_exit < {{ var('early_attrition_days') }} as is_early_exit,
        cast(headcount.tenure_days_at_month_end as integer) as tenure_days,
        {{ tenure_band('headcount.tenure_days_at_month_end') }} as tenure_band,
        pulse.engagement_score,
        pulse.enps_score,
        case
            when work.productive_seconds > 0 then work.busy_seconds / work.productive_seconds
        end as occupancy,
        cast(coalesce(handled.handled_legs, 0) as integer) as handled_legs,
        case
            when handled.handled_legs > 0
                then cast(handled.handle_seconds as double) / handled.handled_legs
        end as aht_seconds,
        cast(coalesce(handled.resolution_observed_calls, 0) as integer)
            as resolution_observed_calls,
        cast(coalesce(handled.resolved_calls, 0) as integer) as resolved_calls,
        case
            when handled.resolution_observed_calls > 0
                then cast(handled.resolved_calls as double) / handled.resolution_observed_calls
        end as fcr,
        cast(coalesce(handled.survey_responses, 0) as integer) as survey_responses,
        case
            when handled.survey_responses > 0
                then cast(handled.csat_top_two_box as double) / handled.survey_responses
        end as csat_top_two_box_share,
        handled.csat_mean,
        cast(coalesce(work.paid_cost, 0) as double) as paid_cost
    from headcount
    left join work
        on headcount.agent_id = work.agent_id and headcount.month_start = work.month_start
    left join handled
        on headcount.agent_id = handled.agent_id and headcount.month_start = handled.month_start
    left join pulse
        on headcount.agent_id = pulse.agent_id and headcount.month_start = pulse.month_start
)

select * from final
