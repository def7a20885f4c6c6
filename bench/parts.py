"""The benchmark's parts at one scale: generate, build, floor, growth, app.

Each part runs its measured work in child processes (so every run starts cold, as a
scheduled run does, and its memory is its own) and returns a JSON-ready result.
Work folders live in the cache (``bench/.cache/<scale>/``), reused run after run at
the same paths, as a production warehouse and its dbt target folder are.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
from floor_child import mart_rows
from measure import MeasuredRun, Usage, run_measured
from scales import SEED, Scale, landing_subset
from stages import dbt_nodes, pipeline_stages

from ccw.parity import compare_warehouses
from ccw.publish import published_path
from orchestration.assets.dbt import dbt_target_path

BENCH = Path(__file__).resolve().parent
REPOSITORY = BENCH.parent


class BenchmarkError(RuntimeError):
    pass


@dataclass(frozen=True)
class Workspace:
    scale: Scale
    cache: Path

    @property
    def root(self) -> Path:
        return self.cache / self.scale.name

    @property
    def generated(self) -> Path:
        return self.root / "generated"

    @property
    def build_warehouse(self) -> Path:
        return self.root / "build" / "ccw.duckdb"

    def landing(self, days: int) -> Path:
        """The first ``days`` days of the generated exports."""
        folder = self.root / f"landing-{days}d"
        landing_subset(self.generated, folder, self.scale.start, days)
        return folder


# What builds a warehouse: a history built by other code is not this code's history.
PIPELINE_SOURCES = ("ccw", "orchestration", "expectations", "models", "macros",
                    "dbt_project.yml", "profiles.yml")  # fmt: skip
BUILT_BY = "built-by.txt"


def pipeline_version() -> str:
    """A digest of the pipeline's files as they are now (committed or not)."""

    def git(*arguments: str) -> str:
        return subprocess.run(["git", *arguments, "--", *PIPELINE_SOURCES], cwd=REPOSITORY,
                              capture_output=True, text=True, check=True).stdout  # fmt: skip

    return hashlib.sha256((git("ls-files", "-s") + git("diff", "HEAD")).encode()).hexdigest()[:16]


def _mark_built(warehouse: Path) -> None:
    (warehouse.parent / BUILT_BY).write_text(pipeline_version())


def _built_by_this_code(warehouse: Path) -> bool:
    marker = warehouse.parent / BUILT_BY
    return marker.exists() and marker.read_text() == pipeline_version()


def _child(script: str, *arguments: object) -> list[str]:
    return [sys.executable, str(BENCH / script), *map(str, arguments)]


def _run_child(command: list[str]) -> tuple[MeasuredRun, dict]:
    with tempfile.TemporaryDirectory(prefix="ccw-bench-") as folder:
        result_path = Path(folder) / "result.json"
        run = run_measured([*command, result_path], cwd=REPOSITORY)
        if run.returncode != 0 or not result_path.exists():
            raise BenchmarkError(f"{' '.join(command)} failed:\n{run.output[-3000:]}")
        return run, json.loads(result_path.read_text())


def _usages(usages: dict[str, Usage]) -> dict[str, dict[str, float]]:
    return {name: usage.as_dict() for name, usage in usages.items()}


# --- generate -----------------------------------------------------------------------


def ensure_generated(space: Workspace) -> dict | None:
    """Generate the scale's exports into the cache unless they are there already.
    Returns the measured run when it generated."""
    wanted = {**space.scale.generate_arguments(), "seed": SEED}
    marker = space.generated / "generated.json"
    if marker.exists() and json.loads(marker.read_text())["arguments"] == wanted:
        return None
    shutil.rmtree(space.generated, ignore_errors=True)
    run = _generate_once(space, space.generated)
    marker.write_text(json.dumps({"arguments": wanted, **run}))
    return run


def _generate_once(space: Workspace, out: Path) -> dict:
    arguments = json.dumps(space.scale.generate_arguments())
    run, made = _run_child(_child("generate_child.py", out, arguments, SEED))
    return {"usage": run.total.as_dict(), **made}


