"""The run's resource: the center's settings, the landing folder and the warehouse.

``warehouse_from_environment`` reads the settings file (``ccw.yml``, or the one
``CCW_CONFIG`` names; :mod:`ccw.settings`), ``CCW_LANDING_DIR``, ``CCW_WAREHOUSE``
and ``CCW_ENGINE`` when the code location loads, so the schedule and the sensor run
with the center's settings on the engine the environment names. ``ccw run``
overrides them through run config (``--config``, ``--var``, ``--landing``, ...).
A settings file that cannot be used stops the run before its first step.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from pydantic import PrivateAttr

from ccw.landing.warehouse import landing_dir, open_warehouse, run_lock, warehouse_path
from ccw.settings import Settings, load_settings

DUCKDB = "duckdb"
SPARK = "spark"
ENGINES = (DUCKDB, SPARK)


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
    # Publish even when the new snapshot's history starts later than the published one's
    # (ccw/publish.py): after deliberately dropping old days.
    allow_shrink: bool = False
    # Check at the start of the run that the warehouse file was not cut short (`ccw run`
    # has checked it already, before starting the job, and turns this off).
    verify_on_start: bool = True
    # Where dbt builds the models: "duckdb" (in the warehouse file) or "spark" (a local
    # Spark reading the raw tables as Parquet; ccw/spark/, docs/scale-out.md).
    engine: str = DUCKDB
    # The settings file ("" for ccw.yml or CCW_CONFIG) and `--var` values for this run.
    config_file: str = ""
    setting_overrides: dict[str, str] = {}  # noqa: RUF012 (pydantic copies it)

    # Read once when the run starts, so every step of a run uses the same settings.
    _run_settings: Settings | None = PrivateAttr(default=None)

    def settings(self) -> Settings:
        """The settings in force for this run: the file, then the run's overrides."""
        if self._run_settings is None:
            path = Path(self.config_file) if self.config_file else None
            return load_settings(path, self.setting_overrides)
        return self._run_settings

    @property
    def landing(self) -> Path:
        return Path(self.landing_dir)

    @property
    def warehouse(self) -> Path:
        return Path(self.warehouse_path)

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[WarehouseResource]:
        """Hold the warehouse's run lock for the whole run (every step of it): a second
        run, from `ccw run`, the schedule or the sensor, waits for this one to end.
        When the run ends, however it ends, the index of its Data Docs is built."""
        # A bad settings file stops the run here, before anything is loaded.
        self._run_settings = self.settings()
        with run_lock(self.warehouse):
            if self.verify_on_start and self.warehouse.exists():  # damaged: stop at once
                with open_warehouse(self.warehouse, verify=True):
                    pass
            try:
                yield self
            finally:
                _finish_data_docs(self.warehouse, context.run_id)

    @property
    def on_spark(self) -> bool:
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {self.engine!r}")
        return self.engine == SPARK


def _finish_data_docs(warehouse: Path, run_id: str | None) -> None:
    """The run's Data Docs index, when its checks validated a suite in this process
    (expectations/gx_project.py); without importing GX when none ran."""
    gx_project = sys.modules.get("expectations.gx_project")
    if gx_project is not None and run_id is not None:
        gx_project.finish_data_docs(warehouse, run_id)


def warehouse_from_environment(settings: Settings | None = None) -> WarehouseResource:
    settings = settings or load_settings()
    return WarehouseResource(
        landing_dir=str(landing_dir(settings)),
        warehouse_path=str(warehouse_path(settings)),
        engine=os.environ.get("CCW_ENGINE", DUCKDB),
    )
