"""Screenshots of every page of the app (each section of a page in sections) on the
demo's published snapshot, for docs/app.md.

Usage: python scripts/screenshots.py docs/images   (make screenshots)
The pages show the whole demo period, so the monthly and 30-day measures have data;
the scorecard its last full week, against the weeks before.
"""

import sys
from pathlib import Path

from ccw.dashboard.browser import running_app, visit_pages
from ccw.dashboard.queries import data_range
from ccw.dashboard.snapshot import Snapshot, configured_snapshot

out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/images")
snapshot = configured_snapshot().resolve()
span = data_range(Snapshot(snapshot))
query = f"?start={span.first_day}&end={span.last_day}"
with running_app(snapshot) as base:
    visits = visit_pages(base, out, query=query, height=2400, sections=True)
    visits += visit_pages(base, out, query="?period=last_week", height=1500, paths=("",))
    for visit in visits:
        status = "ok" if not visit.exceptions and visit.has_key_element else "PROBLEM"
        print(f"{visit.title:25} {visit.section:22} {status:8} {visit.screenshot}")
