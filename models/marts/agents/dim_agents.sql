with snapshots as (
    select * from {{ ref('stg_hr__agent_snapshots') }}
),

flagged as (
    -- A new version starts on the first snapshot, and whenever an attribute changes.
    select
        *,
        coalesce(
            site_name is distinct from lag(site_name) over by_day
            or team_name is distinct from lag(team_name) over by_day
            or supervisor_id is distinct from lag(supervisor_id) over by_day
            or agent_role is distinct from lag(agent_role) over by_day
            or employment_type is distinct from lag(employment_type) over by_day
            or hourly_cost is distinct from lag(hourly_cost) over by_day
            or skills is distinct from lag(skills) over by_day
            or hired_date is distinct from lag(hired_date) over by_day
            or terminated_date is distinct from lag(terminated_date) over by_day
            or termination_type is distinct from lag(termination_type) over by_day,
            true
        ) as is_new_version
    from snapshots
    window by_day as (partition by agent_id order by snapshot_date)
),

numbered as (
    select
        *,
        sum(case when is_new_version then 1 else 0 end) over (
            partition by agent_id order by snapshot_date rows unbounded preceding
        ) as version_number
    from flagged
),

versions as (
    select
        agent_id,
        version_number,
        site_name,
        team_name,
        supervisor_id,
        agent_role,
        employment_type,
        hourly_cost,
        skills,
        hired_date,
        terminated_date,
        termination_type,
        min(snapshot_date) as valid_from,
        max(snapshot_date) as last_seen_date
    from numbered
    group by
        agent_id,
        version_number,
        site_name,
        team_name,
        supervisor_id,
        agent_role,
        employment_type,
        hourly_cost,
        skills,
        hired_date,
        terminated_date,
        termination_type
),

bounded as (
    select
        *,
        lead(valid_from) over (partition by agent_id order by version_number) as valid_to
    from versions
),

final as (
    select
        agent_id || '-' || cast(version_number as string) as agent_version_id,
        agent_id,
        cast(version_number as integer) as version_number,
        site_name,
        team_name,
        supervisor_id,
        agent_role,
        employment_type,
        hourly_cost,
        skills,
        hired_date,
        terminated_date,
        termination_type,
        valid_from,
        valid_to,
        last_seen_date,
        valid_to is null as is_current
    from bounded
)

select * from final
