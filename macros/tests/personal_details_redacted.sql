{#- Counts the values in which `redact_free_text` replaced an e-mail address or a phone
    number (severity warn: the marts hold no personal data either way; the count tells
    the center that people type them there, and how often). In `dbt build` a staging
    model's test reads the rows the latest landing run loaded. -#}
{% test personal_details_redacted(model, column_name) %}
    {{ config(severity='warn') }}
    select {{ column_name }} from {{ model }}
    where {{ column_name }} like '%[email]%' or {{ column_name }} like '%[number]%'
{% endtest %}
