"""docs/data-quality.md names every suite and every daily measure the code checks."""

from __future__ import annotations

from pathlib import Path

from expectations import SUITES
from expectations.raw_daily import DAILY_TABLES, daily_expectations
from expectations.suite import columns_used

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-quality.md"


def test_the_data_quality_page_names_every_suite_and_daily_measure():
    text = DOC.read_text()
    for suite in SUITES:
        assert f"`{suite.name}`" in text, suite.name
    for table in DAILY_TABLES:
        for expectation in daily_expectations(table):
            (column,) = columns_used(expectation.configuration.kwargs)
            assert f"`{column}`" in text, column
