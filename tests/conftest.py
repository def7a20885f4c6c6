"""Shared fixtures: generated landing folders (made once per session) and warehouses."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

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


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> Sample:
    root = tmp_path_factory.mktemp("sample")
    request = GenerateRequest(out=root / "landing", truth_dir=root / "truth", **SAMPLE)
    return Sample(root, generate(request))


# Seven days: long enough for the redelivered orders file (day 4) and the late calls
# file (day 6) the generator always writes.
TINY = {"start": date(2026, 3, 2), "days": 7, "agents": 25, "customers": 20_000, "seed": 5}


@pytest.fixture(scope="session")
def pristine_landing(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tiny") / "landing"
    generate(GenerateRequest(out=root, **TINY))
    return root


@pytest.fixture
def landing(pristine_landing: Path, tmp_path: Path) -> Path:
    """A private copy (modification times kept: they are delivery times)."""
    return Path(shutil.copytree(pristine_landing, tmp_path / "landing"))


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "ccw.duckdb"


# The main job's warehouses, built once per session (building is the slow part) and
# shared by the model, app and CLI tests.
@pytest.fixture(scope="session")
def built(pristine_landing: Path, tmp_path_factory) -> Path:
    warehouse = tmp_path_factory.mktemp("built") / "ccw.duckdb"
    outcome = run_pipeline(pristine_landing, warehouse)
    assert outcome.ok, (outcome.failed_steps, outcome.failed_checks)
    manifest = json.loads(ccw_dbt_project.manifest_path.read_text())
    models = [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]
    assert outcome.models_built == len(models)
    return warehouse


@pytest.fixture(scope="session")
def sample_run(sample, tmp_path_factory) -> tuple[Path, PipelineOutcome]:
    """The main job on the 35-day sample (tests/conftest.py), which has ground truth."""
    warehouse = tmp_path_factory.mktemp("sample_marts") / "ccw.duckdb"
    outcome = run_pipeline(sample.landing, warehouse)
    assert outcome.ok, (outcome.failed_steps, outcome.failed_checks)
    return warehouse, outcome


@pytest.fixture(scope="session")
def sample_marts(sample_run) -> Path:
    """The warehouse of the sample's run, marts built and published."""
    return sample_run[0]


# The slowest test files (pytest's --durations in CI), handed out first: pytest-xdist
# gives whole files to its two workers in collection order, and a long file collected
# last keeps one worker busy while the other has finished.
SLOWEST_FILES = (
    "tests/models/test_incremental_runs.py",
    "tests/models/test_spark_parity.py",
    "tests/landing/test_interrupted_and_overlapping_runs.py",
    "tests/bench/test_harness.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::", 1)[0]
        return SLOWEST_FILES.index(path) if path in SLOWEST_FILES else len(SLOWEST_FILES)

    items.sort(key=rank)  # stable: the rest keep their order
