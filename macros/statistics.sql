{#- The two-proportion z statistic for "rate a is above rate b" (pooled standard
    error); null when either side is empty or the pooled rate is 0 or 1. -#}
{% macro two_proportion_z(hits_a, n_a, hits_b, n_b) -%}
    case
        when
            {{ n_a }} > 0 and {{ n_b }} > 0
            and ({{ hits_a }} + {{ hits_b }}) > 0
            and ({{ hits_a }} + {{ hits_b }}) < ({{ n_a }} + {{ n_b }})
            then
                ({{ hits_a }} * 1.0 / {{ n_a }} - {{ hits_b }} * 1.0 / {{ n_b }})
                / sqrt(
                    ({{ hits_a }} + {{ hits_b }}) * 1.0 / ({{ n_a }} + {{ n_b }})
                    * (1 - ({{ hits_a }} + {{ hits_b }}) * 1.0 / ({{ n_a }} + {{ n_b }}))
                    * (1.0 / {{ n_a }} + 1.0 / {{ n_b }})
                )
    end
{%- endmacro %}
