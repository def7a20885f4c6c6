"""Dagster asset checks: landing reconciliation and the Great Expectations suites."""
