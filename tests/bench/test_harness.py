"""The benchmark harness end to end at the tiny scale: it runs every part and writes a
well-formed report. Timings are recorded, never asserted (docs/benchmarks.md)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tiny_bench(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bench")
    completed = subprocess.run(
        [sys.executable, "bench/run.py", "--scale", "tiny", "--runs", "1",
         "--cache", str(root / "cache"), "--results", str(root / "results"),
         "--report", str(root / "benchmarks.md")],
        check=False, cwd=REPOSITORY, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return root


def _table(report: str, heading: str) -> list[list[str]]:
    """The rows of the first Markdown table after ``heading``."""
    section = report.split(heading, 1)[1]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    table = []
    for line in rows[2:]:
        table.append([cell.strip() for cell in line.strip("|").split("|")])
        if section.split(line, 1)[1].startswith("\n\n"):
            break
    return table


def test_every_part_records_its_runs(tiny_bench: Path) -> None:
    results = json.loads((tiny_bench / "results" / "tiny.json").read_text())
    assert {"generate", "build", "floor", "growth", "app"} <= set(results)
    build = results["build"]["runs"][0]
    stages = build["stages"]
    assert set(stages) == {"start-up", "land", "checks", "dbt build", "publish", "wrap-up",
                           "total"}  # fmt: skip
    total = stages["total"]["wall_seconds"]
    parts = sum(usage["wall_seconds"] for name, usage in stages.items() if name != "total")
    assert parts == pytest.approx(total, rel=0.05)  # the stages cover the run
    assert all(usage["cpu_seconds"] > 0 for usage in stages.values())
    assert stages["total"]["peak_rss_mb"] >= max(u["peak_rss_mb"] for u in stages.values())
    assert "fct_calls" in build["dbt"] and "data tests" in build["dbt"]
    assert build["rows_loaded"] > 10_000
    # One new day after three: the growth run loads only that day's files.
    growth = results["growth"]["3"]["runs"][0]
    assert 0 < growth["rows_loaded"] < build["rows_loaded"]
    assert growth["files"] == 9


def test_the_floor_builds_the_same_marts(tiny_bench: Path) -> None:
    results = json.loads((tiny_bench / "results" / "tiny.json").read_text())
    assert results["floor"]["runs"][0]["marts"] == results["build"]["marts"]
    assert results["build"]["marts"]["fct_calls"] > 0


def test_the_report_has_a_table_for_every_part(tiny_bench: Path) -> None:
    report = (tiny_bench / "benchmarks.md").read_text()
    assert "Machine: " in report and "cores" in report
    stages = _table(report, "### tiny:")
    assert [row[0] for row in stages] == ["start-up", "land", "checks", "dbt build", "publish",
                                          "wrap-up", "**total**"]  # fmt: skip
    seconds = re.compile(r"^[\d,]+\.\d (s|min)$")
    assert all(seconds.match(row[1]) and seconds.match(row[2]) for row in stages)
    floor = _table(report, "## Pipeline against the floor")
    assert floor[0][0] == "tiny" and re.match(r"^\d+\.\d\d×", floor[0][5])
    growth = _table(report, "## Daily runs as history grows")
    assert growth[0][0] == "3 days" and growth[0][-2] == "1.00×"
    app = _table(report, "## App queries")
    pages = {row[0] for row in app}  # every page the app has, in both views
    assert "Queue scorecard" in pages and len(pages) == 6 and len(app) == 2 * len(pages)
    assert all(row[3].endswith(" ms") for row in app)
    generator = _table(report, "## Generator")
    assert generator[0][0] == "tiny" and int(generator[0][1].replace(",", "")) > 0
