{#- Every one of `expressions` holds on every row of the model (a row where one is
    null does not fail it, as with ccw_expression_is_true). One test per model,
    judging every expression in one scan; a failure returns one row per expression
    that fails, with how many rows fail it. A test per expression is a query, a node
    to parse and a check to record: 85 of them took 2.0 of the 5.3 s of a small run's
    dbt tests. In a nightly `dbt build` it reads the rows the run rebuilt
    (macros/rebuilt_rows.sql). -#}
{% test ccw_expressions_are_true(model, expressions) %}
    with failing as (
        select
        {%- for expression in expressions %}
            sum(case when not ({{ expression }}) then 1 else 0 end) as failed_{{ loop.index }}
            {{- "," if not loop.last }}
        {%- endfor %}
        from {{ model }}
    )

    {% for expression in expressions -%}
        select
            '{{ expression | replace("'", '"') }}' as expression,
            failed_{{ loop.index }} as failing_rows
        from failing
        where failed_{{ loop.index }} > 0
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
{% endtest %}
