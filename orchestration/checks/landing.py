"""Checks on every raw asset that landing lost nothing, doubled nothing, rejected nothing.

- ``rows_reconcile`` (blocking): for every loaded file, rows read = rows in the raw
  table + rows quarantined, counted in the tables. A failure is a bug in ccw, so
  nothing downstream may build on it.
- ``one_current_version_per_key`` (blocking): staging reads exactly one version of
  each business key.
- ``no_rejected_files`` (error, not blocking): no file of this table was rejected in
  this run. The other files' rows are sound and still flow; the operator must act.
- ``records_balance`` (blocking, on a platform's records): every record read is
  current, superseded or quarantined, and every current voice record has its legs.

Each is its own check on its raw asset in the Dagster UI; they run together, in one
step on one connection (a step per check cost about 70 ms each, a run's 35 of them
2.5 s, for queries of a few milliseconds). A subset of the raw assets runs the checks
of that subset.
"""

from collections.abc import Callable, Iterator

import dagster as dg
import duckdb

from ccw.contract import Table
from ccw.landing import audit
from ccw.landing.warehouse import open_warehouse
from ccw.vendors import LANDED_TABLES, Vendor, account, vendor_of
from orchestration.assets.raw import raw_asset_key
from orchestration.resources import WarehouseResource

# What a check finds (AssetCheckResult's passed, severity and metadata), from the
# warehouse and the run's id.
Evaluate = Callable[[duckdb.DuckDBPyConnection, str], dict]


def _rows_reconcile(table: Table) -> Evaluate:
    def evaluate(con: duckdb.DuckDBPyConnection, run_id: str) -> dict:
        broken = audit.unreconciled_files(con, table)
        return dict(
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

    return evaluate


def _one_current_version_per_key(table: Table) -> Evaluate:
    def evaluate(con: duckdb.DuckDBPyConnection, run_id: str) -> dict:
        bad_keys = audit.keys_without_one_current_version(con, table)
        return dict(passed=bad_keys == 0, metadata={"bad_keys": bad_keys})

    return evaluate


def _no_rejected_files(table: Table) -> Evaluate:
    def evaluate(con: duckdb.DuckDBPyConnection, run_id: str) -> dict:
        rejected = audit.rejected_files(con, table, run_id)
        ever = len(audit.rejected_files(con, table))
        return dict(
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

    return evaluate


def _records_balance(vendor: Vendor) -> Evaluate:
    def evaluate(con: duckdb.DuckDBPyConnection, run_id: str) -> dict:
        balance = account(con, vendor)
        return dict(
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

    return evaluate


def _checks_of(table: Table) -> list[tuple[dg.AssetCheckSpec, Evaluate]]:
    asset = raw_asset_key(table)
    checks = [
        (
            dg.AssetCheckSpec(
                "rows_reconcile",
                asset=asset,
                blocking=True,
                description="Rows read = rows loaded + rows quarantined, for every loaded file.",
            ),
            _rows_reconcile(table),
        ),
        (
            dg.AssetCheckSpec(
                "one_current_version_per_key",
                asset=asset,
                blocking=True,
                description="Each business key has exactly one row with _is_current.",
            ),
            _one_current_version_per_key(table),
        ),
        (
            dg.AssetCheckSpec(
                "no_rejected_files",
                asset=asset,
                description="No file of this table was rejected in this run.",
            ),
            _no_rejected_files(table),
        ),
    ]
    vendor = vendor_of(table)
    if vendor is not None:
        spec = dg.AssetCheckSpec(
            "records_balance",
            asset=raw_asset_key(vendor.records),
            blocking=True,
            description=(
                "Records read = current + superseded versions + quarantined, and every "
                "current voice record has its call legs (none left from an older version)."
            ),
        )
        checks.append((spec, _records_balance(vendor)))
    return checks


CHECKS = {spec.key: (spec, evaluate) for t in LANDED_TABLES for spec, evaluate in _checks_of(t)}


@dg.multi_asset_check(specs=[spec for spec, _ in CHECKS.values()], can_subset=True)
def landing_checks(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.AssetCheckResult]:
    """The landing checks of the raw assets in this run, on one connection."""
    selected = context.selected_asset_check_keys
    with open_warehouse(warehouse.warehouse) as con:
        for key, (spec, evaluate) in CHECKS.items():
            if key in selected:
                found = evaluate(con, context.run.run_id)
                yield dg.AssetCheckResult(asset_key=spec.asset_key, check_name=spec.name, **found)


LANDING_CHECKS = [landing_checks]
