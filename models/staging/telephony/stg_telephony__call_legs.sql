{{ config(materialized=hashing_staging_materialization()) }}

{#- The calls export, and the legs derived from a platform's own records
    (ccw/vendors): the same columns, so everything downstream reads one table. -#}
{%- set leg_sources = ['calls', 'connect_call_legs', 'genesys_call_legs'] -%}
{%- set columns = [
    'call_id', 'leg', 'direction', 'ani', 'customer_id', 'queue', 'ivr_started_at',
    'queued_at', 'answered_at', 'ended_at', 'agent_id', 'talk_seconds', 'hold_seconds',
    'acw_seconds', 'disposition', 'wrap_code', 'ivr_path', '_load_id', '_loaded_at'
] -%}

with source as (
    {%- for leg_source in leg_sources %}
        select {{ columns | join(', ') }}
        from {{ source('telephony', leg_source) }}
        where _is_current
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

renamed as (
    select
        call_id || '-' || cast(leg as string) as call_leg_id,
        call_id,
        leg as leg_number,
        direction,
        {{ hash_pii('ani') }} as caller_hash,
        customer_id,
        queue as queue_name,
        ivr_started_at,
        queued_at,
        answered_at,
        ended_at,
        agent_id,
        talk_seconds,
        hold_seconds,
        acw_seconds,
        talk_seconds + hold_seconds + acw_seconds as handle_seconds,
        disposition,
        {{ redact_free_text("wrap_code") }} as wrap_code,
        ivr_path,
        case
            when queued_at is not null
                then {{ seconds_between('queued_at', 'coalesce(answered_at, ended_at)') }}
        end as wait_seconds,
        cast({{ local_timestamp('queued_at') }} as date) as queued_local_date,
        {{ interval_start(local_timestamp('queued_at')) }} as queued_interval_start_local,
        {{ utc_interval_start('queued_at') }} as queued_interval_start_at,
        cast({{ local_timestamp('answered_at') }} as date) as answered_local_date,
        {{ interval_start(local_timestamp('answered_at')) }} as answered_interval_start_local,
        {{ utc_interval_start('answered_at') }} as answered_interval_start_at,
        cast({{ local_timestamp('ended_at') }} as date) as ended_local_date,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
