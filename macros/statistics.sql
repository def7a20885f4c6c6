{#- The two-proportion z statistic for "rate a is above rate b" (pooled standard
    error); null when either side is empty or the pooled rate is 0 or 1. -#}
{% macro two_proportion_z(hits_a, n_a, hits_b, n_b) -%}
    case
        when
            {{ n_a }} > 0 and {{ n_b }} > 0
            and ({{ hits_a }} + {{ hits_b }}) > 0
            and ({{ hits_a }} + {{ hits_b }}) < ({{ n_a }} + {{ n_b }})
            then
                (cast({{ hits_a }} as double) / {{ n_a }} - cast({{ hits_b }} as double) / {{ n_b }})
                / sqrt(
                    cast({{ hits_a }} + {{ hits_b }} as double) / ({{ n_a }} + {{ n_b }})
                    * (1 - cast({{ hits_a }} + {{ hits_b }} as double) / ({{ n_a }} + {{ n_b }}))
                    * (cast(1 as double) / {{ n_a }} + cast(1 as double) / {{ n_b }})
                )
    end
{%- endmacro %}
