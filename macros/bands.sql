{#- Bands used across marts, so a tenure or a wait is bucketed the same way everywhere. -#}

{% macro tenure_band(days) -%}
    case
        when {{ days }} is null then null
        when {{ days }} < 30 then '0-29 days'
        when {{ days }} < 90 then '30-89 days'
        when {{ days }} < 180 then '90-179 days'
        when {{ days }} < 365 then '180-364 days'
        when {{ days }} < 730 then '1-2 years'
        else '2+ years'
    end
{%- endmacro %}

{% macro wait_band(seconds) -%}
    case
        when {{ seconds }} is null then null
        when {{ seconds }} <= {{ var('sl_threshold_seconds') }} then 'within threshold'
        when {{ seconds }} < 60 then 'under 1 min'
        when {{ seconds }} < 180 then '1-3 min'
        when {{ seconds }} < 600 then '3-10 min'
        else '10+ min'
    end
{%- endmacro %}

{#- Survey answers sorted the same way everywhere: null without an answer. -#}

{% macro is_csat_top_two_box(score) -%}
    ({{ score }} >= 4)
{%- endmacro %}

{% macro is_nps_promoter(score) -%}
    ({{ score }} >= 9)
{%- endmacro %}

{% macro is_nps_detractor(score) -%}
    ({{ score }} <= 6)
{%- endmacro %}
