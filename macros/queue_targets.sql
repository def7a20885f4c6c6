{#- A queue's target from the var queue_targets (dbt_project.yml): the queue's own,
    else all_queues', else, for the service level, sl_target. `name` is
    service_level, abandon_rate or asa_seconds; null when nothing sets it. -#}

{% macro queue_target(queue_column, name) -%}
    {%- set targets = var('queue_targets') -%}
    {%- set fallback = targets.get('all_queues', {}).get(name) -%}
    {%- if name == 'service_level' -%}{%- set fallback = var('sl_target') -%}{%- endif -%}
    {%- set own = [] -%}
    {%- for queue, values in targets.items() -%}
        {%- if queue != 'all_queues' and name in values -%}
            {%- do own.append((queue, values[name])) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set fallback_sql = 'null' if fallback is none else fallback -%}
    cast(
    {%- if own %} case {{ queue_column }}
        {%- for queue, value in own %}
        when '{{ queue | replace("'", "''") }}' then {{ value }}
        {%- endfor %}
        else {{ fallback_sql }} end
    {%- else %} {{ fallback_sql }}{% endif %} as double)
{%- endmacro %}
