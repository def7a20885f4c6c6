with snapshots as (
    select * from {{ ref('stg_hr__agent_snapshots') }}
),

spells as (
    -- One employment spell per agent and hire date: a rehire starts a new spell.
    select
        agent_id,
        hired_date,
        max(terminated_date) as terminated_date,
        max(termination_type) as termination_type,
        min(snapshot_date) as first_seen_date,
        max(snapshot_date) as last_seen_date
    from snapshots
    where hired_date is not null
    group by agent_id, hired_date
),

final as (
    select
        agent_id || '-' || cast(hired_date as string) as agent_spell_id,
        agent_id,
        hired_date,
        -- A rehire ends the previous spell the day before, if HR never closed it.
        coalesce(
            terminated_date,
            {{ add_days(-1, 'lead(hired_date) over (partition by agent_id order by hired_date)') }}
        ) as terminated_date,
        termination_type,
        first_seen_date,
        last_seen_date
    from spells
)

select * from final
