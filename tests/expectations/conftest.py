"""Run one suite against a small warehouse, with changes made by hand first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from expectations import Scope, SuiteOutcome, suite_named
from expectations.gx_project import ephemeral_context
from expectations.run import run_suite


@pytest.fixture(scope="session")
def gx_context():
    return ephemeral_context()


SuiteRunner = Callable[..., SuiteOutcome]


@pytest.fixture
def run_suite_on(gx_context) -> SuiteRunner:
    def run(
        warehouse: Path, name: str, run_id: str = "test-run", *changes: str, settings=None
    ) -> SuiteOutcome:
        scope = Scope(run_id=run_id) if settings is None else Scope(run_id, settings=settings)
        with duckdb.connect(str(warehouse)) as con:
            con.execute("set TimeZone = 'UTC'")
            for change in changes:
                con.execute(change)
            return run_suite(suite_named(name), con, scope, gx_context)

    return run
