{#- One row per day from 2000-01-01, 100 years: the calendar MetricFlow joins metrics
    to (models/marts/metrics/_metrics.yml). Built from digits, so it runs the same on
    every engine. -#}

with digits as (
    {{ digit_rows() }}
),

offsets as (
    select
        ten_thousands.digit * 10000
        + thousands.digit * 1000
        + hundreds.digit * 100
        + tens.digit * 10
        + ones.digit as day_offset
    from digits as ten_thousands
    cross join digits as thousands
    cross join digits as hundreds
    cross join digits as tens
    cross join digits as ones
    where ten_thousands.digit < 4
)

select {{ add_days('day_offset', "cast('2000-01-01' as date)") }} as date_day
from offsets
where day_offset < 36525
