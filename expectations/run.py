"""Run one suite against a warehouse connection: read, validate, keep the bookkeeping."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from expectations.gx_project import validate
from expectations.suite import Scope, Suite, SuiteOutcome

if TYPE_CHECKING:
    import duckdb
    from great_expectations.data_context import AbstractDataContext


def run_suite(
    suite: Suite,
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    context: AbstractDataContext,
    data_docs: bool = False,
) -> SuiteOutcome:
    """Validate what ``suite`` reads; an empty read (nothing new) passes as is."""
    scope = replace(scope, suite=suite.name)
    frame = suite.read(con, scope)
    if frame.empty:
        return SuiteOutcome(suite, 0)
    outcomes = validate(suite, frame, context, run_name=scope.run_id, data_docs=data_docs)
    outcome = SuiteOutcome(suite, len(frame), outcomes)
    if outcome.passed and suite.on_pass is not None:
        suite.on_pass(con, scope, frame)
    return outcome
