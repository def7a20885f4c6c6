{#- A keyed hash (HMAC-SHA256, lowercase hex) of a personal value (phone, e-mail),
    kept only to match records; the clear value never leaves staging. The key is the
    center's own (ccw/pii.py): every connection dbt opens gets the function
    `ccw_pii_hmac`, which holds it, so the SQL never does. On DuckDB the project's
    dbt plugin registers it (ccw/dbt_plugin.py); on Spark, `ccw-dbt`. -#}

{% macro hash_pii(column) -%}
    ccw_pii_hmac(cast({{ column }} as {{ dbt.type_string() }}))
{%- endmacro %}


{#- Free text typed by people (a cancellation reason, a wrap code) can hold an e-mail
    address or a phone number: those become [email] and [number]. A run of seven or
    more digits, with the separators phone numbers use, counts as a number. -#}

{% macro redact_free_text(column) -%}
    {{ return(adapter.dispatch('redact_free_text', 'ccw')(column)) }}
{%- endmacro %}

{% macro default__redact_free_text(column) -%}
    regexp_replace(
        regexp_replace(
            {{ column }},
            '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}', '[email]', 'g'
        ),
        '\+?\d[\d ().-]{5,}\d', '[number]', 'g'
    )
{%- endmacro %}

{#- Spark replaces every match without a flag, and reads backslashes in raw strings. -#}
{% macro spark__redact_free_text(column) -%}
    regexp_replace(
        regexp_replace(
            {{ column }},
            r'[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}', '[email]'
        ),
        r'\+?\d[\d ().-]{5,}\d', '[number]'
    )
{%- endmacro %}


{#- How a staging model that hashes personal data is materialized. A view on DuckDB,
    as every staging model; a table on Spark, where a view cannot call a function
    registered for the session (`ccw_pii_hmac` would have to be installed on the
    cluster, with the key in it), but a table is computed while the function is there. -#}
{% macro hashing_staging_materialization() -%}
    {{ return(adapter.dispatch('hashing_staging_materialization', 'ccw')()) }}
{%- endmacro %}

{% macro default__hashing_staging_materialization() -%}
    {{ return('view') }}
{%- endmacro %}

{% macro spark__hashing_staging_materialization() -%}
    {{ return('table') }}
{%- endmacro %}
