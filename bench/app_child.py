"""How long each page of the app waits for its queries, on a published snapshot.

Times every query a page runs on load (ccw.dashboard.queries.page_queries), without
the app's cache: what a user waits for the first time a view is opened after a
publish. Each page is loaded RUNS times for two views, the default (the last 28 days)
and the whole period; the result gives p50 and p95 of the page's total query time.
Queries run as the app runs them: on a read-only connection to the snapshot.

Usage: python bench/app_child.py SNAPSHOT RUNS RESULT.json
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

from ccw.dashboard.filters import Filters
from ccw.dashboard.queries import data_range, page_queries
from ccw.dashboard.snapshot import Snapshot


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_pages(snapshot: Snapshot, runs: int) -> list[dict[str, object]]:
    span = data_range(snapshot)
    default = Filters.from_query_params({}, span.first_day, span.last_day)
    views = {"last 28 days": default, "whole period": replace(default, start=span.first_day)}
    pages = []
    for view, filters in views.items():
        for page, page_calls in page_queries(snapshot, filters).items():
            totals, slowest = [], {}
            for _ in range(runs):
                total = 0.0
                for function, arguments in page_calls:
                    started = time.perf_counter()
                    function(snapshot, *arguments)
                    elapsed = (time.perf_counter() - started) * 1000
                    total += elapsed
                    slowest[function.__name__] = max(slowest.get(function.__name__, 0), elapsed)
                totals.append(total)
            pages.append(
                {
                    "page": page,
                    "view": view,
                    "queries": len(page_calls),
                    "p50_ms": round(statistics.median(totals), 1),
                    "p95_ms": round(percentile(totals, 0.95), 1),
                    "slowest_query": max(slowest, key=slowest.get),
                }
            )
    return pages


def main(path: Path, runs: int, result_path: Path) -> None:
    snapshot = Snapshot(path)
    calls = int(snapshot.query("select count(*) from marts.fct_calls").iloc[0, 0])
    result = {"calls": calls, "runs": runs, "pages": time_pages(snapshot, runs)}
    result_path.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]))
