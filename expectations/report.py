"""The run's data quality page, readable without a network, and old results pruned.

GX's Data Docs index draws its tables with JavaScript from public CDNs, so on a
server without internet it shows no results (its validation pages still read,
unstyled). ``latest-run.html`` beside it is plain HTML: every suite of the latest
run, passed, warned or failed, its failing expectations with their samples, and a
link to the suite's GX validation page. Each check adds its suite as it finishes.

The validation pages of all but the last ``KEEP_RUNS`` runs are deleted from the
site, so a daily schedule does not fill the disk.
"""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

from expectations.suite import SuiteOutcome

LATEST_RUN_PAGE = "latest-run.html"
KEEP_RUNS = 30


def record_outcome(docs_dir: Path, run_id: str, outcome: SuiteOutcome) -> Path:
    """Add ``outcome`` to the run's page and return the page's path."""
    runs = docs_dir / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    store = runs / f"{run_id}.json"
    entries = json.loads(store.read_text()) if store.exists() else {}
    entries[outcome.suite.name] = _entry(docs_dir, run_id, outcome)
    store.write_text(json.dumps(entries, indent=1))
    page = docs_dir / LATEST_RUN_PAGE
    page.write_text(_page(run_id, entries))
    _prune(runs, docs_dir / "validations")
    return page


def _entry(docs_dir: Path, run_id: str, outcome: SuiteOutcome) -> dict:
    failed = outcome.failed()
    status = "failed" if not outcome.passed else "warned" if failed else "passed"
    pages = sorted((docs_dir / "validations" / outcome.suite.name / run_id).rglob("*.html"))
    return {
        "suite": outcome.suite.name,
        "asset": "/".join(outcome.suite.asset),
        "blocking": outcome.suite.blocking,
        "protects": outcome.suite.protects,
        "status": status,
        "rows": outcome.rows,
        "expectations": len(outcome.outcomes),
        "failures": [
            {"expectation": item.describe(), "why": item.why, "sample": list(item.sample)}
            for item in failed
        ],
        "page": str(pages[-1].relative_to(docs_dir)) if pages else None,
    }


def _page(run_id: str, entries: dict[str, dict]) -> str:
    rows = []
    for entry in sorted(entries.values(), key=lambda e: (e["status"] == "passed", e["suite"])):
        name = html.escape(entry["suite"])
        if entry["page"]:
            name = f'<a href="{html.escape(entry["page"])}">{name}</a>'
        failures = "".join(
            f"<li><code>{html.escape(item['expectation'])}</code>: {html.escape(item['why'])}"
            + "".join(f"<br><small>{html.escape(s)}</small>" for s in item["sample"])
            + "</li>"
            for item in entry["failures"]
        )
        rows.append(
            f'<tr class="{entry["status"]}"><td>{name}</td><td>{html.escape(entry["asset"])}</td>'
            f"<td>{'blocks' if entry['blocking'] else 'warns'}</td>"
            f"<td>{entry['status'] if entry['rows'] else 'nothing new'}</td>"
            f"<td>{entry['rows']:,}</td>"
            f"<td>{entry['expectations']}</td><td><ul>{failures}</ul></td></tr>"
        )
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Data quality, run {html.escape(run_id)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }} table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; text-align: left; }}
tr.failed {{ background: #fde2e2; }} tr.warned {{ background: #fff4d6; }}
ul {{ margin: 0; padding-left: 1.2em; }}
</style></head><body>
<h1>Data quality of run {html.escape(run_id)}</h1>
<p>Every Great Expectations suite of the run (docs/data-quality.md says what each one
protects against and what to do when it fails). A failed blocking suite stops what is
built on its asset; the published snapshot stays the last good one.
<a href="index.html">All Data Docs</a> (needs internet for its styles).</p>
<table><tr><th>suite</th><th>asset</th><th>on failure</th><th>status</th>
<th>rows validated</th><th>expectations</th><th>failing expectations</th></tr>
{"".join(rows)}
</table></body></html>
"""


def _prune(runs: Path, *validation_folders: Path) -> None:
    records = sorted(runs.glob("*.json"), key=lambda path: path.stat().st_mtime)
    old = {path.stem for path in records[:-KEEP_RUNS]}
    if not old:
        return
    for folder in validation_folders:
        for run_folder in folder.glob("*/*"):
            if run_folder.name in old:
                shutil.rmtree(run_folder, ignore_errors=True)
    for path in records[:-KEEP_RUNS]:
        path.unlink()
