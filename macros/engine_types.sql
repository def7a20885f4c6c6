{#- Types and text that DuckDB and Spark spell differently (docs/portability.md). -#}

{% macro utc_timestamp_type() -%}
    {#- A UTC instant: DuckDB's time-zone-aware type; Spark's `timestamp` is one. -#}
    {{ return(adapter.dispatch('utc_timestamp_type', 'ccw')()) }}
{%- endmacro %}

{% macro default__utc_timestamp_type() -%}
    timestamp with time zone
{%- endmacro %}

{% macro spark__utc_timestamp_type() -%}
    timestamp
{%- endmacro %}


{% macro utc_timestamp_text(column) -%}
    {#- A UTC instant as text, for keys: '2026-03-02 13:30:00+00' on every engine. -#}
    {{ return(adapter.dispatch('utc_timestamp_text', 'ccw')(column)) }}
{%- endmacro %}

{% macro default__utc_timestamp_text(column) -%}
    cast({{ column }} as varchar)
{%- endmacro %}

{% macro spark__utc_timestamp_text(column) -%}
    date_format({{ column }}, 'yyyy-MM-dd HH:mm:ss') || '+00'
{%- endmacro %}


{% macro replace_days_strategy() -%}
    {#- How an incremental fact replaces the days its run rebuilds (its `unique_key`
        and `partition_by`, the day column): delete those days' rows and insert the
        new ones on DuckDB; on Spark, overwrite those days' partitions. -#}
    {{ return(adapter.dispatch('replace_days_strategy', 'ccw')()) }}
{%- endmacro %}

{% macro default__replace_days_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__replace_days_strategy() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}


{#- Contracts name their types as DuckDB does. On Spark, dbt checks a model's columns
    against `cast(null as <type>)` of each contract type: the two DuckDB names Spark
    does not know are read as Spark's own. -#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set spark_names = {'varchar': 'string', 'timestamp with time zone': 'timestamp'} -%}
    {%- set translated = {} -%}
    {%- for name, column in columns.items() -%}
        {%- set copy = column.copy() -%}
        {%- set data_type = (column.get('data_type') or '') | lower | trim -%}
        {%- if data_type in spark_names -%}
            {%- do copy.update({'data_type': spark_names[data_type]}) -%}
        {%- endif -%}
        {%- do translated.update({name: copy}) -%}
    {%- endfor -%}
    {{ return(dbt.default__get_empty_schema_sql(translated)) }}
{%- endmacro %}
