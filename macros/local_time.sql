{#- Local time of a UTC instant, and the interval a local time falls in.

    Dispatched so the same models run on engines that spell time zones differently
    (docs/portability.md). Intervals are `interval_minutes` long (15, 30 or 60),
    aligned to the local hour, so a DST day has 46 or 50 half-hours, none lost or
    doubled: the local label repeats in the autumn's repeated hour, and the UTC
    start (`utc_interval_start`) keeps the two apart. -#}

{% macro local_timestamp(utc_column) -%}
    {{ return(adapter.dispatch('local_timestamp', 'ccw')(utc_column)) }}
{%- endmacro %}

{% macro default__local_timestamp(utc_column) -%}
    timezone('{{ var("timezone") }}', {{ utc_column }})
{%- endmacro %}

{% macro spark__local_timestamp(utc_column) -%}
    from_utc_timestamp({{ utc_column }}, '{{ var("timezone") }}')
{%- endmacro %}

{% macro interval_start(local_column) -%}
    {%- set minutes = var("interval_minutes") | int -%}
    {%- set offset -%}
        cast(floor(extract(minute from {{ local_column }}) / {{ minutes }}) * {{ minutes }} as integer)
    {%- endset -%}
    {{ dbt.dateadd('minute', offset, dbt.date_trunc('hour', local_column)) }}
{%- endmacro %}

{% macro utc_interval_start(utc_column) -%}
    {{ return(adapter.dispatch('utc_interval_start', 'ccw')(utc_column)) }}
{%- endmacro %}

{% macro default__utc_interval_start(utc_column) -%}
    {#- The local interval start moved back by the instant's own UTC offset (DST
        changes fall on the hour, so an interval has one offset throughout). -#}
    {%- set local = local_timestamp(utc_column) -%}
    timezone(
        'UTC',
        {{ interval_start(local) }} - ({{ local }} - cast({{ utc_column }} as timestamp))
    )
{%- endmacro %}

{% macro spark__utc_interval_start(utc_column) -%}
    {#- The same, in whole seconds since the epoch (Spark has no timestamp minus
        timestamp). -#}
    {%- set local = local_timestamp(utc_column) -%}
    timestamp_seconds(
        unix_seconds({{ interval_start(local) }})
        - (unix_seconds({{ local }}) - unix_seconds({{ utc_column }}))
    )
{%- endmacro %}

{#- Seconds from one instant to another, fractions kept: 10:00:00.9 to 10:00:05.1
    is 4.2 seconds. (dbt's datediff counts the clock-second boundaries crossed, 5
    here, so a 4.2 s wait would miss a 4.5 s threshold it met.) -#}
{% macro seconds_between(start_column, end_column) -%}
    {{ return(adapter.dispatch('seconds_between', 'ccw')(start_column, end_column)) }}
{%- endmacro %}

{% macro default__seconds_between(start_column, end_column) -%}
    (cast(epoch_us({{ end_column }}) - epoch_us({{ start_column }}) as double) / 1000000)
{%- endmacro %}

{% macro spark__seconds_between(start_column, end_column) -%}
    (cast(unix_micros({{ end_column }}) - unix_micros({{ start_column }}) as double) / 1000000)
{%- endmacro %}

{% macro days_between(start_column, end_column) -%}
    {{ dbt.datediff(start_column, end_column, 'day') }}
{%- endmacro %}

{% macro add_minutes(minutes, timestamp_column) -%}
    {{ dbt.dateadd('minute', minutes, timestamp_column) }}
{%- endmacro %}

{#- An instant some (whole or fractional) seconds later, fractions kept. -#}
{% macro add_seconds(seconds, timestamp_column) -%}
    {{ return(adapter.dispatch('add_seconds', 'ccw')(seconds, timestamp_column)) }}
{%- endmacro %}

{% macro default__add_seconds(seconds, timestamp_column) -%}
    ({{ timestamp_column }} + to_microseconds(cast(({{ seconds }}) * 1000000 as bigint)))
{%- endmacro %}

{% macro spark__add_seconds(seconds, timestamp_column) -%}
    timestamp_micros(
        unix_micros({{ timestamp_column }}) + cast(({{ seconds }}) * 1000000 as bigint)
    )
{%- endmacro %}

{% macro add_days(days, date_column) -%}
    cast({{ dbt.dateadd('day', days, date_column) }} as date)
{%- endmacro %}

{% macro start_of_month(date_column) -%}
    cast({{ dbt.date_trunc('month', date_column) }} as date)
{%- endmacro %}
