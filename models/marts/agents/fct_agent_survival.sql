with agent_days as (
    select * from {{ ref('int_agent_days_headcounted') }}
),

spell_ends as (
    -- The last day each employment spell is observed; without an exit that day the
    -- spell is censored there (still employed at the last roster snapshot).
    select
        agent_spell_id,
        max(calendar_date) as last_observed_date
    from agent_days
    group by agent_spell_id
),

observed as (
    -- Every roster day a spell is in headcount puts it at risk at that tenure, so
    -- agents hired before the roster window enter late, at the tenure first seen.
    select
        agent_days.site_name,
        agent_days.team_name,
        agent_days.tenure_days,
        agent_days.is_exit_day,
        agent_days.exit_type,
        not agent_days.is_exit_day
        and agent_days.calendar_date = spell_ends.last_observed_date as is_censored
    from agent_days
    inner join spell_ends on agent_days.agent_spell_id = spell_ends.agent_spell_id
),

tenure_days as (
    select
        site_name,
        team_name,
        tenure_days,
        count(*) as agents_at_risk,
        sum(case when is_exit_day then 1 else 0 end) as exits,
        sum(case when exit_type = 'voluntary' then 1 else 0 end) as voluntary_exits,
        sum(case when exit_type = 'involuntary' then 1 else 0 end) as involuntary_exits,
        sum(case when is_censored then 1 else 0 end) as censored
    from observed
    group by site_name, team_name, tenure_days
),

final as (
    select
        coalesce(site_name, '(unknown)') || '|' || coalesce(team_name, '(unknown)') || '|'
        || cast(tenure_days as string) as survival_id,
        site_name,
        team_name,
        cast(tenure_days as integer) as tenure_days,
        {{ tenure_band('tenure_days') }} as tenure_band,
        cast(agents_at_risk as integer) as agents_at_risk,
        cast(exits as integer) as exits,
        cast(voluntary_exits as integer) as voluntary_exits,
        cast(involuntary_exits as integer) as involuntary_exits,
        cast(censored as integer) as censored,
        1.0 - cast(exits as double) / agents_at_risk as conditional_survival,
        -- Kaplan-Meier: the product of conditional survival up to this tenure, as a sum
        -- of logs; a tenure at which everyone at risk left takes the curve to 0 (the
        -- floor only keeps the logarithm defined there).
        case
            when max(cast(exits as double) / agents_at_risk) over by_tenure < 1
                then exp(
                    sum(
                        ln(greatest(1.0 - cast(exits as double) / agents_at_risk, 1e-12))
                    ) over by_tenure
                )
            else 0.0
        end as survival_probability
    from tenure_days
    window by_tenure as (
        partition by site_name, team_name
        order by tenure_days
        rows between unbounded preceding and current row
    )
)

select * from final
