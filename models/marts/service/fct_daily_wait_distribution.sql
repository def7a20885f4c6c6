{{
    config(
        materialized='incremental',
        incremental_strategy=replace_days_strategy(),
        unique_key='queued_local_date',
        partition_by='queued_local_date',
        on_schema_change='fail',
    )
}}

-- Every wait a queue's legs had on a day, with how many legs had it: any period's
-- wait percentiles, exactly, without reading the legs (a percentile of days cannot
-- be averaged from daily percentiles).
select
    queue_name
    || '|' || cast(queued_local_date as string)
    || '|' || cast(cast(round(wait_seconds * 1000000) as bigint) as string)
        as queue_day_wait_id,
    queue_name,
    queued_local_date,
    wait_seconds,
    count(case when is_offered then 1 end) as offered_legs,
    count(case when is_answered then 1 end) as answered_legs,
    sum(
        case when is_answered then cast(handle_seconds as double) * handle_seconds end
    ) as answered_handle_seconds_squared,
    {{ built_at() }} as built_at
from {{ ref('fct_call_legs') }}
where
    (is_offered or is_answered)
    and wait_seconds is not null
    and {{ in_incremental_window('queued_local_date') }}
group by queue_name, queued_local_date, wait_seconds
