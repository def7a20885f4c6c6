"""Shared fixtures: generated landing folders (made once per session) and warehouses."""

from __future__ import annotations

import json
import os
import pickle
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pytest
from filelock import FileLock

from ccw.generator import GenerateRequest, GenerationSummary, generate
from ccw.pipeline import PipelineOutcome, run_pipeline
from orchestration.dbt_project import ccw_dbt_project

# The sample keeps the demo's ratio of customers to calls (a few calls per customer a
# year, so a repeat contact is rarely a coincidence).
SAMPLE = {"start": date(2026, 3, 2), "days": 35, "agents": 60, "customers": 160_000, "seed": 12}


class Sample:
    """A generated landing folder with its ground truth, queryable with DuckDB."""

    def __init__(self, root: Path, summary: GenerationSummary) -> None:
        self.landing = root / "landing"
        self.truth = root / "truth"
        self.summary = summary
        self.sql = duckdb.connect()
        self.sql.execute("set TimeZone = 'America/New_York'")
        for name, pattern in {
            "calls": "telephony/calls_*.csv",
            "agent_states": "telephony/agent_states_*.csv.gz",
            "customers": "crm/customers_*.csv",
            "orders": "crm/orders_*.csv",
            "cases": "crm/cases_*.csv",
            "agents": "hr/agents_*.csv",
            "engagement": "hr/engagement_*.csv",
        }.items():
            self.sql.execute(
                f"create table {name} as select * from read_csv('{self.landing}/{pattern}', "
                "union_by_name = true, filename = true)"
            )
        for name, pattern in {
            "digital_events": "crm/digital_events_*.jsonl",
            "responses": "survey/responses_*.jsonl",
        }.items():
            self.sql.execute(
                f"create table {name} as select * from read_json('{self.landing}/{pattern}', "
                "format = 'newline_delimited', filename = true)"
            )
        self.sql.execute(
            f"create table outcomes as select * from read_csv('{self.truth}/*.csv', "
            "union_by_name = true)"
        )

    def one(self, query: str):
        return self.sql.execute(query).fetchone()


def built_once(tmp_path_factory, name: str, build: Callable[[Path], object]):
    """What ``build(folder)`` returns, built once per test session into a shared folder.

    Under pytest-xdist each worker is a process with its own session fixtures, so a
    generated landing or a built warehouse would be made once per worker: minutes of
    the suite, twice. The first worker to ask builds it under a file lock; the others
    wait, then reuse the folder and the pickled result. Tests must treat what they get
    as read-only (copy a warehouse before writing to it: DuckDB lets one process write
    a file only when no other process has it open).
    """
    if os.environ.get("PYTEST_XDIST_WORKER") is None:  # one process: nothing to share
        return build(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent  # the session's folder, above gw0, gw1
    folder, result = shared / name, shared / f"{name}.pickle"
    with FileLock(shared / f"{name}.lock"):
        if not result.exists():  # also when a worker's build failed: try again
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            result.write_bytes(pickle.dumps(build(folder)))
    return pickle.loads(result.read_bytes())


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> Sample:
    def generate_sample(root: Path) -> tuple[Path, GenerationSummary]:
        request = GenerateRequest(out=root / "landing", truth_dir=root / "truth", **SAMPLE)
        return root, generate(request)

    return Sample(*built_once(tmp_path_factory, "sample", generate_sample))


# Seven days: long enough for the redelivered orders file (day 4) and the late calls
# file (day 6) the generator always writes.
TINY = {"start": date(2026, 3, 2), "days": 7, "agents": 25, "customers": 20_000, "seed": 5}


@pytest.fixture(scope="session")
def pristine_landing(tmp_path_factory) -> Path:
    def generate_tiny(root: Path) -> Path:
        generate(GenerateRequest(out=root / "landing", **TINY))
        return root / "landing"

    return built_once(tmp_path_factory, "tiny", generate_tiny)


@pytest.fixture
def landing(pristine_landing: Path, tmp_path: Path) -> Path:
    """A private copy (modification times kept: they are delivery times)."""
    return Path(shutil.copytree(pristine_landing, tmp_path / "landing"))


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "ccw.duckdb"


def _main_job(landing: Path, folder: Path) -> tuple[Path, PipelineOutcome]:
    warehouse = folder / "ccw.duckdb"
    outcome = run_pipeline(landing, warehouse)
    assert outcome.ok, (outcome.failed_steps, outcome.failed_checks)
    return warehouse, outcome


# The main job's warehouses, built once per session (building is the slow part) and
# shared by the model, app and CLI tests: read them, or copy them to change them.
@pytest.fixture(scope="session")
def built(pristine_landing: Path, tmp_path_factory) -> Path:
    warehouse, outcome = built_once(
        tmp_path_factory, "built", lambda folder: _main_job(pristine_landing, folder)
    )
    manifest = json.loads(ccw_dbt_project.manifest_path.read_text())
    models = [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]
    assert outcome.models_built == len(models)
    return warehouse


@pytest.fixture(scope="session")
def sample_run(sample, tmp_path_factory) -> tuple[Path, PipelineOutcome]:
    """The main job on the 35-day sample (tests/conftest.py), which has ground truth."""
    return built_once(tmp_path_factory, "sample_marts", lambda f: _main_job(sample.landing, f))


@pytest.fixture(scope="session")
def sample_marts(sample_run) -> Path:
    """The warehouse of the sample's run, marts built and published."""
    return sample_run[0]


# The order in which pytest-xdist hands out whole test files (the Makefile's
# `--dist loadfile --no-loadscope-reorder`): the longest first, so that no worker is
# left running one at the end while the other idles; and early on, one file that builds
# each shared fixture, so a worker rarely waits for the other to build one. Seconds
# from a whole run on two workers (--durations, summed per file); the rest follow in
# collection order.
FIRST_FILES = (
    "tests/models/test_incremental_runs.py",  # 150 s
    "tests/expectations/test_suites_on_generated_data.py",  # builds sample_run: 85 s
    "tests/landing/test_interrupted_and_overlapping_runs.py",  # 170 s
    "tests/models/test_staging.py",  # builds `built`: 35 s
    "tests/models/test_service_marts.py",  # 100 s
    "tests/test_cli.py",  # 120 s
    "tests/models/test_spark_parity.py",  # 115 s
    "tests/bench/test_harness.py",  # 90 s
    "tests/app/test_concurrency.py",  # 70 s
    "tests/orchestration/test_expectation_checks.py",  # 45 s
    "tests/models/test_patterns_in_marts.py",  # 65 s
    "tests/landing/test_faults_end_to_end.py",  # two runs on `built`: 65 s
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::", 1)[0]
        return FIRST_FILES.index(path) if path in FIRST_FILES else len(FIRST_FILES)

    items.sort(key=rank)  # stable: the rest keep their order
