{#- No two rows share the same values of `columns`: the grain of a model keyed on
    several columns (dbt_utils.unique_combination_of_columns is not installable here). -#}
{% test ccw_unique_combination(model, columns) %}
    select {{ columns | join(', ') }}
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
