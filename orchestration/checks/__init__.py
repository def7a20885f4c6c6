"""Dagster asset checks (Great Expectations suites join them in a later issue)."""
