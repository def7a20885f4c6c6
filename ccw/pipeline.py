"""Run the main Dagster job once, in this process, and gather what an operator needs.

``ccw run`` uses this: the same job the schedule and the sensor start, without the
UI or the daemon, recorded in the warehouse's Dagster instance (:mod:`ccw.run_history`)
so the Dagster UI shows it beside theirs. The warehouse's manifest, not Dagster's
history, is what makes re-runs idempotent.
"""

from __future__ import annotations

import re
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ccw.build_settings import stored_build_settings
from ccw.contract import TABLES
from ccw.landing.warehouse import open_warehouse
from ccw.publish import published_path
from ccw.run_history import open_instance
from ccw.settings import Settings, changed_settings, load_settings
from ccw.vendors import VENDORS, account

DBT_FAILED_ROWS = "dagster_dbt/failed_row_count"


@dataclass(frozen=True)
class TableOutcome:
    table: str
    files_loaded: int
    files_duplicate: int
    files_rejected: int
    rows_loaded: int
    rows_quarantined: int
    current_rows: int


@dataclass
class PipelineOutcome:
    run_id: str
    succeeded: bool
    seconds: float
    tables: list[TableOutcome] = field(default_factory=list)
    quarantine_reasons: list[tuple[str, str, str, int]] = field(default_factory=list)
    # Values cleaned or put in time order on the way in (ingest.corrections).
    correction_reasons: list[tuple[str, str, str, int]] = field(default_factory=list)
    rejected_files: list[tuple[str, str]] = field(default_factory=list)
    rejected_earlier: int = 0
    failed_checks: list[str] = field(default_factory=list)
    warned_checks: list[str] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    models_built: int = 0
    checks_passed: int = 0
    evaluated_checks: list[str] = field(default_factory=list)
    published: bool = False
    published_path: Path | None = None
    # What each failed or warned check found (the failing GX expectations, one a line).
    check_details: dict[str, list[str]] = field(default_factory=dict)
    data_docs_path: Path | None = None
    data_quality_page: Path | None = None
    # The first line of each failed step's error, for the operator.
    step_errors: dict[str, str] = field(default_factory=dict)
    # Settings that alter past numbers and changed since the last build: (name, before,
    # now); the run rebuilt the marts from all history.
    settings_changes: list[tuple[str, str, str]] = field(default_factory=list)
    # Where every record of a platform's exports went (ccw.vendors.RecordAccount),
    # for each platform that delivered any.
    vendor_accounts: list = field(default_factory=list)
    # For each source the settings leave out, the marts that need it (ccw.coverage).
    marts_waiting: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return (
            self.succeeded
            and not self.failed_checks
            and not self.failed_steps
            and not self.rejected_files
        )

    @property
    def files_new(self) -> int:
        return sum(t.files_loaded + t.files_duplicate + t.files_rejected for t in self.tables)


def run_pipeline(
    landing: Path,
    warehouse: Path,
    echo_dbt_log: bool = False,
    full_refresh: bool = False,
    allow_shrink: bool = False,
    instance=None,
    engine: str = "duckdb",
    config_file: Path | None = None,
    overrides: dict[str, str] | None = None,
) -> PipelineOutcome:
    """Run the job; ``instance`` (a DagsterInstance; by default the warehouse's own,
    :mod:`ccw.run_history`) keeps its event log, where the Dagster UI shows the run
    and the benchmark reads when each step started and ended. ``engine``
    is where dbt builds the models: "duckdb" or "spark" (docs/scale-out.md).
    ``config_file`` and ``overrides`` are the settings file and ``--var`` values
    (:mod:`ccw.settings`); a bad one raises SettingsError before anything runs."""
    import dagster as dg  # imported here so `ccw generate` stays quick to start

    from expectations.gx_project import data_docs_index, latest_run_page
    from orchestration.definitions import defs
    from orchestration.jobs import CCW_JOB_NAME

    started = time.perf_counter()
    settings: Settings = load_settings(config_file, overrides)
    changes = []
    if warehouse.exists():
        # A damaged warehouse, or a reader that keeps it open, stops the run here with
        # one sentence, rather than in every step.
        with open_warehouse(warehouse, verify=True) as con:
            changes = changed_settings(stored_build_settings(con), settings)
    run_config = {
        "resources": {
            "warehouse": {
                "config": {
                    "landing_dir": str(landing),
                    "warehouse_path": str(warehouse),
                    "echo_dbt_log": echo_dbt_log,
                    "dbt_full_refresh": full_refresh,
                    "allow_shrink": allow_shrink,
                    "verify_on_start": False,  # checked just above
                    "engine": engine,
                    "config_file": str(config_file) if config_file else "",
                    "setting_overrides": dict(overrides or {}),
                }
            }
        },
        "loggers": {"console": {"config": {"log_level": "WARNING"}}},
    }
    with nullcontext(instance) if instance else open_instance(warehouse) as run_instance:
        result = defs.resolve_job_def(CCW_JOB_NAME).execute_in_process(
            run_config=run_config, instance=run_instance, raise_on_error=False
        )
    evaluations = result.get_asset_check_evaluations()
    materializations = [
        event for event in result.get_asset_materialization_events() if event.asset_key
    ]
    from ccw.coverage import mart_needs, marts_waiting
    from orchestration.dbt_project import ccw_dbt_project

    outcome = PipelineOutcome(
        run_id=result.run_id,
        succeeded=result.success,
        marts_waiting=marts_waiting(mart_needs(ccw_dbt_project.manifest_path), settings["sources"]),
        seconds=time.perf_counter() - started,
        failed_steps=[event.step_key or "" for event in result.get_step_failure_events()],
        step_errors={
            event.step_key or "": _error_message(event)
            for event in result.get_step_failure_events()
        },
        failed_checks=[
            _check_name(evaluation)
            for evaluation in evaluations
            if not evaluation.passed and evaluation.severity != dg.AssetCheckSeverity.WARN
        ],
        warned_checks=[
            _check_name(evaluation)
            for evaluation in evaluations
            if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN
        ],
        checks_passed=sum(evaluation.passed for evaluation in evaluations),
        evaluated_checks=[_check_name(evaluation) for evaluation in evaluations],
        models_built=sum(
            event.asset_key.path[0] not in ("raw", "published") for event in materializations
        ),
        published=any(event.asset_key.path[0] == "published" for event in materializations),
        published_path=published_path(warehouse),
        check_details={
            _check_name(evaluation): _details(evaluation)
            for evaluation in evaluations
            if not evaluation.passed and _details(evaluation)
        },
        data_docs_path=data_docs_index(warehouse),
        data_quality_page=latest_run_page(warehouse),
        settings_changes=changes,
    )
    if warehouse.exists():
        with open_warehouse(warehouse) as con:
            _summarise(con, outcome, settings["sources"])
    return outcome


