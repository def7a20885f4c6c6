"""How long each page of the app waits for its queries, on the published snapshot.

Times every query a page runs on load (ccw.dashboard.queries.page_queries), without
the app's cache: what a user waits for the first time a view is opened after a
publish. Each page is loaded RUNS times for two views, the default (the last 28 days)
and the whole period; the report gives p50 and p95 of the page's total query time.

Usage: python bench/bench_app.py   (make bench; needs `make demo` first)
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import replace

from bench_generate import machine
from report import replace_section

from ccw.dashboard.filters import Filters
from ccw.dashboard.queries import data_range, page_queries
from ccw.dashboard.snapshot import Snapshot

RUNS = int(os.environ.get("BENCH_APP_RUNS", "20"))
TARGET_MS = 300


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    snapshot = Snapshot()
    if not snapshot.path.exists():
        sys.exit(f"No published snapshot at {snapshot.path}: run `make demo` first.")
    span = data_range(snapshot)
    default = Filters.from_query_params({}, span.first_day, span.last_day)
    views = {"last 28 days": default, "whole period": replace(default, start=span.first_day)}
    calls = snapshot.query("select count(*) from marts.fct_calls").iloc[0, 0]
    rows = []
    for view, filters in views.items():
        for page, page_calls in page_queries(filters).items():
            totals, slowest = [], {}
            for _ in range(RUNS):
                total = 0.0
                for function, arguments in page_calls:
                    started = time.perf_counter()
                    function(snapshot, *arguments)
                    elapsed = (time.perf_counter() - started) * 1000
                    total += elapsed
                    name = function.__name__
                    slowest[name] = max(slowest.get(name, 0.0), elapsed)
                totals.append(total)
            worst = max(slowest, key=slowest.get)
            rows.append(
                (page, view, len(page_calls), statistics.median(totals),
                 percentile(totals, 0.95), worst)
            )  # fmt: skip
            print(f"{page:22} {view:13} p50 {rows[-1][3]:6.0f} ms  p95 {rows[-1][4]:6.0f} ms")
    lines = [
        f"Machine: {machine()}. Snapshot: {snapshot.path} ({calls:,} calls, the demo).",
        f"Each page loaded {RUNS} times per view, without the app's cache (the first view",
        "after a publish); the time is the sum of the page's queries, run as the app runs",
        "them: on a read-only connection to the snapshot, one per published file.",
        "",
        f"Target: p95 at most {TARGET_MS} ms per page.",
        "",
        "| page | view | queries | p50 | p95 | slowest query |",
        "|---|---|---:|---:|---:|---|",
    ]
    for page, view, count, p50, p95, worst in rows:
        mark = "" if p95 <= TARGET_MS else " (over target)"
        lines.append(f"| {page} | {view} | {count} | {p50:.0f} ms | {p95:.0f} ms{mark} | {worst} |")
    replace_section("App queries (`ccw app`)", "\n".join(lines))


if __name__ == "__main__":
    main()
