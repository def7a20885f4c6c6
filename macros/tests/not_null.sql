{#- None of `columns` is ever null in the model (in a nightly `dbt build`, in the rows
    it rebuilt: macros/rebuilt_rows.sql). One test per model, counting the nulls of
    every listed column in one scan; a failure returns one row per column that has
    nulls, with how many. dbt's own `not_null` is a test per column, each a query, a
    node to parse and a check to record: 155 of them took a fifth of a small run's
    dbt time. -#}
{% test ccw_not_null(model, columns) %}
    with null_rows as (
        select
        {%- for column in columns %}
            sum(case when {{ column }} is null then 1 else 0 end) as {{ column }}
            {{- "," if not loop.last }}
        {%- endfor %}
        from {{ model }}
    )

    {% for column in columns -%}
        select '{{ column }}' as column_name, {{ column }} as null_rows
        from null_rows
        where {{ column }} > 0
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
{% endtest %}
