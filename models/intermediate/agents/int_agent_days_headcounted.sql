with spells as (
    select * from {{ ref('int_agent_spells_derived') }}
),

snapshots as (
    select * from {{ ref('stg_hr__agent_snapshots') }}
),

agent_versions as (
    select * from {{ ref('dim_agents') }}
),

calendar as (
    -- The days the roster describes: one snapshot per day.
    select distinct snapshot_date as calendar_date from snapshots
),

spell_days as (
    -- In headcount: hired on or before the day and not terminated before it.
    select
        spells.agent_spell_id,
        spells.agent_id,
        spells.hired_date,
        spells.terminated_date,
        spells.termination_type,
        calendar.calendar_date
    from spells
    inner join calendar
        on
            spells.hired_date <= calendar.calendar_date
            and (
                spells.terminated_date is null
                or spells.terminated_date >= calendar.calendar_date
            )
),

final as (
    select
        spell_days.agent_spell_id || '-' || cast(spell_days.calendar_date as string)
            as agent_spell_day_id,
        spell_days.agent_spell_id,
        spell_days.agent_id,
        spell_days.calendar_date,
        agent_versions.agent_version_id,
        agent_versions.site_name,
        agent_versions.team_name,
        {{ days_between('spell_days.hired_date', 'spell_days.calendar_date') }} as tenure_days,
        spell_days.hired_date = spell_days.calendar_date as is_hire_day,
        coalesce(spell_days.terminated_date = spell_days.calendar_date, false) as is_exit_day,
        case
            when spell_days.terminated_date = spell_days.calendar_date
                then spell_days.termination_type
        end as exit_type
    from spell_days
    left join agent_versions
        on
            spell_days.agent_id = agent_versions.agent_id
            and spell_days.calendar_date >= agent_versions.valid_from
            and (
                agent_versions.valid_to is null
                or spell_days.calendar_date < agent_versions.valid_to
            )
)

select * from final
