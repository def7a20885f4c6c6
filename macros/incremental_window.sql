{#- The late-arrival look-back of the incremental facts.

    On an incremental run a fact rebuilds every day from `incremental_lookback_days`
    before its latest day onwards, replacing those days whole (the facts use their
    day column as the delete+insert key), so data that arrives up to that many days
    late is picked up and a re-run never duplicates. On a full build, everything. -#}

{% macro in_incremental_window(date_column, this_date_column=none, lookback_days=none) -%}
    {#- `this_date_column`: the fact's own day column, when it is named differently.
        `lookback_days`: for a fact whose rows depend on later data (a call's repeat
        contacts come up to 30 days after it), at least that long. -#}
    {%- if is_incremental() -%}
        {#- An existing but empty fact (latest day null) rebuilds everything. -#}
        {%- set latest = "coalesce(max(" ~ (this_date_column or date_column) ~ "), cast('1900-01-01' as date))" -%}
        {%- set days = (lookback_days or var('incremental_lookback_days')) | int -%}
        {{ date_column }} >= (
            select {{ dbt.dateadd('day', -days, latest) }}
            from {{ this }}
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
