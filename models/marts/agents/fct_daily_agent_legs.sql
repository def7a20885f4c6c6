{{
    config(
        materialized='incremental',
        incremental_strategy=replace_days_strategy(),
        unique_key='contact_local_date',
        partition_by='contact_local_date',
        on_schema_change='fail',
    )
}}

-- Each agent's answered legs per day and queue, pre-aggregated: a team's agents'
-- scorecard sums a few thousand rows of this instead of reading a year of legs
-- (docs/benchmarks.md).
with answered_legs as (
    select * from {{ ref('fct_call_legs') }}
    where is_answered and {{ in_incremental_window('contact_local_date') }}
),

counted as (
    select
        contact_local_date,
        agent_id,
        queue_name,
        site_name,
        team_name,
        max(agent_tenure_days) as agent_tenure_days,
        count(*) as handled_legs,
        cast(coalesce(sum(handle_seconds), 0) as bigint) as handle_seconds
    from answered_legs
    group by all
)

select
    concat_ws(
        '|', contact_local_date, agent_id, queue_name,
        coalesce(site_name, ''), coalesce(team_name, '')
    ) as daily_agent_legs_id,
    *,
    {{ built_at() }} as built_at
from counted
