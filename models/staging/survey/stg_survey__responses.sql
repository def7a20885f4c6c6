with source as (
    select * from {{ source('survey', 'responses') }}
    where _is_current
),

renamed as (
    select
        response_id,
        survey_type,
        call_id,
        customer_id,
        sent_at,
        responded_at,
        csat as csat_score,
        nps as nps_score,
        ces as ces_score,
        responded_at is not null as has_responded,
        -- The comment is free text (personal data): only whether there was one.
        coalesce(comment <> '', false) as has_comment,
        cast({{ local_timestamp('sent_at') }} as date) as sent_local_date,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
