{#- Which rows a run rebuilt, so a nightly run tests only those.

    Every incremental model stamps the rows it writes with `built_at`, the start of
    the dbt invocation. Rows of older days keep the stamp of the run that built them.
    In `dbt build`, the tests of an incremental model then read only the rows this
    invocation rebuilt (all of them on a full build), and the tests of a staging view
    only the rows the latest landing run loaded (`_load_id`, ingest.manifest): a
    nightly run's test time follows the new data, not the history. The tables rebuilt
    whole (dimensions, monthly marts) are tested whole. `dbt test`, or
    `--vars '{test_all_rows: true}'`, tests every row. -#}

{% macro built_at() -%}
    cast('{{ run_started_at }}' as {{ utc_timestamp_type() }})
{%- endmacro %}


{% macro materialized_as(relation) -%}
    {#- 'incremental', 'table', 'view', or none for a source. -#}
    {%- set found = namespace(value=none) -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' -%}
        {%- if (node.alias or node.name) == relation.identifier
            and node.schema == relation.schema -%}
            {%- set found.value = node.config.materialized -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found.value) }}
{%- endmacro %}


{% macro latest_landing_loads() -%}
    select load_id from {{ ingest_manifest() }}
    where run_id = (
        select max_by(run_id, finished_at) from {{ ingest_manifest() }}
        where run_id is not null
    )
{%- endmacro %}


{% macro ingest_manifest() -%}
    {#- The landing step's manifest: in the warehouse file on DuckDB; on Spark, the
        lake's copy (macros/lake_sources.sql). -#}
    {{ return(adapter.dispatch('ingest_manifest', 'ccw')()) }}
{%- endmacro %}

{% macro default__ingest_manifest() -%}
    {{ target.database }}.ingest.manifest
{%- endmacro %}

{% macro spark__ingest_manifest() -%}
    ingest.manifest
{%- endmacro %}


{#- dbt's own macro (reference/resource-configs/where), extended: a test without a
    `where` of its own, in `dbt build`, reads the rows rebuilt in this invocation
    (an incremental model) or landed in the latest run (a staging view). -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if not where
        and execute
        and invocation_args_dict.get('which') == 'build'
        and not var('test_all_rows', false) -%}
        {%- set materialized = materialized_as(relation) -%}
        {%- if materialized == 'incremental' -%}
            {%- set where = 'built_at >= ' ~ built_at() -%}
        {%- elif materialized == 'view' and relation.schema == 'staging' -%}
            {%- set where = '_load_id in (' ~ latest_landing_loads() ~ ')' -%}
        {%- endif -%}
    {%- endif -%}
    {%- if where -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
