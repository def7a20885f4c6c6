{#- A journey's kind: one whole number for the combination of the values the app's
    journey summary groups and counts calls by (ccw/dashboard/queries.py), so that page
    groups a year of journeys by one column, then reads each kind's values from
    dim_journey_kinds. Each value is coded by its place in its column's list (0 for
    null, one past the list for a value not in it) and the codes are written as the
    digits of one number in mixed radix: the same values give the same number on every
    engine and every night, so an incremental build and a full one agree. -#}

{% macro journey_kind_columns() -%}
    {#- (name in dim_journey_kinds, its expression on fct_customer_journey, its values) -#}
    {%- set flags = ['true', 'false'] -%}
    {%- set tenures = quoted(band_labels(tenure_bands())) -%}
    {%- set counts = ["'none'", "'one'", "'two or more'"] -%}
    {{ return([
        ('is_answered', 'is_answered', flags),
        ('is_transferred', 'is_transferred', flags),
        ('is_callback_after_abandon', 'is_callback_after_abandon', flags),
        ('is_ivr_contained', 'is_ivr_contained', flags),
        ('is_false_containment', 'is_false_containment', flags),
        ('wait_band', 'wait_band', quoted(band_labels(wait_bands()))),
        ('agent_tenure_band', 'agent_tenure_band', tenures),
        ('customer_tenure_band', 'customer_tenure_band', tenures),
        ('self_service_before', none_one_or_more('self_service_attempts_before'), counts),
        ('prior_contacts', none_one_or_more('prior_calls + prior_cases'), counts),
        ('is_resolved', 'is_resolved', flags),
        ('has_churned_within_30d', 'has_churned_within_30d', flags),
        ('is_repeat_window_ended', 'is_repeat_window_ended', flags),
        ('is_churn_30d_window_ended', 'is_churn_30d_window_ended', flags),
        ('is_csat_top_two_box', 'is_csat_top_two_box', flags),
        ('is_nps_promoter', 'is_nps_promoter', flags),
        ('is_nps_detractor', 'is_nps_detractor', flags),
    ]) }}
{%- endmacro %}

{% macro journey_kind_values() -%}
    {#- The kind's values as columns of dim_journey_kinds. -#}
    {%- for name, expression, values in journey_kind_columns() %}
    {{ expression }}{{ ' as ' ~ name if expression != name }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{% macro none_one_or_more(count) -%}
    case least({{ count }}, 2) when 0 then 'none' when 1 then 'one' else 'two or more' end
{%- endmacro %}

{% macro quoted(labels) -%}
    {%- set texts = [] -%}
    {%- for label in labels %}{% do texts.append("'" ~ label ~ "'") %}{% endfor -%}
    {{ return(texts) }}
{%- endmacro %}

{% macro journey_kind() -%}
    {%- set place = namespace(value=1) -%}
    (
    {%- for name, expression, values in journey_kind_columns() %}
        {{ '+ ' if not loop.first }}cast(case
            when ({{ expression }}) is null then 0
            {%- for value in values %}
            when ({{ expression }}) = {{ value }} then {{ loop.index }}
            {%- endfor %}
            else {{ values | length + 1 }}
        end as bigint) * {{ place.value }}
        {%- set place.value = place.value * (values | length + 2) %}
    {%- endfor %}
    )
{%- endmacro %}
