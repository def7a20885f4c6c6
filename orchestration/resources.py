"""Where the landing folder and the warehouse are, from the environment.

``warehouse_from_environment`` reads ``CCW_LANDING_DIR`` and ``CCW_WAREHOUSE`` when the
code location loads, with defaults that work from the repository root (``landing/``
and ``warehouse/ccw.duckdb``). ``ccw run`` overrides both through run config.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from ccw.landing.warehouse import landing_dir, warehouse_path


class WarehouseResource(dg.ConfigurableResource):
    """The landing folder files come from and the DuckDB file they land in."""

    landing_dir: str
    warehouse_path: str
    # dbt's own log lines on stdout: kept in the Dagster UI's compute logs, dropped by
    # `ccw run` (unless --verbose) so its summary stays readable. dbt also writes them
    # to dbt.log in its target folder either way (orchestration/assets/dbt.py).
    echo_dbt_log: bool = True
    # Rebuild the incremental facts from all history (after an upgrade that changes
    # a fact's columns, or to take in data older than the look-back window).
    dbt_full_refresh: bool = False

    @property
    def landing(self) -> Path:
        return Path(self.landing_dir)

    @property
    def warehouse(self) -> Path:
        return Path(self.warehouse_path)


def warehouse_from_environment() -> WarehouseResource:
    return WarehouseResource(landing_dir=str(landing_dir()), warehouse_path=str(warehouse_path()))
