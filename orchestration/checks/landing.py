"""Checks on every raw asset that landing lost nothing, doubled nothing, rejected nothing.

- ``rows_reconcile`` (blocking): for every loaded file, rows read = rows in the raw
  table + rows quarantined, counted in the tables. A failure is a bug in ccw, so
  nothing downstream may build on it.
- ``one_current_version_per_key`` (blocking): staging reads exactly one version of
  each business key.
- ``no_rejected_files`` (error, not blocking): no file of this table was rejected in
  this run. The other files' rows are sound and still flow; the operator must act.
"""

import dagster as dg

from ccw.contract import Table
from ccw.landing import audit
from ccw.landing.warehouse import open_warehouse
from ccw.vendors import LANDED_TABLES, Vendor, account, vendor_of
from orchestration.assets.raw import raw_asset_key
from orchestration.resources import WarehouseResource


def build_landing_checks(table: Table) -> list[dg.AssetChecksDefinition]:
    asset = raw_asset_key(table)

    @dg.asset_check(asset=asset, name="rows_reconcile", blocking=True)
    def rows_reconcile(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        """Rows read = rows loaded + rows quarantined, for every loaded file."""
        with open_warehouse(warehouse.warehouse) as con:
            broken = audit.unreconciled_files(con, table)
        return dg.AssetCheckResult(
            passed=not broken,
            metadata={
                "files_not_reconciling": len(broken),
                "sample": dg.MetadataValue.md(
                    "\n".join(
                        f"- `{b.path}`: read {b.rows_read}, loaded {b.rows_loaded}, "
                        f"quarantined {b.rows_quarantined}"
                        for b in broken[:10]
                    )
                    or "every file reconciles"
                ),
            },
        )

    @dg.asset_check(asset=asset, name="one_current_version_per_key", blocking=True)
    def one_current_version_per_key(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        """Each business key has exactly one row with _is_current."""
        with open_warehouse(warehouse.warehouse) as con:
            bad_keys = audit.keys_without_one_current_version(con, table)
        return dg.AssetCheckResult(passed=bad_keys == 0, metadata={"bad_keys": bad_keys})

    @dg.asset_check(asset=asset, name="no_rejected_files")
    def no_rejected_files(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> dg.AssetCheckResult:
        """No file of this table was rejected in this run."""
        with open_warehouse(warehouse.warehouse) as con:
            rejected = audit.rejected_files(con, table, context.run.run_id)
            ever = len(audit.rejected_files(con, table))
        return dg.AssetCheckResult(
            passed=not rejected,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "rejected_this_run": len(rejected),
                "rejected_ever": ever,
                "files": dg.MetadataValue.md(
                    "\n".join(f"- `{path}`: {message}" for path, message in rejected[:20]) or "none"
                ),
            },
        )

    checks = [rows_reconcile, one_current_version_per_key, no_rejected_files]
    vendor = vendor_of(table)
    if vendor is not None:
        checks.append(build_records_balance_check(vendor))
    return checks


def build_records_balance_check(vendor: Vendor) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=raw_asset_key(vendor.records), name="records_balance", blocking=True)
    def records_balance(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        """Records read = current + superseded versions + quarantined, and every current
        voice record has its call legs (none left from an older version)."""
        with open_warehouse(warehouse.warehouse) as con:
            balance = account(con, vendor)
        return dg.AssetCheckResult(
            passed=balance.balances,
            metadata={
                "records_read": balance.read,
                "current": balance.current,
                "superseded": balance.superseded,
                "quarantined": balance.quarantined,
                "call_legs": balance.legs,
                "voice_records": balance.voice_records,
                "voice_records_with_legs": balance.records_with_legs,
                "legs_of_no_current_record": balance.stale_legs,
                "summary": balance.sentence(),
            },
        )

    return records_balance


LANDING_CHECKS = [check for table in LANDED_TABLES for check in build_landing_checks(table)]
