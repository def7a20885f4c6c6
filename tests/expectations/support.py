"""Helpers for the suite tests: private warehouse copies and what failed."""

from __future__ import annotations

from expectations import SuiteOutcome
from tests.warehouse_support import copy_warehouse

__all__ = ["copy_warehouse", "failed_names"]


def failed_names(outcome: SuiteOutcome) -> list[str]:
    return [failure.expectation for failure in outcome.failed()]
