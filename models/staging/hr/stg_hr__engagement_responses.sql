with source as (
    select * from {{ source('hr', 'engagement') }}
    where _is_current
),

renamed as (
    select
        agent_id || '-' || cast(surveyed_on as string) as engagement_response_id,
        agent_id,
        surveyed_on as surveyed_date,
        engagement as engagement_score,
        enps as enps_score,
        intent_to_stay,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
