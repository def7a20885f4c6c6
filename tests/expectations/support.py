"""Helpers for the suite tests: what failed."""

from __future__ import annotations

from expectations import SuiteOutcome


def failed_names(outcome: SuiteOutcome) -> list[str]:
    return [failure.expectation for failure in outcome.failed()]
