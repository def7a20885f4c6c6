with agent_days as (
    select * from {{ ref('int_agent_days_headcounted') }}
),

months as (
    -- Roster days observed in each month: the denominator of average daily headcount.
    select
        {{ start_of_month('calendar_date') }} as month_start,
        count(distinct calendar_date) as observed_days,
        min(calendar_date) as first_observed_date,
        max(calendar_date) as last_observed_date
    from agent_days
    group by {{ start_of_month('calendar_date') }}
),

team_months as (
    select
        agent_days.site_name,
        agent_days.team_name,
        months.month_start,
        months.observed_days,
        count(*) as agent_days,
        sum(case when agent_days.calendar_date = months.first_observed_date then 1 else 0 end)
            as headcount_at_start,
        sum(case when agent_days.calendar_date = months.last_observed_date then 1 else 0 end)
            as headcount_at_end,
        sum(case when agent_days.is_hire_day then 1 else 0 end) as hires,
        sum(case when agent_days.is_exit_day then 1 else 0 end) as exits,
        sum(case when agent_days.exit_type = 'voluntary' then 1 else 0 end) as voluntary_exits,
        sum(case when agent_days.exit_type = 'involuntary' then 1 else 0 end)
            as involuntary_exits,
        sum(
            case
                when
                    agent_days.is_exit_day
                    and agent_days.tenure_days < {{ var('early_attrition_days') }}
                    then 1
                else 0
            end
        ) as early_exits
    from agent_days
    inner join months
        on {{ start_of_month('agent_days.calendar_date') }} = months.month_start
    group by agent_days.site_name, agent_days.team_name, months.month_start, months.observed_days
),

final as (
    select
        coalesce(site_name, '(unknown)') || '|' || coalesce(team_name, '(unknown)') || '|'
        || cast(month_start as varchar) as team_month_id,
        site_name,
        team_name,
        month_start,
        cast(observed_days as integer) as observed_days,
        cast(agent_days as integer) as agent_days,
        agent_days * 1.0 / observed_days as average_daily_headcount,
        cast(headcount_at_start as integer) as headcount_at_start,
        cast(headcount_at_end as integer) as headcount_at_end,
        cast(hires as integer) as hires,
        cast(exits as integer) as exits,
        cast(voluntary_exits as integer) as voluntary_exits,
        cast(involuntary_exits as integer) as involuntary_exits,
        cast(early_exits as integer) as early_exits,
        exits / (agent_days * 1.0 / observed_days) as attrition_rate,
        12 * exits / (agent_days * 1.0 / observed_days) as annualized_attrition_rate,
        voluntary_exits / (agent_days * 1.0 / observed_days) as voluntary_attrition_rate,
        involuntary_exits / (agent_days * 1.0 / observed_days) as involuntary_attrition_rate
    from team_months
)

select * from final
