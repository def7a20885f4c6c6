with agent_days as (
    select * from {{ ref('int_agent_days_headcounted') }}
),

answered_legs as (
    select * from {{ ref('fct_call_legs') }}
    where is_answered and direction = 'inbound'
),

agent_versions as (
    select * from {{ ref('dim_agents') }}
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

tenured_handle as (
    -- What a leg takes once agents are past the ramp: the queue's AHT that month.
    select
        queue_name,
        {{ start_of_month('contact_local_date') }} as month_start,
        avg(handle_seconds) as tenured_aht_seconds
    from answered_legs
    where agent_tenure_days >= {{ var('ramp_days') }}
    group by queue_name, {{ start_of_month('contact_local_date') }}
),

ramp as (
    -- Extra handle time of agents still ramping, priced at their hourly cost.
    select
        answered_legs.site_name,
        answered_legs.team_name,
        tenured_handle.month_start,
        sum(answered_legs.handle_seconds - tenured_handle.tenured_aht_seconds)
            as ramp_extra_handle_seconds,
        sum(
            (answered_legs.handle_seconds - tenured_handle.tenured_aht_seconds)
            * agent_versions.hourly_cost / 3600
        ) as ramp_cost
    from answered_legs
    inner join tenured_handle
        on
            answered_legs.queue_name = tenured_handle.queue_name
            and {{ start_of_month('answered_legs.contact_local_date') }}
            = tenured_handle.month_start
    inner join agent_versions on answered_legs.agent_version_id = agent_versions.agent_version_id
    where answered_legs.agent_tenure_days < {{ var('ramp_days') }}
    group by answered_legs.site_name, answered_legs.team_name, tenured_handle.month_start
),

measured as (
    select
        team_months.*,
        cast(team_months.exits * {{ var('cost_per_hire') }} as double) as hire_cost,
        -- Ramping agents faster than the tenured ones cost nothing extra, not a credit.
        cast(greatest(coalesce(ramp.ramp_extra_handle_seconds, 0), 0) as double)
            as ramp_extra_handle_seconds,
        cast(greatest(coalesce(ramp.ramp_cost, 0), 0) as double) as ramp_cost
    from team_months
    left join ramp
        on
            team_months.site_name = ramp.site_name
            and team_months.team_name = ramp.team_name
            and team_months.month_start = ramp.month_start
),

final as (
    select
        coalesce(site_name, '(unknown)') || '|' || coalesce(team_name, '(unknown)') || '|'
        || cast(month_start as string) as team_month_id,
        site_name,
        team_name,
        month_start,
        cast(observed_days as integer) as observed_days,
        cast(agent_days as integer) as agent_days,
        cast(agent_days as double) / observed_days as average_daily_headcount,
        cast(headcount_at_start as integer) as headcount_at_start,
        cast(headcount_at_end as integer) as headcount_at_end,
        cast(hires as integer) as hires,
        cast(exits as integer) as exits,
        cast(voluntary_exits as integer) as voluntary_exits,
        cast(involuntary_exits as integer) as involuntary_exits,
        cast(early_exits as integer) as early_exits,
        exits / (cast(agent_days as double) / observed_days) as attrition_rate,
        365 * cast(exits as double) / agent_days as annualized_attrition_rate,
        voluntary_exits / (cast(agent_days as double) / observed_days) as voluntary_attrition_rate,
        involuntary_exits / (cast(agent_days as double) / observed_days)
            as involuntary_attrition_rate,
        hire_cost,
        ramp_extra_handle_seconds,
        ramp_cost,
        hire_cost + ramp_cost as attrition_cost
    from measured
)

select * from final
