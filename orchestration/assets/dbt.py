"""The dbt models as Dagster assets: each model an asset, its dbt tests asset checks.

Sources map onto the raw assets that land them (``source('telephony', 'calls')`` is
``raw/calls``), so a blocking check on a raw table stops the models built on it. dbt
runs under the warehouse lock, against the warehouse the run was given, with the
center's settings as its vars (:mod:`ccw.settings`). When a setting that alters past
numbers changed since the last build (``marts.build_settings``), the incremental marts
are rebuilt from all history; after a successful build the settings used are recorded
there, and travel with the marts into the published snapshot.

Each model's materialization carries its table's row count (``dagster/row_count``,
the Dagster UI's "Row count"), counted once dbt has ended: while dbt runs it holds the
warehouse, so the step hands Dagster the models' events at its end. Views have none.

With the Spark engine, dbt builds the same models on a local Spark (the profile's
``spark`` target, through ``ccw-dbt``) from the lake the raw assets wrote; the marts
it built are then copied into the warehouse's ``marts`` schema, so the mart checks
and the published snapshot read them as after a DuckDB build (:mod:`ccw.spark`).
"""

import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, redirect_stdout
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from ccw.build_settings import record_build_settings, stored_build_settings
from ccw.landing.lake import lake_path
from ccw.landing.sql import identifier
from ccw.landing.warehouse import exclusive_lock
from ccw.settings import Settings, changed_settings, describe_changes
from ccw.spark.marts import copy_spark_marts, mart_columns, spark_dir
from orchestration.dbt_project import ccw_dbt_project, ccw_dbt_resource
from orchestration.resources import SPARK, WarehouseResource

LOCK_TIMEOUT_SECONDS = 1800.0
# Unit tests check the models' logic on fixed inputs: they run in the test suite
# (tests/models/test_dbt_unit_tests.py), not on every load, where the data changes
# but the logic does not.
BUILD = ["build", "--exclude-resource-type", "unit_test"]


class CcwTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            # Legs derived from a platform's records belong to the records' asset.
            configured = dbt_resource_props.get("meta", {}).get("dagster", {}).get("asset_key")
            return dg.AssetKey(configured or ["raw", dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        folders = dbt_resource_props.get("fqn", [])[1:-1]
        return folders[0] if folders else None


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    """Set environment variables for dbt (profiles.yml reads them), then restore them."""
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
    settings = warehouse.settings()
    with (
        exclusive_lock(warehouse.warehouse, LOCK_TIMEOUT_SECONDS),
        _environment(**dbt_environment(warehouse)),
        _stdout_unless(warehouse.echo_dbt_log),
    ):
        changes = settings_changed_since_last_build(warehouse.warehouse, settings)
        if changes:
            context.log.warning(describe_changes(changes))
        arguments = [*BUILD, "--vars", settings.dbt_vars_argument()]
        if warehouse.dbt_full_refresh or changes:
            arguments.append("--full-refresh")
        runner = spark_dbt() if warehouse.on_spark else dbt
        target_path = dbt_target_path(warehouse.warehouse, warehouse.engine)
        build = runner.cli(
            arguments, context=context, target_path=target_path, raise_on_error=False
        )
        events = list(build.stream())
        if build.is_successful() and warehouse.on_spark:
            copied = copy_marts_from_spark(warehouse.warehouse)
            context.log.info(f"Copied {len(copied)} marts from Spark: {copied}")
        with duckdb.connect(str(warehouse.warehouse)) as con:
            # A Spark build that failed copied nothing: DuckDB's marts are the old ones.
            counted = build.is_successful() or not warehouse.on_spark
            counts = row_counts(con, ccw_dbt_project.manifest_path) if counted else {}
            if build.is_successful():
                record_build_settings(con, settings, datetime.now(UTC))
        yield from (with_row_count(event, counts) for event in events)
        if not build.is_successful():
            raise build.get_error()


def row_counts(con: duckdb.DuckDBPyConnection, manifest_path: Path) -> dict[str, int]:
    """The rows of each model built as a table (or incremental table) that the
    warehouse holds, by the model's dbt unique id."""
    manifest = json.loads(manifest_path.read_text())
    tables = {
        (row[0], row[1])
        for row in con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
    }
    counts = {}
    for unique_id, node in manifest["nodes"].items():
        relation = (node["schema"], node["alias"] or node["name"])
        if node["resource_type"] == "model" and relation in tables:
            query = f"select count(*) from {identifier(relation[0])}.{identifier(relation[1])}"
            counts[unique_id] = con.execute(query).fetchone()[0]
    return counts


def with_row_count(event, counts: Mapping[str, int]):
    """A model's output with its table's row count in its metadata; other events as
    they are."""
    if not isinstance(event, dg.Output):
        return event
    unique_id = event.metadata.get("unique_id")
    key = getattr(unique_id, "value", unique_id)
    if key not in counts:
        return event
    return event.with_metadata({**event.metadata, "dagster/row_count": counts[key]})


def settings_changed_since_last_build(
    warehouse: Path, settings: Settings
) -> list[tuple[str, str, str]]:
    """The settings that alter past numbers and changed since the marts were built."""
    if not warehouse.exists():
        return []
    with duckdb.connect(str(warehouse)) as con:  # the lock is held
        return changed_settings(stored_build_settings(con), settings)


def spark_dbt() -> DbtCliResource:
    """dbt on the profile's `spark` target, with the project's SQL functions (ccw-dbt)."""
    return ccw_dbt_resource(target=SPARK)


def dbt_environment(warehouse: WarehouseResource) -> dict[str, str]:
    """What profiles.yml reads: the warehouse file; on Spark, the lake and Spark's folder."""
    environment = {"CCW_WAREHOUSE": str(warehouse.warehouse.resolve())}
    if warehouse.on_spark:
        environment["CCW_LAKE"] = str(lake_path(warehouse.warehouse).resolve())
        environment["CCW_SPARK_DIR"] = str(spark_dir(warehouse.warehouse).resolve())
        # Spark's driver binds to the loopback address unless told otherwise.
        environment["SPARK_LOCAL_IP"] = os.environ.get("SPARK_LOCAL_IP", "127.0.0.1")
    return environment


def copy_marts_from_spark(warehouse: Path) -> dict[str, int]:
    """The marts Spark built, into the warehouse's `marts` schema (the lock is held)."""
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("set TimeZone = 'UTC'")
        return copy_spark_marts(
            con, spark_dir(warehouse).resolve(), mart_columns(ccw_dbt_project.manifest_path)
        )
    finally:
        con.close()


def dbt_target_path(warehouse: Path, engine: str = "duckdb") -> Path:
    """One dbt target folder per warehouse, reused run after run.

    dagster-dbt's default is a new folder per run, which fills the disk on a daily
    schedule. Runs on one warehouse never overlap (the lock), so one folder each is
    safe, and dbt's partial parsing and its log (`dbt.log`) live there.
    """
    resolved = str(warehouse.resolve())
    digest = hashlib.sha256(resolved.encode()).hexdigest()[:8]
    engine_suffix = "" if engine == "duckdb" else f"-{engine}"
    return Path("target") / f"run-{warehouse.stem}-{digest}{engine_suffix}"


@contextmanager
def _stdout_unless(echo: bool) -> Iterator[None]:
    """dagster-dbt echoes every dbt log line to stdout; drop them when asked."""
    if echo:
        yield
        return
    with open(os.devnull, "w") as sink, redirect_stdout(sink):
        yield