def generate_part(space: Workspace, runs: int) -> dict:
    """Generation timed ``runs`` times (the cache fill counts as the first)."""
    measured = []
    first = ensure_generated(space)
    if first is not None:
        measured.append(first)
    while len(measured) < runs:
        with tempfile.TemporaryDirectory(prefix="ccw-bench-generate-") as folder:
            measured.append(_generate_once(space, Path(folder) / "landing"))
    return {"runs": measured, "days": space.scale.generated_days}


# --- build --------------------------------------------------------------------------


def _fresh(warehouse: Path) -> None:
    """Remove a warehouse, its published snapshot and lock; keep dbt's target folder."""
    shutil.rmtree(warehouse.parent, ignore_errors=True)
    warehouse.parent.mkdir(parents=True)


def run_pipeline_measured(landing: Path, warehouse: Path, engine: str = "duckdb") -> dict:
    run, child = _run_child(_child("pipeline_child.py", landing, warehouse, engine))
    if not child["ok"]:
        raise BenchmarkError(f"the pipeline failed: {child['failed']}")
    return {
        "stages": _usages(pipeline_stages(run, child)),
        "dbt": _usages(dbt_nodes(run, child)),
        "rows_loaded": child["rows_loaded"],
        "rows_quarantined": child["rows_quarantined"],
        "files": child["files_new"],
    }


def build_part(space: Workspace, runs: int) -> dict:
    """The full build (land, checks, dbt build, publish) from an empty warehouse."""
    ensure_generated(space)
    landing = space.landing(space.scale.days)
    measured = []
    for _ in range(runs):
        _fresh(space.build_warehouse)
        measured.append(run_pipeline_measured(landing, space.build_warehouse))
    _mark_built(space.build_warehouse)
    return {"runs": measured, "marts": published_mart_rows(space.build_warehouse)}


def published_mart_rows(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(published_path(warehouse)), read_only=True) as con:
        return mart_rows(con)


# --- spark --------------------------------------------------------------------------


def spark_part(space: Workspace, runs: int) -> dict:
    """The full build with `--engine spark`, and whether its marts equal DuckDB's.

    The same job as the build part, from an empty warehouse and Spark folder, but dbt
    builds on a local Spark; the marts are then compared with the DuckDB full build's,
    row for row (ccw/parity.py), so the timing is of a build that gave the same answer.
    """
    if not _built_by_this_code(space.build_warehouse):
        raise BenchmarkError("no DuckDB full build by this code: run the build part first")
    landing = space.landing(space.scale.days)
    warehouse = space.root / "spark-build" / "ccw.duckdb"
    measured = []
    for _ in range(runs):
        _fresh(warehouse)
        measured.append(run_pipeline_measured(landing, warehouse, engine="spark"))
    comparisons = compare_warehouses(space.build_warehouse, warehouse)
    return {
        "runs": measured,
        "marts_compared": len(comparisons),
        "marts_equal": sum(comparison.equal for comparison in comparisons),
        "differences": [c.describe() for c in comparisons if not c.equal],
    }


# --- floor --------------------------------------------------------------------------


def _windows(child: dict, prefix: str) -> list[tuple[float, float]]:
    return [(w["start"], w["end"]) for w in child["windows"] if w["part"].startswith(prefix)]


def floor_part(space: Workspace, runs: int) -> dict:
    """The same SQL without Dagster or dbt, on the SQL dbt compiled for the full build."""
    target = REPOSITORY / dbt_target_path(space.build_warehouse)
    if not (target / "manifest.json").exists():
        raise BenchmarkError(f"no full build at {space.build_warehouse}: run the build first")
    landing = space.landing(space.scale.days)
    database = space.root / "floor" / "ccw.duckdb"
    measured = []
    for _ in range(runs):
        _fresh(database)
        run, child = _run_child(_child("floor_child.py", landing, target, database))
        land = _windows(child, "land.")
        models = _windows(child, "model.")
        parts = {
            "start-up": run.timeline.usage(run.started, min(w[0] for w in land)),
            "land": run.timeline.usage_of(land),
            "models": run.timeline.usage_of(models),
            "total": run.total,
        }
        measured.append({"stages": _usages(parts), "rows": child["rows"], "marts": child["marts"]})
    return {"runs": measured}