def _details(evaluation) -> list[str]:
    """What a failed or warned check found: a suite's failing expectations, one a line,
    or a dbt test's count of rows."""
    from orchestration.checks.expectations import FAILED_EXPECTATIONS

    if FAILED_EXPECTATIONS in evaluation.metadata:
        return str(evaluation.metadata[FAILED_EXPECTATIONS].value).splitlines()
    rows = evaluation.metadata.get(DBT_FAILED_ROWS)
    return [f"{int(rows.value):,} row(s)"] if rows is not None else []


def _error_message(event) -> str:
    """What a failed step raised, without Dagster's wrapping and the traceback."""
    error = event.event_specific_data.error
    while error.cause is not None and "Error occurred while executing" in error.message:
        error = error.cause
    lines = [line.strip() for line in error.message.splitlines() if line.strip()]
    for index, line in enumerate(lines):  # dbt: "Compilation Error in model x" and why
        if re.search(r"Error in (model|test|seed|snapshot|unit_test) ", line):
            return " ".join(lines[index : index + 2])
    return lines[-1] if lines else ""


def _check_name(evaluation) -> str:
    return f"{evaluation.asset_key.to_user_string()} {evaluation.check_name}"


def _summarise(
    con: duckdb.DuckDBPyConnection, outcome: PipelineOutcome, outcome_sources: list[str]
) -> None:
    run = [outcome.run_id]
    rows = con.execute(
        """select table_name,
            count(*) filter (where status = 'loaded'),
            count(*) filter (where status = 'duplicate'),
            count(*) filter (where status = 'rejected'),
            coalesce(sum(rows_loaded), 0), coalesce(sum(rows_quarantined), 0)
        from ingest.manifest where run_id = ? and table_name is not null
        group by table_name""",
        run,
    ).fetchall()
    per_table = {row[0]: row for row in rows}
    vendor_tables = []
    for vendor in VENDORS:
        vendor_account = account(con, vendor)
        if vendor_account.read or vendor.records.name in per_table:
            outcome.vendor_accounts.append(vendor_account)
            vendor_tables.append(vendor.records)
    # The contract's tables of the sources the center has, and the platforms' records
    # that arrived.
    native = tuple(table for table in TABLES if table.source in outcome_sources)
    for table in native + tuple(vendor_tables):
        current = con.execute(
            f'select count(*) from raw."{table.name}" where _is_current'
        ).fetchall()[0][0]
        _, loaded, duplicate, rejected, rows_loaded, quarantined = per_table.get(
            table.name, (table.name, 0, 0, 0, 0, 0)
        )
        outcome.tables.append(
            TableOutcome(
                table.folder or f"{table.source}/{table.name}",
                loaded,
                duplicate,
                rejected,
                int(rows_loaded),
                int(quarantined),
                current,
            )
        )
    outcome.quarantine_reasons = con.execute(
        """select q.table_name, coalesce(q.column_name, '(row)'),
            regexp_replace(
                regexp_replace(split_part(q.reason, ';', 1), '^[a-z_]+: ', ''),
                '''[^'']*''', '…', 'g') as kind,
            count(*)
        from ingest.quarantine as q join ingest.manifest as m using (load_id)
        where m.run_id = ? group by all order by 4 desc, 1, 2 limit 10""",
        run,
    ).fetchall()
    outcome.correction_reasons = con.execute(
        """select c.table_name, c.column_name, c.reason, count(*)
        from ingest.corrections as c join ingest.manifest as m using (load_id)
        where m.run_id = ? group by all order by 4 desc, 1, 2 limit 10""",
        run,
    ).fetchall()
    outcome.rejected_files = con.execute(
        "select path, message from ingest.manifest where run_id = ? and status = 'rejected' "
        "order by path",
        run,
    ).fetchall()
    outcome.rejected_earlier = con.execute(
        "select count(*) from ingest.manifest where status = 'rejected' and run_id <> ?", run
    ).fetchall()[0][0]
