{#- The late-arrival look-back of the incremental facts.

    On an incremental run a fact rebuilds every day from `incremental_lookback_days`
    before its latest day onwards, replacing those days whole (the facts use their
    day column as the delete+insert key), so data that arrives up to that many days
    late is picked up and a re-run never duplicates. On a full build, everything.

    The window's first day is looked up once, before the model runs, and written into
    its SQL as a constant. A constant compared with a stored column lets DuckDB skip
    the row groups wholly before it; a subquery would make it read every row. -#}

{% macro in_incremental_window(
    date_column,
    this_date_column=none,
    lookback_days=none,
    date_floor_column=none,
    utc_floor_column=none
) -%}
    {#- `this_date_column`: the fact's own day column, when it is named differently.
        `lookback_days`: for a fact whose rows depend on later data (a call's repeat
        contacts come up to 30 days after it), at least that long.

        When `date_column` is computed (a local date from a UTC instant, in a staging
        view), name a stored column of the same rows that is never earlier, so the
        scan underneath can be cut short:
        `date_floor_column`: a date never before `date_column`'s day;
        `utc_floor_column`: a UTC instant never before the local day `date_column`
        names began (a day wider covers every zone's offset). -#}
    {%- if is_incremental() -%}
        {%- set days = (lookback_days or var('incremental_lookback_days')) | int -%}
        {%- set first_day = incremental_window_start(this_date_column or date_column, days) -%}
        {{ date_column }} >= {{ date_literal(first_day) }}
        {%- if date_floor_column %}
        and {{ date_floor_column }} >= {{ date_literal(first_day) }}
        {%- endif -%}
        {%- if utc_floor_column %}
        and {{ utc_floor_column }} >= {{ utc_midnight_literal(first_day - modules.datetime.timedelta(days=1)) }}
        {%- endif -%}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{% macro incremental_window_start(this_date_column, days) -%}
    {#- The window's first day: `days` before the fact's latest day. An existing but
        empty fact (latest day null) rebuilds everything. -#}
    {%- set query -%}
        select max({{ this_date_column }}) from {{ this }}
    {%- endset -%}
    {%- set latest = run_query(query).columns[0].values()[0] -%}
    {%- if latest is none -%}
        {{ return(modules.datetime.date(1900, 1, 1)) }}
    {%- endif -%}
    {{ return(latest - modules.datetime.timedelta(days=days)) }}
{%- endmacro %}


{% macro date_literal(day) -%}
    cast('{{ day.strftime("%Y-%m-%d") }}' as date)
{%- endmacro %}


{% macro utc_midnight_literal(day) -%}
    cast('{{ day.strftime("%Y-%m-%d") }} 00:00:00+00:00' as {{ utc_timestamp_type() }})
{%- endmacro %}
