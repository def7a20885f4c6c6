{#- Every kind of journey in fct_customer_journey, with the values it stands for. -#}
select distinct
    journey_kind,
    {{ journey_kind_values() }}
from {{ ref('fct_customer_journey') }}
