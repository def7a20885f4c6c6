{#- Every band the marts bucket a value into (macros/bands.sql), in order: what a chart,
    a report or an analyst sorts band labels by. -#}
{{ band_rows() }}
