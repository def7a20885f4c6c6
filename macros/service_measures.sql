{#- The service ratios of docs/metrics.md, over the counts of one queue and period.

    Used by fct_interval_service and fct_daily_service, so an interval and a day are
    measured by the same formulas. Expects the count columns those models share
    (answered_legs, abandoned_legs, *_within_threshold_legs, ...). -#}

{% macro wait_percentiles(wait_expression) -%}
    {%- for percent in [50, 80, 90, 95] %}
    percentile_cont({{ percent / 100 }}) within group (order by {{ wait_expression }})
        as wait_p{{ percent }}_seconds{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{% macro service_level_columns() -%}
    {%- set treatment = var('sl_abandon_treatment') -%}
    {%- if treatment not in ['negative', 'ignored', 'positive'] -%}
        {{ exceptions.raise_compiler_error(
            "var sl_abandon_treatment must be negative, ignored or positive, got '"
            ~ treatment ~ "'"
        ) }}
    {%- endif -%}
    {%- set ratios = {
        'negative': ('answered_within_threshold_legs', 'answered_legs + abandoned_legs'),
        'ignored': (
            'answered_within_threshold_legs',
            'answered_legs + abandoned_legs - abandoned_within_threshold_legs'
        ),
        'positive': (
            'answered_within_threshold_legs + abandoned_within_threshold_legs',
            'answered_legs + abandoned_legs'
        ),
    } -%}
    {{ ratios[treatment][0] }} as service_level_met_legs,
    {{ ratios[treatment][1] }} as service_level_base_legs,
    {%- for name, (met, denominator) in ratios.items() %}
    case
        when {{ denominator }} > 0 then cast({{ met }} as double) / ({{ denominator }})
    end as service_level_{{ name }},
    {%- endfor %}
    case
        when {{ ratios[treatment][1] }} > 0
            then cast({{ ratios[treatment][0] }} as double) / ({{ ratios[treatment][1] }})
    end as service_level
{%- endmacro %}

{% macro handling_columns() -%}
    case when offered_legs > 0 then cast(abandoned_legs as double) / offered_legs end as abandon_rate,
    case when answered_legs > 0 then cast(answered_wait_seconds as double) / answered_legs end
        as asa_seconds,
    case when handled_legs > 0 then cast(handle_seconds as double) / handled_legs end as aht_seconds,
    case
        when productive_agent_seconds > 0 then busy_agent_seconds / productive_agent_seconds
    end as occupancy,
    case
        when logged_in_agent_seconds > 0
            then 1 - productive_agent_seconds / logged_in_agent_seconds
    end as shrinkage
{%- endmacro %}

{% macro patience_wait_column_for_estimator() -%}
    {#- The wait summed for Erlang A's patience, per var patience_estimator. -#}
    {%- set columns = {
        'mean_abandon_wait': 'abandoned_wait_seconds',
        'time_at_risk': 'offered_wait_seconds',
    } -%}
    {%- if var('patience_estimator') not in columns -%}
        {{ exceptions.raise_compiler_error(
            "var patience_estimator must be mean_abandon_wait or time_at_risk, got '"
            ~ var('patience_estimator') ~ "'"
        ) }}
    {%- endif -%}
    {{ return(columns[var('patience_estimator')]) }}
{%- endmacro %}
