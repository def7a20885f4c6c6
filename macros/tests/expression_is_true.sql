{#- Rows where `expression` is false fail the test (dbt_utils is not installable here:
    its package hub is outside the package registries this project may use). -#}
{% test ccw_expression_is_true(model, expression, column_name=none) %}
    select * from {{ model }} where not ({{ expression }})
{% endtest %}
