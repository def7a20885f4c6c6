"""docs/benchmarks.md, written from the results of every scale (bench/results/*.json).

Every figure is the median of the runs recorded for it; the runs themselves are in
the results files. Parts missing at a scale are shown as not measured, never guessed.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from stages import STAGES

# What the project holds itself to now, and the goal beyond it where one is set
# (docs/benchmarks.md's Targets table shows both).
TARGETS = {
    "full_build_seconds": 600,
    "full_build_peak_gib": 6,
    "floor_ratio": 1.8,
    "daily_seconds": 60,
    "growth_ratio": 1.3,
    "app_p95_ms": 300,
    "page_load_p95_seconds": 1.5,
    "legs_per_minute": 1_000_000,
}
GOALS = {
    "full_build_seconds": 300,
    "full_build_peak_gib": 4,
    "floor_ratio": 1.5,
    "daily_seconds": 30,
    "growth_ratio": 1.1,
    "app_p95_ms": 150,
    "legs_per_minute": 2_000_000,
}
SCALE_ORDER = ("tiny", "demo", "1m", "10m")


def median_of(runs: list[dict], *path: str) -> float:
    values = []
    for run in runs:
        value = run
        for key in path:
            value = value[key]
        values.append(value)
    return statistics.median(values)


def _seconds(value: float) -> str:
    return f"{value:,.1f} s" if value < 600 else f"{value / 60:,.1f} min"


def _mb(value: float) -> str:
    return f"{value / 1024:,.2f} GiB" if value >= 1024 else f"{value:,.0f} MB"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _commit(result: dict, part: str) -> str:
    commit = result.get(f"{part}_commit")
    measured = result.get(f"{part}_measured_at", "")[:10]
    return f" (commit {commit}, {measured})" if commit else ""


def _ordered(results: dict[str, dict]) -> list[tuple[str, dict]]:
    return sorted(results.items(), key=lambda item: SCALE_ORDER.index(item[0])
                  if item[0] in SCALE_ORDER else 99)  # fmt: skip


def targets_section(results: dict[str, dict]) -> list[str]:
    """Each 10m figure against its target and its goal, with the commit it was
    measured at (the parts are measured at different times), or 'not measured yet'."""
    ten = results.get("10m", {})
    rows = []

    def row(what: str, key: str, value: float | None, shown, part: str, result=ten) -> None:
        """``shown`` formats a value; a rate is judged the other way round."""
        higher_is_better = key == "legs_per_minute"

        def holds(limit: float) -> bool:
            return value >= limit if higher_is_better else value <= limit

        goal = shown(GOALS[key]) if key in GOALS else "-"
        if value is None:
            rows.append(f"| {what} | - | {shown(TARGETS[key])} | not measured yet | {goal} | | - |")
            return
        reached = ("met" if holds(GOALS[key]) else "not yet") if key in GOALS else ""
        rows.append(
            f"| {what} | {shown(value)} | {shown(TARGETS[key])} | {_verdict(holds(TARGETS[key]))} "
            f"| {goal} | {reached} | {_commit(result, part).strip(' ()') or '-'} |"
        )

    build = ten.get("build", {}).get("runs")
    total = median_of(build, "stages", "total", "wall_seconds") if build else None
    row("full build of 10m", "full_build_seconds", total, _seconds, "build")
    peak = median_of(build, "stages", "total", "peak_rss_mb") / 1024 if build else None
    row("its peak memory", "full_build_peak_gib", peak, lambda v: f"{v:.1f} GiB", "build")
    floor = ten.get("floor", {}).get("runs")
    ratio = total / median_of(floor, "stages", "total", "wall_seconds") if floor and total else None
    row("full build ÷ the floor (the same SQL in one DuckDB session)", "floor_ratio", ratio,
        lambda v: f"{v:.2f}×", "floor")  # fmt: skip
    growth = ten.get("growth", {})
    daily = (median_of(growth["365"]["runs"], "stages", "total", "wall_seconds")
             if "365" in growth else None)  # fmt: skip
    row("nightly run after 365 days", "daily_seconds", daily, _seconds, "growth")
    base = (median_of(growth["30"]["runs"], "stages", "total", "wall_seconds")
            if "30" in growth else None)  # fmt: skip
    grow = daily / base if daily and base else None
    row("... ÷ the nightly run after 30 days", "growth_ratio", grow, lambda v: f"{v:.2f}×",
        "growth")  # fmt: skip
    app = ten.get("app", {}).get("pages")
    worst = max(page["p95_ms"] for page in app) if app else None
    row("slowest page's queries at 10m, p95", "app_p95_ms", worst, lambda v: f"{v:,.0f} ms",
        "app")  # fmt: skip
    demo = results.get("demo", {})
    pages = demo.get("pages", {}).get("pages")
    timed = [page["p95_seconds"] for page in pages or [] if _judged(page)]
    slowest = max(timed) if timed else None
    row("slowest page drawn in Chromium at demo, p95 of 10 loads", "page_load_p95_seconds",
        slowest, lambda v: f"{v:.2f} s", "pages", demo)  # fmt: skip
    rates = [(name, result) for name, result in _ordered(results)
             if result.get("generate") and name != "tiny"]  # fmt: skip
    if rates:
        name, result = rates[-1]
        runs = result["generate"]["runs"]
        rate = runs[0]["call_legs"] / median_of(runs, "usage", "wall_seconds") * 60
        row(f"generator, call legs a minute ({name})", "legs_per_minute", rate,
            lambda v: f"{v:,.0f}", "generate", result)  # fmt: skip
    return ["## Targets", "",
            "Each figure is the median of its runs, measured at the commit shown; the "
            "machines differ in speed (the machine line above lists them), so a figure "
            "measured on another day is compared with care.", "",
            "| figure | measured | target | | goal | | measured at |",
            "|---|---:|---:|---|---:|---|---|", *rows]  # fmt: skip


def scales_section(results: dict[str, dict]) -> list[str]:
    lines = ["## Scales", "",
             "| scale | center | agents | customers | days built | first day | call legs |",
             "|---|---|---:|---:|---:|---|---:|"]  # fmt: skip
    for name, result in _ordered(results):
        scale = result["scale"]
        legs = result.get("generate", {}).get("runs", [{}])[0].get("call_legs")
        legs_text = f"{legs:,} in {result['generate']['days']} days" if legs else "not measured"
        lines.append(
            f"| {name} | {scale['note']} | {scale['agents']:,} | {scale['customers']:,} | "
            f"{scale['days']} | {scale['start']} | {legs_text} |"
        )
    return lines


def generator_section(results: dict[str, dict]) -> list[str]:
    lines = ["## Generator (`ccw generate`)", "",
             f"Target: at least {TARGETS['legs_per_minute']:,} call legs per minute.", "",
             "| scale | call legs | rows, all tables | wall | CPU | peak memory | legs per minute "
             "| runs | target |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]  # fmt: skip
    for name, result in _ordered(results):
        part = result.get("generate")
        if not part:
            continue
        runs = part["runs"]
        wall = median_of(runs, "usage", "wall_seconds")
        legs = runs[0]["call_legs"]
        rate = legs / wall * 60
        lines.append(
            f"| {name} | {legs:,} | {runs[0]['rows']:,} | {_seconds(wall)} | "
            f"{_seconds(median_of(runs, 'usage', 'cpu_seconds'))} | "
            f"{_mb(median_of(runs, 'usage', 'peak_rss_mb'))} | {rate:,.0f} | {len(runs)} | "
            f"{_verdict(rate >= TARGETS['legs_per_minute']) if name != 'tiny' else '-'} |"
        )
    return lines


def build_section(results: dict[str, dict]) -> list[str]:
    lines = ["## Full build, by stage", "",
             "From an empty warehouse: `ccw run`'s job (land, checks, dbt build, publish) in a "
             "fresh process, generation excluded. Wall / CPU / peak memory of the process "
             "tree (dbt included), median of the runs. CPU above wall means both cores "
             "worked.", ""]  # fmt: skip
    for name, result in _ordered(results):
        part = result.get("build")
        if not part:
            continue
        runs = part["runs"]
        lines += [f"### {name}: {runs[0]['rows_loaded']:,} rows from {runs[0]['files']:,} files, "
                  f"{len(runs)} runs{_commit(result, 'build')}", "",
                  "| stage | wall | CPU | peak memory |", "|---|---:|---:|---:|"]  # fmt: skip
        for stage in (*STAGES, "total"):
            lines.append(
                f"| {'**total**' if stage == 'total' else stage} | "
                f"{_seconds(median_of(runs, 'stages', stage, 'wall_seconds'))} | "
                f"{_seconds(median_of(runs, 'stages', stage, 'cpu_seconds'))} | "
                f"{_mb(median_of(runs, 'stages', stage, 'peak_rss_mb'))} |"
            )
        lines.append("")
        lines += dbt_table(runs)
        lines.append("")
    return lines


def dbt_table(runs: list[dict], top: int = 12) -> list[str]:
    names = list(runs[0]["dbt"])
    walls = {name: median_of(runs, "dbt", name, "wall_seconds") for name in names}
    slowest = sorted(walls, key=walls.get, reverse=True)[:top]
    rest = [name for name in names if name not in slowest]
    lines = [f"dbt build, the {len(slowest)} slowest of {len(names) - 1} models and the data "
             "tests (execution only; dbt's start-up and parsing are the rest of its stage):",
             "", "| dbt node | wall | CPU | peak memory |", "|---|---:|---:|---:|"]  # fmt: skip
    for name in slowest:
        lines.append(
            f"| {name} | {_seconds(walls[name])} | "
            f"{_seconds(median_of(runs, 'dbt', name, 'cpu_seconds'))} | "
            f"{_mb(median_of(runs, 'dbt', name, 'peak_rss_mb'))} |"
        )
    if rest:
        lines.append(f"| {len(rest)} other models | {_seconds(sum(walls[n] for n in rest))} | | |")
    return lines


def spark_section(results: dict[str, dict]) -> list[str]:
    """The same full build with dbt on a local Spark (`bench/run.py --parts spark`)."""
    lines = ["## DuckDB against a local Spark", "",
             "The full build again, from an empty warehouse, with `ccw run --engine spark`: "
             "landing and checks as before, the raw tables also written to the lake as "
             "Parquet, dbt's models and tests on a local Spark in the dbt process (the "
             "profile's `spark` target), and the marts copied back for the checks and the "
             "snapshot (docs/scale-out.md). The marts are then compared with the DuckDB "
             "build's, row for row. Wall time, median of the runs; the ratio is Spark's "
             "over DuckDB's.", "",
             "| scale | engine | land | checks | dbt build | publish | **total** | peak memory "
             "| runs |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    found = False
    for name, result in _ordered(results):
        spark, build = result.get("spark"), result.get("build")
        if not (spark and build):
            continue
        found = True
        totals = {}
        for engine, part in (("DuckDB", build), ("Spark", spark)):
            runs = part["runs"]
            totals[engine] = median_of(runs, "stages", "total", "wall_seconds")
            stages = " | ".join(
                _seconds(median_of(runs, "stages", stage, "wall_seconds"))
                for stage in ("land", "checks", "dbt build", "publish")
            )
            lines.append(
                f"| {name} | {engine} | {stages} | **{_seconds(totals[engine])}** | "
                f"{_mb(median_of(runs, 'stages', 'total', 'peak_rss_mb'))} | {len(runs)} |"
            )
        lines += ["", f"{name}: Spark took {totals['Spark'] / totals['DuckDB']:.1f}× DuckDB's "
                  f"time; marts equal on both engines: {spark['marts_equal']} of "
                  f"{spark['marts_compared']}{_commit(result, 'spark')}."]  # fmt: skip
        for difference in spark.get("differences", []):
            lines.append(f"- {difference}")
        lines.append("")
    return lines if found else []


def floor_section(results: dict[str, dict]) -> list[str]:
    lines = ["## Pipeline against the floor", "",
             "The floor is the same SQL in one DuckDB session: each table's files read at "
             "once and checked by the landing's validation SQL, then the SQL dbt compiled "
             "for the full build, run in order (`bench/floor_child.py`). No Dagster, dbt, "
             "per-file transactions, quarantine, tests or checks. The ratio is the full "
             f"build's wall time over the floor's; target at 10m: at most "
             f"{TARGETS['floor_ratio']}.", "",
             "| scale | floor: land | floor: models | floor total | pipeline total | ratio | "
             "runs |", "|---|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for name, result in _ordered(results):
        floor, build = result.get("floor"), result.get("build")
        if not (floor and build):
            continue
        runs = floor["runs"]
        total = median_of(runs, "stages", "total", "wall_seconds")
        pipeline = median_of(build["runs"], "stages", "total", "wall_seconds")
        ratio = pipeline / total
        verdict = f" ({_verdict(ratio <= TARGETS['floor_ratio'])})" if name == "10m" else ""
        lines.append(
            f"| {name} | {_seconds(median_of(runs, 'stages', 'land', 'wall_seconds'))} | "
            f"{_seconds(median_of(runs, 'stages', 'models', 'wall_seconds'))} | "
            f"{_seconds(total)} | {_seconds(pipeline)} | {pipeline / total:.2f}×{verdict} | "
            f"{len(runs)} |"
        )
    return lines


def growth_section(results: dict[str, dict]) -> list[str]:
    lines = ["## Daily runs as history grows", "",
             "One new day of files on a warehouse holding 30, 180 or 365 days: what the "
             f"nightly schedule runs. Targets: at most {TARGETS['daily_seconds']} s at 365 "
             f"days, and at most {TARGETS['growth_ratio']}× the time at 30 days.", ""]  # fmt: skip
    if not any(result.get("growth") for result in results.values()):
        lines.append("Not measured yet: `python bench/run.py --scale 10m --parts growth`.")
    for name, result in _ordered(results):
        growth = result.get("growth")
        if not growth:
            continue
        histories = sorted(growth, key=int)
        base = median_of(growth[histories[0]]["runs"], "stages", "total", "wall_seconds")
        header = "| history | new rows | " + " | ".join(STAGES) + " | **total** | ratio | runs |"
        lines += [f"### {name}{_commit(result, 'growth')}", "", header,
                  "|---|" + "---:|" * (len(STAGES) + 4)]  # fmt: skip
        for history in histories:
            runs = growth[history]["runs"]
            total = median_of(runs, "stages", "total", "wall_seconds")
            stages = " | ".join(
                _seconds(median_of(runs, "stages", stage, "wall_seconds")) for stage in STAGES
            )
            lines.append(
                f"| {history} days | {runs[0]['rows_loaded']:,} | {stages} | "
                f"**{_seconds(total)}** | {total / base:.2f}× | {len(runs)} |"
            )
        longest = growth[histories[-1]]["runs"]
        nodes = sorted(longest[0]["dbt"], key=lambda node: -median_of(longest, "dbt", node,
                       "wall_seconds"))[:6]  # fmt: skip
        lines += ["", f"Largest dbt nodes of the daily run at {histories[-1]} days (median): "
                  + ", ".join(f"{node} {_seconds(median_of(longest, 'dbt', node, 'wall_seconds'))}"
                              for node in nodes) + ".", ""]  # fmt: skip
    return lines


def app_section(results: dict[str, dict]) -> list[str]:
    lines = ["## App queries (`ccw app`)", "",
             "Each page's queries without the app's cache (the first view after a publish), "
             "on a read-only connection to the published snapshot, as the app runs them; "
             f"p50 and p95 of the page's total. Target: p95 at most {TARGETS['app_p95_ms']} "
             "ms at 10m.", ""]  # fmt: skip
    for name, result in _ordered(results):
        app = result.get("app")
        if not app:
            continue
        rounds = app.get("rounds", 1)
        commit = result.get("app_commit")
        lines += [f"### {name}: {app['calls']:,} calls, each page loaded {app['runs']} times "
                  f"per view, in {rounds} round(s)" + (f" (commit {commit})" if commit else ""),
                  "", "p50 and p95: the medians of the rounds'." if rounds > 1 else "",
                  "", "| page | view | queries | p50 | p95 | p95 of each round | slowest query |",
                  "|---|---|---:|---:|---:|---|---|"]  # fmt: skip
        for page in app["pages"]:
            over = " (over target)" if page["p95_ms"] > TARGETS["app_p95_ms"] else ""
            each = ", ".join(f"{value:,.0f}" for value in page.get("rounds_p95_ms", []))
            lines.append(
                f"| {page['page']} | {page['view']} | {page['queries']} | "
                f"{page['p50_ms']:,.0f} ms | {page['p95_ms']:,.0f} ms{over} | "
                f"{each + ' ms' if each else '-'} | {page['slowest_query']} |"
            )
        lines.append("")
    return lines


def _judged(page: dict) -> bool:
    """A p95 is over several loads: the one load in a new browser is shown, not judged."""
    return page.get("loads", 2) > 1


def pages_section(results: dict[str, dict]) -> list[str]:
    lines = ["## Page loads in Chromium (`ccw app`)", "",
             "Each page opened in headless Chromium, timed from the request until its script "
             "has run and every chart has drawn, by its address (a shared link: the app's "
             "page starts anew) and through the menu (a click from the page before, each "
             "round starting from Definitions); the "
             "first load of a view runs its queries, later ones find the app's cache warm, "
             "so p95 is the slowest load. A page in sections (tabs) opens on its first; "
             "each other section is a view of its own, opened by its address. The loads "
             "share one tab of one browser, its cache kept as a returning manager's is; the "
             "very first page it opened, with nothing cached, is its own line (one load, "
             "not judged), and so is the scorecard opened in a new tab of it (once a "
             "round by address). "
             "Target: p95 "
             f"at most {TARGETS['page_load_p95_seconds']} s at the demo scale "
             "(`python bench/run.py --scale demo --parts pages`).", ""]  # fmt: skip
    measured = False
    for name, result in _ordered(results):
        pages = result.get("pages")
        if not pages:
            continue
        measured = True
        lines += [f"### {name}: {pages['calls']:,} calls, each page loaded {pages['runs']} "
                  f"times per view{_commit(result, 'pages')}", "",
                  "| page | view | opened | first load | p50 | p95 | loads with a problem |",
                  "|---|---|---|---:|---:|---:|---:|"]  # fmt: skip
        for page in pages["pages"]:
            slow = _judged(page) and page["p95_seconds"] > TARGETS["page_load_p95_seconds"]
            over = " (over target)" if slow else ""
            lines.append(
                f"| {page['page']} | {page['view']} | by {page.get('way', 'address')} | "
                f"{page['first_load_seconds']:.2f} s | "
                f"{page['p50_seconds']:.2f} s | {page['p95_seconds']:.2f} s{over} | "
                f"{page['loads_with_a_problem']} |"
            )
        lines.append("")
    if not measured:
        lines.append("Not measured yet: `python bench/run.py --scale demo --parts pages`.")
    return lines


def render(results: dict[str, dict], machine: str, notes: str = "") -> str:
    lines = ["# Benchmarks", "",
             "Written by `make bench` (`bench/run.py`) from `bench/results/*.json`; do not "
             "edit by hand. Every figure is the median of several runs on this machine, "
             "each run in a fresh process.", "", f"Machine: {machine}.", ""]  # fmt: skip
    for section in (targets_section, scales_section, build_section, spark_section,
                    floor_section, growth_section, app_section, pages_section,
                    generator_section):  # fmt: skip
        lines += section(results)
        lines.append("")
    if notes:
        lines += [notes.strip(), ""]
    return "\n".join(lines).rstrip() + "\n"


def write(path: Path, results: dict[str, dict], machine: str, notes: str = "") -> None:
    path.write_text(render(results, machine, notes))
