{#- The ten digits as rows: cross joined with themselves, a series of numbers (days,
    interval steps) built the same way on every engine. -#}
{% macro digit_rows() -%}
    select 0 as digit
    {%- for digit in range(1, 10) %}
    union all
    select {{ digit }}
    {%- endfor %}
{%- endmacro %}
