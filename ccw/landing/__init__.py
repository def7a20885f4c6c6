"""Landing: load the source exports from the landing folder into DuckDB's ``raw`` schema.

Idempotent (a manifest of every file and its content hash), crash-safe (each batch
of files in one transaction), and lossless (a malformed row goes to
``ingest.quarantine`` with its file, line, column and reason). Dagster assets and ``ccw run`` call
:func:`ccw.landing.loader.land_table`; nothing here depends on Dagster.
"""
