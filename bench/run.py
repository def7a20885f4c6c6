"""The benchmark harness: generate, build, floor, growth and app at a named scale.

    python bench/run.py --scale demo                 # every part, 3 runs each
    python bench/run.py --scale 10m --parts build,floor --runs 3
    python bench/run.py --report-only                # re-render docs/benchmarks.md

Generated exports and work folders are cached in bench/.cache/ (the 10m exports take
minutes to generate and a few GB). Each part's runs are saved in
bench/results/<scale>.json, and docs/benchmarks.md is rendered from all the results
files with the medians. Timings are never asserted: targets are reported as met or
missed. See docs/benchmarks.md for what each part measures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import report
from parts import (
    BENCH,
    REPOSITORY,
    Workspace,
    app_part,
    build_part,
    floor_part,
    generate_part,
    growth_part,
    pages_part,
    spark_part,
)
from scales import SCALES, scale_description

PARTS = {
    "generate": generate_part,
    "build": build_part,
    "floor": floor_part,
    "growth": growth_part,
    "app": app_part,
    # Not in the default parts: the same build on a local Spark (docs/scale-out.md);
    # page loads in Chromium (at the demo scale: `--scale demo --parts pages`).
    "spark": spark_part,
    "pages": pages_part,
}
DEFAULT_PARTS = ("generate", "build", "floor", "growth", "app")
APP_RUNS = 20  # page loads per view: p95 needs more than a handful
PAGE_RUNS = 10  # loads of each page per view in Chromium


def machine() -> str:
    cpu = platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 2**20
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("duckdb", "dbt-core", "dbt-duckdb", "dagster", "great-expectations")
    )
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB memory; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}, {versions}"
    )


def git_commit() -> str:
    """The commit measured, with '+changes' when the work tree differs from it."""

    def git(*arguments: str) -> str:
        return subprocess.run(["git", *arguments], cwd=REPOSITORY, capture_output=True,
                              text=True, check=False).stdout.strip()  # fmt: skip

    # Only what runs during a measurement: the report and its notes do not count.
    changed = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs",
                  ":!bench/results", ":!bench/report.py", ":!bench/findings.md",
                  ":!README.md")  # fmt: skip
    return git("rev-parse", "--short", "HEAD") + ("+changes" if changed else "")


def load_results(folder: Path) -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
    parser.add_argument("--parts", default=",".join(DEFAULT_PARTS),
                        help=f"comma-separated, of: {', '.join(PARTS)}")  # fmt: skip
    parser.add_argument("--runs", type=int, default=3, help="runs of each part (median)")
    parser.add_argument("--cache", type=Path, default=BENCH / ".cache")
    parser.add_argument("--results", type=Path, default=BENCH / "results")
    parser.add_argument("--report", type=Path, default=REPOSITORY / "docs" / "benchmarks.md")
    parser.add_argument("--report-only", action="store_true")
    options = parser.parse_args(argv)

    options.results.mkdir(parents=True, exist_ok=True)
    if not options.report_only:
        scale = SCALES[options.scale]
        space = Workspace(scale, options.cache.resolve())
        results_path = options.results / f"{scale.name}.json"
        results = json.loads(results_path.read_text()) if results_path.exists() else {}
        results["scale"] = scale_description(scale)
        results["machine"] = machine()
        for part in options.parts.split(","):
            started = time.perf_counter()
            print(f"[{scale.name}] {part}: {options.runs} run(s)...", flush=True)
            if part == "app":  # loads per view, in as many rounds as runs
                results[part] = app_part(space, APP_RUNS, rounds=options.runs)
            else:
                runs = {"pages": PAGE_RUNS}.get(part, options.runs)
                results[part] = PARTS[part](space, runs)
            results[part + "_measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
            results[part + "_commit"] = git_commit()
            results_path.write_text(json.dumps(results, indent=1) + "\n")
            print(f"[{scale.name}] {part} done in {time.perf_counter() - started:.0f} s",
                  flush=True)  # fmt: skip
    notes_path = BENCH / "findings.md"
    notes = notes_path.read_text() if notes_path.exists() else ""
    results = load_results(options.results)
    machines = sorted({result.get("machine", machine()) for result in results.values()})
    report.write(options.report, results, "; ".join(machines) or machine(), notes)
    print(f"Report: {options.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
