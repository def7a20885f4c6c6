"""`ccw app`'s server: Streamlit's own command line, started once the first visitor's
wait is paid for. The libraries the pages use are imported first (the first page's
script, Streamlit's AppTest in a fresh process on two cores: 1.6 s instead of 2.2 s;
most of it is importing MetricFlow and Altair), then every page's queries for its first
view are run once, so MetricFlow has planned each shape of request the pages make
(0.1 to 0.2 s each) before anyone asks.

Usage: python -m ccw.dashboard.serve run APP_SCRIPT [streamlit options]
"""

import sys

import altair  # noqa: F401
import duckdb  # noqa: F401
import metricflow.engine.metricflow_engine  # noqa: F401
import pyarrow.compute  # noqa: F401
from streamlit.web.cli import main

from ccw.dashboard.filters import Filters
from ccw.dashboard.queries import data_range, page_queries
from ccw.dashboard.snapshot import Snapshot


def plan_first_views() -> None:
    """Run each page's queries for the view a first visit shows (the last 28 days, no
    filter). The plans are kept for the metrics catalogue (ccw/metrics.py), which
    stays the same across publishes of the same model, and serve every period and
    queue; the results themselves are not kept. Nothing published yet, or a snapshot
    the app cannot read: the pages say so on their own, nothing to plan."""
    snapshot = Snapshot()
    if not snapshot.path.exists():
        return
    try:
        span = data_range(snapshot)
        if span is None:
            return
        first_view = Filters.from_query_params({}, span.first_day, span.last_day)
        for queries in page_queries(snapshot, first_view).values():
            for query, arguments in queries:
                query(snapshot, *arguments)
    except Exception as error:  # the page shows the full story
        print(f"ccw app: the first views were not planned ({error})", file=sys.stderr)


if __name__ == "__main__":
    plan_first_views()
    sys.exit(main(prog_name="streamlit"))
