"""How long each page of the app takes to draw in a real browser, on a published snapshot.

Starts `ccw app` on the snapshot and opens every page in Debian's headless Chromium,
RUNS times for each of two views (the default, the last 28 days, and the whole period),
timing each load from the request until the page's script has run and every chart has
drawn (ccw.dashboard.browser.wait_until_drawn). Two ways in: every page by its address
(a shared link: the browser starts the app's page anew), and through the menu (the
first page by its address, the others by a click, as a manager moves around). A page
in sections (tabs) opens on its first; each other section is opened by its address
(`section=`) and timed as a view of its own. The first load of a view runs its
queries; later ones find the app's cache warm, as a manager's next visit does: the
p95 of a page's loads is its slowest, cold or not. Every load is in one browser whose
cache is kept, as a returning manager's is; its very first page, with nothing cached
(the app's scripts downloaded and compiled), is timed on a line of its own. Every
load is in one tab of it, as a manager's; through the menu, each round starts from
the Definitions page opened by its address (not timed) and clicks every page, the
scorecard too. Opening the app in a new tab of the warm browser (the scorecard, by
its address) is timed once a round on a line of its own. A load with an exception or
an empty chart is counted and reported.

Usage: python bench/pages_child.py SNAPSHOT RUNS RESULT.json
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

from app_child import percentile

from ccw.dashboard.browser import chromium, running_app, visit_pages, wait_until_drawn
from ccw.dashboard.queries import data_range
from ccw.dashboard.snapshot import Snapshot


def time_page_loads(snapshot: Path, runs: int) -> list[dict[str, object]]:
    span = data_range(Snapshot(snapshot))
    views = {"last 28 days": "", "whole period": f"?start={span.first_day}&end={span.last_day}"}
    ways = {"address": False, "menu": True}
    seconds: dict[tuple[str, str, str], list[float]] = {}
    problems: dict[tuple[str, str, str], int] = {}
    with running_app(snapshot) as base, chromium() as browser:
        # One browser for every load, its cache kept as a returning manager's is; the
        # first page it opens, with nothing cached yet, is timed on its own line.
        manager = browser.new_context()
        tab = manager.new_page()
        first = visit_pages(base, None, "", paths=("definitions",), tab=tab)[0]
        new_browser = ("Definitions, in a new browser", "last 28 days", "address")
        seconds[new_browser], problems[new_browser] = [first.seconds], int(bool(first.exceptions))
        for view, query in views.items():
            new_tab = ("Queue scorecard, in a new tab", view, "address")
            for way, by_menu in ways.items():
                for _ in range(runs):
                    if by_menu:
                        tab.goto(f"{base}/definitions{query}")
                        wait_until_drawn(tab)
                    else:
                        (opened,) = visit_pages(base, None, query, browser=manager, paths=("",))
                        seconds.setdefault(new_tab, []).append(opened.seconds)
                        problems[new_tab] = problems.get(new_tab, 0) + bool(opened.exceptions)
                    visits = visit_pages(base, None, query, by_menu=by_menu, sections=True, tab=tab)
                    for visit in visits:
                        other = f" · {visit.section}" if "section=" in visit.query else ""
                        key = (visit.title + other, view, way)
                        seconds.setdefault(key, []).append(visit.seconds)
                        broken = visit.exceptions or 0 in visit.chart_marks
                        problems[key] = problems.get(key, 0) + bool(broken)
    return [
        {
            "page": page,
            "view": view,
            "way": way,
            "loads": len(loads),
            "p50_seconds": round(statistics.median(loads), 3),
            "p95_seconds": round(percentile(loads, 0.95), 3),
            "first_load_seconds": round(loads[0], 3),
            "loads_with_a_problem": problems[(page, view, way)],
        }
        for (page, view, way), loads in seconds.items()
    ]


def main(path: Path, runs: int, result_path: Path) -> None:
    calls = int(Snapshot(path).query("select count(*) from marts.fct_calls").iloc[0, 0])
    result = {"calls": calls, "runs": runs, "pages": time_page_loads(path, runs)}
    result_path.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]))
