"""Great Expectations suites on the raw tables and on the marts the app reads.

Suites are plain Python (``Suite`` in :mod:`expectations.suite`): each reads a pandas
DataFrame from DuckDB and GX 1.x validates it. Dagster runs one asset check per suite
(``orchestration/checks/expectations.py``); docs/data-quality.md lists every suite,
what it protects against and what an operator does when it fails.

- :mod:`expectations.raw_rules`: the landing contract, row by row (blocking).
- :mod:`expectations.raw_daily`: volume and distribution per delivered day (warnings).
- :mod:`expectations.marts`: plausible marts before they are published (blocking).

GX itself is imported only when a suite runs, so importing this package is cheap.
"""

from expectations.marts import MART_SUITES
from expectations.raw_daily import DAILY_SUITES
from expectations.raw_rules import RAW_RULES_SUITES
from expectations.suite import Scope, Suite, SuiteOutcome

SUITES: list[Suite] = [*RAW_RULES_SUITES, *DAILY_SUITES, *MART_SUITES]

__all__ = ["SUITES", "Scope", "Suite", "SuiteOutcome", "suite_named"]


def suite_named(name: str) -> Suite:
    for suite in SUITES:
        if suite.name == name:
            return suite
    raise KeyError(f"no suite named {name!r}; see docs/data-quality.md")
