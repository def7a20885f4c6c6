"""The dbt models as Dagster assets: each model an asset, its dbt tests asset checks.

Sources map onto the raw assets that land them (``source('telephony', 'calls')`` is
``raw/calls``), so a blocking check on a raw table stops the models built on it. dbt
runs under the warehouse lock, against the warehouse the run was given.
"""

import hashlib
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from ccw.landing.warehouse import exclusive_lock
from orchestration.dbt_project import ccw_dbt_project
from orchestration.resources import WarehouseResource

LOCK_TIMEOUT_SECONDS = 1800.0
# Unit tests check the models' logic on fixed inputs: they run in the test suite
# (tests/models/test_dbt_unit_tests.py), not on every load, where the data changes
# but the logic does not.
BUILD = ["build", "--exclude-resource-type", "unit_test"]


class CcwTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(["raw", dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        folders = dbt_resource_props.get("fqn", [])[1:-1]
        return folders[0] if folders else None


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    """dbt reads the warehouse path from CCW_WAREHOUSE (profiles.yml)."""
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dbt_assets(
    manifest=ccw_dbt_project.manifest_path,
    project=ccw_dbt_project,
    dagster_dbt_translator=CcwTranslator(),
)
def ccw_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
):
    with (
        exclusive_lock(warehouse.warehouse, LOCK_TIMEOUT_SECONDS),
        _environment(CCW_WAREHOUSE=str(warehouse.warehouse.resolve())),
        _stdout_unless(warehouse.echo_dbt_log),
    ):
        arguments = [*BUILD, "--full-refresh"] if warehouse.dbt_full_refresh else BUILD
        target_path = dbt_target_path(warehouse.warehouse)
        yield from dbt.cli(arguments, context=context, target_path=target_path).stream()


def dbt_target_path(warehouse: Path) -> Path:
    """One dbt target folder per warehouse, reused run after run.

    dagster-dbt's default is a new folder per run, which fills the disk on a daily
    schedule. Runs on one warehouse never overlap (the lock), so one folder each is
    safe, and dbt's partial parsing and its log (`dbt.log`) live there.
    """
    resolved = str(warehouse.resolve())
    digest = hashlib.sha256(resolved.encode()).hexdigest()[:8]
    return Path("target") / f"run-{warehouse.stem}-{digest}"


@contextmanager
def _stdout_unless(echo: bool) -> Iterator[None]:
    """dagster-dbt echoes every dbt log line to stdout; drop them when asked."""
    if echo:
        yield
        return
    with open(os.devnull, "w") as sink, redirect_stdout(sink):
        yield
