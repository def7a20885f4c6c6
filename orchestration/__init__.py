"""The Dagster code location of ccw: ``orchestration.definitions`` gathers everything."""
