"""One warehouse built by the main job on the tiny generated landing, shared by the
model tests (building it is the slow part)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ccw.pipeline import run_pipeline
from orchestration.dbt_project import ccw_dbt_project


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
def sample_marts(sample, tmp_path_factory) -> Path:
    """The marts of the 35-day sample (tests/conftest.py), which has ground truth."""
    warehouse = tmp_path_factory.mktemp("sample_marts") / "ccw.duckdb"
    outcome = run_pipeline(sample.landing, warehouse)
    assert outcome.ok, (outcome.failed_steps, outcome.failed_checks)
    return warehouse
