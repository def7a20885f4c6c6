{#- Bands used across marts, so a tenure or a wait is bucketed the same way everywhere.
    Each band is its upper bound, as a comparison (none for the last band), and its
    label, in order: the labels are also the values a journey's kind is coded from
    (macros/journey_kind.sql). -#}

{% macro tenure_bands() -%}
    {{ return([
        ('< 30', '0-29 days'), ('< 90', '30-89 days'), ('< 180', '90-179 days'),
        ('< 365', '180-364 days'), ('< 730', '1-2 years'), (none, '2+ years'),
    ]) }}
{%- endmacro %}

{% macro wait_bands() -%}
    {{ return([
        ('<= ' ~ var('sl_threshold_seconds'), 'within threshold'), ('< 60', 'under 1 min'),
        ('< 180', '1-3 min'), ('< 600', '3-10 min'), (none, '10+ min'),
    ]) }}
{%- endmacro %}

{% macro band_labels(bands) -%}
    {{ return(bands | map(attribute=1) | list) }}
{%- endmacro %}

{% macro banded(value, bands) -%}
    case
        when {{ value }} is null then null
        {%- for upper, label in bands %}
        {%- if upper is none %}
        else '{{ label }}'
        {%- else %}
        when {{ value }} {{ upper }} then '{{ label }}'
        {%- endif %}
        {%- endfor %}
    end
{%- endmacro %}

{% macro tenure_band(days) -%}
    {{ banded(days, tenure_bands()) }}
{%- endmacro %}

{% macro wait_band(seconds) -%}
    {{ banded(seconds, wait_bands()) }}
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

{#- Every band above as a row (band_label, band_kind, band_order), for marts.dim_bands: a
    label names one band, whatever its kind (the marts' band columns hold only labels). -#}
{% macro band_rows() -%}
    {%- set kinds = [('tenure', tenure_bands()), ('wait', wait_bands())] -%}
    {%- for kind, bands in kinds %}
        {%- set outer = loop %}
        {%- for upper, label in bands %}
    select '{{ label }}' as band_label, '{{ kind }}' as band_kind, {{ loop.index }} as band_order
            {% if not (outer.last and loop.last) %}union all{% endif %}
        {%- endfor %}
    {%- endfor %}
{%- endmacro %}
