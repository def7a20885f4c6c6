"""Publish the marts for readers, once they are built and tested.

Downstream of every mart, so a failed build or a failed blocking check leaves the
previous snapshot in place: the app and analysts keep the last good data.
"""

import json

import dagster as dg

from ccw.coverage import mart_needs
from ccw.landing.warehouse import open_warehouse
from ccw.publish import PUBLISHED_SCHEMA, publish_marts, published_path
from orchestration.assets.dbt import ccw_dbt_models
from orchestration.dbt_project import ccw_dbt_project
from orchestration.resources import WarehouseResource

MART_KEYS = [key for key in ccw_dbt_models.keys if key.path[0] == "marts"]
# The metrics catalogue of this code (dbt parse writes it beside the manifest).
SEMANTIC_MANIFEST = ccw_dbt_project.manifest_path.with_name("semantic_manifest.json")


def incremental_marts() -> dict[str, str]:
    """Each incremental mart and the day column its runs replace (dbt's unique_key)."""
    manifest = json.loads(ccw_dbt_project.manifest_path.read_text())
    return {
        node["alias"] or node["name"]: node["config"]["unique_key"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["schema"] == PUBLISHED_SCHEMA
        and node["config"]["materialized"] == "incremental"
    }


@dg.asset(
    key=["published", "marts"],
    deps=MART_KEYS,
    group_name="published",
    description="The marts copied to a read-only snapshot for the app and analysts.",
)
def published_marts(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    target = published_path(warehouse.warehouse)
    with open_warehouse(warehouse.warehouse) as con:
        report = publish_marts(
            con,
            target,
            run_id=context.run.run_id,
            rebuilt_by_day=incremental_marts(),
            allow_shrink=warehouse.allow_shrink,
            semantic_manifest=SEMANTIC_MANIFEST.read_text(),
            mart_needs=mart_needs(ccw_dbt_project.manifest_path),
        )
    context.log.info(f"Published {len(report.rows_by_table)} marts to {report.path}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(report.path)),
            "published_at": report.published_at.isoformat(),
            "rows_by_table": report.rows_by_table,
            "updated_in_place": ", ".join(report.updated_in_place) or "none",
            "dagster/row_count": sum(report.rows_by_table.values()),
        }
    )
