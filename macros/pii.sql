{#- A salted SHA-256 of a personal value (phone, e-mail), kept only to match records;
    the clear value never leaves staging. The salt is `CCW_PII_SALT`: set your own
    secret in production (the default is public, for the demo). -#}

{% macro hash_pii(column) -%}
    {{ return(adapter.dispatch('hash_pii', 'ccw')(column)) }}
{%- endmacro %}

{% macro default__hash_pii(column) -%}
    case
        when {{ column }} is not null
            then sha256('{{ pii_salt() }}' || {{ column }})
    end
{%- endmacro %}

{% macro spark__hash_pii(column) -%}
    case
        when {{ column }} is not null
            then sha2('{{ pii_salt() }}' || {{ column }}, 256)
    end
{%- endmacro %}

{% macro pii_salt() -%}
    {{ env_var("CCW_PII_SALT", "ccw-demo-salt") }}
{%- endmacro %}
