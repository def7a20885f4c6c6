"""Run one suite against a warehouse connection: read, validate, keep the bookkeeping."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from expectations.gx_project import validate
from expectations.suite import CRITICAL, Scope, Suite, SuiteOutcome, merge_batches

if TYPE_CHECKING:
    from collections.abc import Iterator

    import duckdb
    import pandas as pd
    from great_expectations.data_context import AbstractDataContext


def run_suite(
    suite: Suite,
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    context: AbstractDataContext,
    data_docs: bool = False,
) -> SuiteOutcome:
    """Validate what ``suite`` reads, batch by batch when it reads in batches; an empty
    read (nothing new) passes as is."""
    scope = replace(scope, suite=suite.name)
    rows, batches = 0, []
    for frame in _frames(suite, con, scope):
        if frame.empty:
            continue
        in_local_time(frame, scope.settings["timezone"])
        outcomes = validate(suite, frame, context, run_name=scope.run_id, data_docs=data_docs)
        rows += len(frame)
        batches.append(outcomes)
        passed = not any(o.severity == CRITICAL and not o.success for o in outcomes)
        if passed and suite.on_pass is not None:
            suite.on_pass(con, scope, frame)
    return SuiteOutcome(suite, rows, merge_batches(batches))


def in_local_time(frame: pd.DataFrame, timezone: str) -> None:
    """Every instant of ``frame`` in the center's time zone (the same instants), so
    the values a failing expectation quotes read as local time with its offset, like
    the exports they came from."""
    for column in frame.select_dtypes(include=["datetimetz"]).columns:
        frame[column] = frame[column].dt.tz_convert(timezone)


def _frames(suite: Suite, con: duckdb.DuckDBPyConnection, scope: Scope) -> Iterator[pd.DataFrame]:
    if suite.read_batches is not None:
        yield from suite.read_batches(con, scope)
    else:
        yield suite.read(con, scope)
