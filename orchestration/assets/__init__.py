"""Dagster assets: the raw landings (and, in later issues, dbt and publish)."""
