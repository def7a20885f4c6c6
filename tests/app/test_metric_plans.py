"""The metrics catalogue plans each shape of request once: a request with other dates
or other queues reuses the plan, and its SQL is exactly what MetricFlow writes for
that request itself."""

from __future__ import annotations

from ccw.dashboard.snapshot import Snapshot
from ccw.metrics import _sql, _with_literals, metric_time, one_of, quoted

METRICS = ("calls", "fcr", "cost_per_resolved_contact")


def _where(start: str, end: str, queues: tuple[str, ...]) -> tuple[str, ...]:
    period = f"{metric_time()} between {quoted(start)} and {quoted(end)}"
    return (period, one_of("daily_calls", "first_queue_name", queues))


def test_other_dates_and_queues_reuse_the_plan_and_get_metricflows_own_sql(snapshot_path):
    catalogue = Snapshot(snapshot_path).catalogue()
    requests = [
        _where("2026-01-01", "2026-01-31", ("billing",)),
        _where("2026-02-01", "2026-02-28", ("sales",)),
        _where("2026-02-01", "2026-02-07", ("O'Brien's queue",)),  # a quote in a literal
    ]
    group_by = ("daily_calls__customer_segment",)
    planned_before = _sql.cache_info().misses
    sqls = [catalogue.sql(METRICS, group_by, where) for where in requests]
    assert _sql.cache_info().misses - planned_before <= 1  # one shape, planned at most once
    for where, sql in zip(requests, sqls, strict=True):
        assert sql == catalogue._explain(METRICS, group_by, where)
    assert "'O''Brien''s queue'" in sqls[2]
    # Two queues are another shape: planned anew, and still MetricFlow's SQL.
    two = _where("2026-01-01", "2026-01-31", ("billing", "sales"))
    assert catalogue.sql(METRICS, group_by, two) == catalogue._explain(METRICS, group_by, two)


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
