{#- Where the sources are. On DuckDB the landing step writes the raw tables into the
    warehouse itself: nothing to do. On Spark they are Parquet files that landing
    exported to the lake (ccw/landing/lake.py), partitioned by delivery day; before
    each dbt run (on-run-start) every source, and the ingest manifest that staging
    tests read, is declared as an external table over its folder. Dropping an
    external table leaves its files alone, so re-declaring it picks up a new export. -#}

{% macro register_lake_tables() -%}
    {{ return(adapter.dispatch('register_lake_tables', 'ccw')()) }}
{%- endmacro %}

{% macro default__register_lake_tables() -%}
{%- endmacro %}

{% macro spark__register_lake_tables() -%}
    {%- if execute -%}
        {%- set lake = env_var('CCW_LAKE', 'warehouse/lake') -%}
        {%- set tables = [('ingest', 'manifest', lake ~ '/ingest/manifest', false)] -%}
        {%- for source in graph.sources.values() -%}
            {%- do tables.append((
                source.schema,
                source.identifier,
                lake ~ '/raw/' ~ source.source_name ~ '/' ~ source.name,
                true
            )) -%}
        {%- endfor -%}
        {%- for schema, table, location, partitioned in tables -%}
            {%- do run_query('create database if not exists ' ~ schema) -%}
            {%- do run_query('drop table if exists ' ~ schema ~ '.' ~ table) -%}
            {%- do run_query(
                'create table ' ~ schema ~ '.' ~ table
                ~ " using parquet location '" ~ location ~ "'"
            ) -%}
            {%- if partitioned -%}
                {%- do run_query('msck repair table ' ~ schema ~ '.' ~ table) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
