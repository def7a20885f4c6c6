with source as (
    select * from {{ source('hr', 'agents') }}
    where _is_current
),

renamed as (
    select
        agent_id || '-' || cast(_file_date as string) as agent_snapshot_id,
        agent_id,
        _file_date as snapshot_date,
        employee_number,
        site as site_name,
        team as team_name,
        supervisor_id,
        role as agent_role,
        employment_type,
        hired_on as hired_date,
        terminated_on as terminated_date,
        termination_type,
        {{ redact_free_text("termination_reason") }} as termination_reason,
        hourly_cost,
        skills,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
