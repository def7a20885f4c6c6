-- One row per queue with offered legs: the targets the scorecard, the alerts and the
-- weekly report judge it by, resolved from the settings (var queue_targets).

with queues as (
    select distinct queue_name from {{ ref('fct_daily_service') }}
)

select
    queue_name,
    {{ queue_target('queue_name', 'service_level') }} as service_level_target,
    {{ queue_target('queue_name', 'abandon_rate') }} as abandon_rate_target,
    {{ queue_target('queue_name', 'asa_seconds') }} as asa_target_seconds
from queues
