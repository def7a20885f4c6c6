"""Split a measured pipeline run into its stages, and dbt's part into its nodes.

Stages, from the Dagster steps of the run: start-up (the process until the first
step: imports, loading the definitions), land (the raw assets), checks (landing
checks and Great Expectations suites), dbt build, publish, and wrap-up (the run's
summary, until the process exits).
"""

from __future__ import annotations

from collections import defaultdict

from measure import MeasuredRun, Usage

from ccw.contract import TABLES

STAGES = ("start-up", "land", "checks", "dbt build", "publish", "wrap-up")
RAW_STEPS = {f"raw__{table.name}" for table in TABLES}


def stage_of(step: str) -> str:
    if step in RAW_STEPS:
        return "land"
    if step == "ccw_dbt_models":
        return "dbt build"
    if step == "published__marts":
        return "publish"
    return "checks"


def pipeline_stages(run: MeasuredRun, child: dict) -> dict[str, Usage]:
    windows: dict[str, list[tuple[float, float]]] = defaultdict(list)
    steps = child["steps"]
    first = min((step["start"] for step in steps), default=run.ended)
    last = max((step["end"] for step in steps), default=run.ended)
    windows["start-up"].append((run.started, first))
    for step in steps:
        windows[stage_of(step["step"])].append((step["start"], step["end"]))
    windows["wrap-up"].append((last, run.ended))
    stages = {stage: run.timeline.usage_of(windows[stage]) for stage in STAGES}
    stages["total"] = run.total
    return stages


def dbt_nodes(run: MeasuredRun, child: dict) -> dict[str, Usage]:
    """Each model's usage; all data tests together, as ``tests (n)``."""
    nodes = {}
    tests = []
    for node in child["dbt_nodes"]:
        kind, _, name = node["node"].split(".", 2)
        window = (node["start"], node["end"])
        if kind == "model":
            nodes[name] = run.timeline.usage(*window)
        else:
            tests.append(window)
    nodes["data tests"] = run.timeline.usage_of(tests)
    return nodes