# --- growth -------------------------------------------------------------------------


def _copy_warehouse(source: Path, target: Path) -> None:
    _fresh(target)
    shutil.copytree(source.parent, target.parent, dirs_exist_ok=True)
    # Let the copy reach the disk first: a run measured while the machine still writes
    # out 9 GB of it (at 365 days of 10m) is slowed by the copy, not by its own work.
    os.sync()


def growth_part(space: Workspace, runs: int) -> dict:
    """One new day of files after each history: the nightly run, ``runs`` times each.

    The history is built once (not timed) in the same work folder the daily runs use,
    then copied back before each measured run, so every run starts from the same
    warehouse and dbt's target folder is as warm as a nightly run's. A history built
    by other pipeline code is built again.
    """
    work = space.root / "growth" / "ccw.duckdb"
    results = {}
    for history in sorted(space.scale.growth_histories):
        saved = space.root / f"history-{history}d" / "ccw.duckdb"
        if history == space.scale.days and _built_by_this_code(space.build_warehouse):
            saved = space.build_warehouse  # the full build is that history (no 2nd copy)
        elif not _built_by_this_code(saved):
            _fresh(work)
            run_pipeline_measured(space.landing(history), work)
            _copy_warehouse(work, saved)
            _mark_built(saved)
        landing = space.landing(history + 1)
        measured = []
        for _ in range(runs):
            _copy_warehouse(saved, work)
            measured.append(run_pipeline_measured(landing, work))
        results[str(history)] = {"runs": measured}
    return results


# --- app ----------------------------------------------------------------------------


def app_part(space: Workspace, runs: int, rounds: int = 1) -> dict:
    """Page query latency on the full build's published snapshot: `runs` loads per
    view, in `rounds` separate processes; each view's p50 and p95 are the medians of
    the rounds' (two cores shared with other machines vary by 10-15% from one minute to
    the next), each round's p95 kept beside them."""
    snapshot = published_path(space.build_warehouse)
    if not snapshot.exists():
        raise BenchmarkError(f"no published snapshot at {snapshot}: run the build first")
    measured = [_run_child(_child("app_child.py", snapshot, runs)) for _ in range(rounds)]
    children = [child for _, child in measured]
    pages = []
    for views in zip(*(child["pages"] for child in children), strict=True):
        p95s = [view["p95_ms"] for view in views]
        typical = sorted(views, key=lambda view: view["p95_ms"])[len(views) // 2]
        pages.append({**typical, "p50_ms": statistics.median(v["p50_ms"] for v in views),
                      "p95_ms": statistics.median(p95s), "rounds_p95_ms": p95s})  # fmt: skip
    totals = [run.total.as_dict() for run, _ in measured]
    usage = {"wall_seconds": round(sum(total["wall_seconds"] for total in totals), 3),
             "cpu_seconds": round(sum(total["cpu_seconds"] for total in totals), 3),
             "peak_rss_mb": max(total["peak_rss_mb"] for total in totals)}  # fmt: skip
    return {**children[0], "rounds": rounds, "pages": pages, "usage": usage}


def pages_part(space: Workspace, runs: int) -> dict:
    """Page loads in Chromium, to every chart drawn, on the full build's snapshot."""
    snapshot = published_path(space.build_warehouse)
    if not snapshot.exists():
        raise BenchmarkError(f"no published snapshot at {snapshot}: run the build first")
    run, child = _run_child(_child("pages_child.py", snapshot, runs))
    return {**child, "usage": run.total.as_dict()}
