"""The dbt project on Apache Spark (`ccw run --engine spark`, docs/scale-out.md).

Landing stays the same: files land in the DuckDB warehouse, with its quarantine and
manifest. With the Spark engine, each raw table is also written as Parquet to the
lake (`ccw.landing.lake`), dbt builds every model on Spark from those files
(`dbt_command`: dbt with the project's SQL functions), and the marts Spark built are
copied back into the warehouse's `marts` schema (`marts`), where the same checks
read them and from where the same snapshot is published for the app.
"""
