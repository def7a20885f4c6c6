"""The metrics catalogue plans each shape of request once: a request with other dates
or other queues reuses the plan, and its SQL is exactly what MetricFlow writes for
that request itself."""

from __future__ import annotations

import shutil
from datetime import date

from ccw.dashboard.filters import Filters
from ccw.dashboard.queries import calls_metric_where, data_range, page_queries
from ccw.dashboard.serve import plan_first_views
from ccw.dashboard.snapshot import Snapshot
from ccw.metrics import _sql, _with_literals

METRICS = ("calls", "fcr", "cost_per_resolved_contact")
GROUP_BY = ("daily_calls__customer_segment",)


def test_other_dates_and_queues_reuse_the_plan_and_get_metricflows_own_sql(snapshot_path):
    catalogue = Snapshot(snapshot_path).catalogue()
    # The app's own filters (queries.calls_metric_where): one queue each, other dates.
    requests = [
        calls_metric_where(Filters(date(2026, 1, 1), date(2026, 1, 31), queue=("billing",))),
        calls_metric_where(Filters(date(2026, 2, 1), date(2026, 2, 28), queue=("sales",))),
        calls_metric_where(Filters(date(2026, 2, 1), date(2026, 2, 7), queue=("O'Brien's",))),
    ]
    planned_before = _sql.cache_info().misses
    sqls = [catalogue.sql(METRICS, GROUP_BY, where) for where in requests]
    assert _sql.cache_info().misses - planned_before <= 1  # one shape, planned at most once
    for where, sql in zip(requests, sqls, strict=True):
        assert sql == catalogue._explain(METRICS, GROUP_BY, where)
    assert "'O''Brien''s'" in sqls[2]  # a quote inside a literal, as MetricFlow writes it
    # Two queues are another shape: planned anew, and still MetricFlow's SQL.
    two = calls_metric_where(Filters(date(2026, 1, 1), date(2026, 1, 31), queue=("a", "b")))
    assert catalogue.sql(METRICS, GROUP_BY, two) == catalogue._explain(METRICS, GROUP_BY, two)


def test_a_plan_that_lost_a_placeholder_is_not_used():
    template = "select 1 where queue = 'ccw_literal_0' and day = 'ccw_literal_1'"
    assert _with_literals(template, ["'billing'", "'2026-01-01'"]) == (
        "select 1 where queue = 'billing' and day = '2026-01-01'"
    )
    assert _with_literals(template, ["'billing'", "'2026-01-01'", "'sales'"]) is None
    # A literal that looks like a placeholder is written as it is, not replaced again.
    assert _with_literals(template, ["'ccw_literal_1'", "'x'"]) == (
        "select 1 where queue = 'ccw_literal_1' and day = 'x'"
    )


def test_the_server_plans_the_first_views_before_serving(snapshot_path, tmp_path):
    """`ccw app`'s server runs every page's first-view queries before it serves: a
    first visit (or another period of the same pages) plans nothing more, and a new
    publish of the same model keeps the plans."""
    _sql.cache_clear()  # nothing planned by the tests before
    plan_first_views()  # reads CCW_PUBLISHED, set by the fixture
    assert _sql.cache_info().currsize > 0
    snapshot = Snapshot(snapshot_path)
    span = data_range(snapshot)
    planned = _sql.cache_info().misses
    for view in (Filters.from_query_params({}, span.first_day, span.last_day),
                 Filters(span.first_day, span.last_day)):  # fmt: skip
        for queries in page_queries(snapshot, view).values():
            for query, arguments in queries:
                query(snapshot, *arguments)
    assert _sql.cache_info().misses == planned
    republished = Snapshot(shutil.copy(snapshot_path, tmp_path / "republished.duckdb"))
    assert republished.version() != snapshot.version()
    assert republished.catalogue() is snapshot.catalogue()
