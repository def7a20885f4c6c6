{#- The late-arrival look-back of the incremental facts.

    On an incremental run a fact rebuilds every day from `incremental_lookback_days`
    before its latest day (capped at the data's real edge, below) onwards, replacing those days whole (the facts use their
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
    {#- The window's first day: `days` before the earliest of
        - the fact's latest day, capped at the data's real edge: the latest business
          day delivered (a file's date), and never later than today in the center's
          zone, so a row dated in the future cannot push the window past the days
          that really arrive;
        - the earliest business day of a delivery recorded since the fact was last
          built (its latest `built_at`): a late file, or a file replayed, is rebuilt
          whatever its day.
        An existing but empty fact (latest day null) rebuilds everything. -#}
    {%- set manifest = ingest_manifest() -%}
    {%- set query -%}
        select
            (select max({{ this_date_column }}) from {{ this }}),
            least(
                (select max(file_date) from {{ manifest }} where status = 'loaded'),
                cast({{ local_timestamp('current_timestamp') }} as date)
            ),
            (
                select min(file_date) from {{ manifest }}
                where status in ('loaded', 'duplicate', 'forgotten')
                    and finished_at > (select max(built_at) from {{ this }})
            )
    {%- endset -%}
    {%- set row = run_query(query).rows[0] -%}
    {%- if row[0] is none -%}
        {{ return(modules.datetime.date(1900, 1, 1)) }}
    {%- endif -%}
    {%- set anchor = [row[0]] + ([row[1]] if row[1] is not none else [])
        + ([row[2]] if row[2] is not none else []) -%}
    {{ return((anchor | min) - modules.datetime.timedelta(days=days)) }}
{%- endmacro %}


{% macro date_literal(day) -%}
    cast('{{ day.strftime("%Y-%m-%d") }}' as date)
{%- endmacro %}


{% macro utc_midnight_literal(day) -%}
    cast('{{ day.strftime("%Y-%m-%d") }} 00:00:00+00:00' as {{ utc_timestamp_type() }})
{%- endmacro %}
